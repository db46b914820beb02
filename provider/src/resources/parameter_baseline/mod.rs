//! `dbrail_parameter_baseline`: a cluster and an instance parameter group holding dbrail's
//! baseline for one engine family, merged with reasoned overrides.
//!
//! Plan time computes the effective parameters (so the plan shows exactly which values change)
//! and runs the guardrails over them; apply makes the minimal API calls; read reports what AWS
//! holds, so out-of-band edits show as a diff on `effective_*_parameters` and are repaired by
//! the next apply. Override reasons are kept as tags on the groups, which lets
//! `terraform import` rebuild `overrides` exactly.

mod desired;
mod model;
mod reasons;
mod remote;
mod schema;

use super::common::user_tags;
use crate::client::DbrailClient;
use crate::diagnostics::operation_error;
use async_trait::async_trait;
use dbrail_aws::Deadline;
use dbrail_aws::rds::GroupKind;
use dbrail_tfplugin::diagnostics::{Diagnostic, Diagnostics};
use dbrail_tfplugin::framework::{
    ApplyResult, Context, CreateRequest, DeleteRequest, ImportState, ModifyPlan, PlanChange,
    ReadRequest, ReadResult, Resource, UpdateRequest, ValidateConfig,
};
use dbrail_tfplugin::schema::Schema;
use dbrail_tfplugin::value::Value;
use desired::{Desired, reconstruct_overrides};
use model::{State, cluster_group_name, instance_group_name};
use remote::{GROUPS, Remote, group_name};
use std::collections::BTreeMap;
use std::time::Duration;

/// Parameter group calls finish in seconds; this bounds retries on throttling or a busy group.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The resource type.
pub(crate) struct ParameterBaseline;

fn set(planned: &mut Value, name: &str, value: Value) {
    if let Value::Object(fields) = planned {
        fields.insert(name.to_owned(), value);
    }
}

fn string_map(map: Option<BTreeMap<String, String>>) -> Value {
    map.map_or_else(Value::unknown, |m| {
        Value::Map(m.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
    })
}

impl ParameterBaseline {
    fn remote<'a>(ctx: &'a Context<DbrailClient>) -> Result<Remote<'a>, Diagnostics> {
        Ok(Remote {
            client: ctx.client()?,
            deadline: Deadline::from_timeout(OPERATION_TIMEOUT),
            cancel: ctx.cancel(),
        })
    }

    /// Applies `state` to AWS and reads the result back. `created` collects what exists so far,
    /// so a failure part-way still records it.
    async fn converge(
        &self,
        remote: &Remote<'_>,
        state: &State,
        create: bool,
    ) -> Result<State, (Option<State>, Diagnostics)> {
        let desired = Desired::from_state(state);
        if desired.has_errors() {
            return Err((None, desired.diagnostics()));
        }
        let own_tags = state.tags.clone().unwrap_or_default();
        let mut done = State {
            id: Some(state.name.clone()),
            ..state.clone()
        };
        let mut any_created = false;
        let mut static_changed = false;
        for (scope, kind) in GROUPS {
            let name = group_name(kind, &state.name);
            let mut tags = remote.client.tags_with_defaults(&own_tags);
            tags.extend(desired.reason_tags(state, scope));
            let step = async {
                let group = match remote.read(kind, &name).await? {
                    Some(existing) => existing,
                    None => {
                        let group = remote
                            .create(kind, &name, &state.family, tags.clone())
                            .await?;
                        remote::RemoteGroup {
                            group,
                            parameters: BTreeMap::new(),
                            tags: tags.clone(),
                        }
                    }
                };
                Ok::<_, dbrail_aws::OperationError>(group)
            };
            let group = match step.await {
                Ok(g) => g,
                Err(err) => {
                    return Err((
                        any_created.then(|| done.clone()),
                        operation_error(&format!("Creating {}", kind.describe()), &err).into(),
                    ));
                }
            };
            any_created = true;
            match kind {
                GroupKind::Cluster => {
                    done.cluster_parameter_group_arn = Some(group.group.arn.clone())
                }
                GroupKind::Instance => {
                    done.instance_parameter_group_arn = Some(group.group.arn.clone())
                }
            }
            done.cluster_parameter_group_name = Some(cluster_group_name(&state.name));
            done.instance_parameter_group_name = Some(instance_group_name(&state.name));
            let synced = async {
                let changed = remote
                    .sync_parameters(kind, scope, &group.group.name, &desired, &group.parameters)
                    .await?;
                remote
                    .sync_tags(&group.group.arn, &group.tags, &tags)
                    .await?;
                Ok::<_, dbrail_aws::OperationError>(changed)
            };
            match synced.await {
                Ok(changed) => static_changed |= changed,
                Err(err) => {
                    return Err((
                        Some(done),
                        operation_error(&format!("Updating {} {name}", kind.describe()), &err)
                            .into(),
                    ));
                }
            }
        }
        let _ = create;
        match self.refresh(remote, done.clone()).await {
            Ok(Some(mut fresh)) => {
                fresh.pending_reboot = state.pending_reboot.or(Some(static_changed));
                Ok(fresh)
            }
            Ok(None) => Err((Some(done), Diagnostic::error(
                "Parameter groups vanished during apply",
                "They were deleted while dbrail was configuring them. Run `terraform apply` again.",
            ).into())),
            Err(d) => Err((Some(done), d)),
        }
    }

    /// Reads both groups into `state`; `None` when either is gone.
    async fn refresh(
        &self,
        remote: &Remote<'_>,
        mut state: State,
    ) -> Result<Option<State>, Diagnostics> {
        let mut actual = Vec::new();
        for (scope, kind) in GROUPS {
            let name = group_name(kind, &state.name);
            let group = match remote.read(kind, &name).await {
                Ok(Some(group)) => group,
                Ok(None) => return Ok(None),
                Err(err) => {
                    return Err(operation_error(
                        &format!("Reading {} {name}", kind.describe()),
                        &err,
                    )
                    .into());
                }
            };
            state.family = group.group.family.clone();
            match kind {
                GroupKind::Cluster => {
                    state.cluster_parameter_group_name = Some(group.group.name.clone());
                    state.cluster_parameter_group_arn = Some(group.group.arn.clone());
                    state.effective_cluster_parameters = Some(group.parameters.clone());
                    state.tags = Some(user_tags(
                        &group.tags,
                        &remote.client.default_tags,
                        state.tags.as_ref(),
                    ));
                }
                GroupKind::Instance => {
                    state.instance_parameter_group_name = Some(group.group.name.clone());
                    state.instance_parameter_group_arn = Some(group.group.arn.clone());
                    state.effective_instance_parameters = Some(group.parameters.clone());
                }
            }
            actual.push((scope, group.parameters, group.tags));
        }
        let family = dbrail_rules::baseline::family(&state.family);
        if let (None, Some(family)) = (&state.overrides, family) {
            let rebuilt = reconstruct_overrides(family, &actual);
            state.overrides = (!rebuilt.is_empty()).then_some(rebuilt);
        }
        if state.tags.as_ref().is_some_and(BTreeMap::is_empty) {
            state.tags = None;
        }
        state.id = Some(state.name.clone());
        state.pending_reboot = Some(state.pending_reboot.unwrap_or(false));
        Ok(Some(state))
    }
}

#[async_trait]
impl Resource for ParameterBaseline {
    type Client = DbrailClient;
    type State = State;

    fn type_name(&self) -> &'static str {
        "dbrail_parameter_baseline"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    async fn create(
        &self,
        ctx: &Context<DbrailClient>,
        req: CreateRequest<State>,
    ) -> ApplyResult<State> {
        let remote = match Self::remote(ctx) {
            Ok(r) => r,
            Err(d) => return ApplyResult::failed(d),
        };
        let mut planned = req.planned;
        planned.pending_reboot = Some(false);
        match self.converge(&remote, &planned, true).await {
            Ok(state) => ApplyResult::ok(State {
                pending_reboot: Some(false),
                ..state
            }),
            Err((Some(partial), d)) => ApplyResult::partial(partial, d),
            Err((None, d)) => ApplyResult::failed(d),
        }
    }

    async fn read(
        &self,
        ctx: &Context<DbrailClient>,
        req: ReadRequest<State>,
    ) -> ReadResult<State> {
        let remote = match Self::remote(ctx) {
            Ok(r) => r,
            Err(d) => {
                return ReadResult {
                    state: Some(req.state),
                    private: req.private,
                    diagnostics: d,
                };
            }
        };
        match self.refresh(&remote, req.state.clone()).await {
            Ok(Some(state)) => ReadResult::found(state),
            Ok(None) => ReadResult::gone(),
            Err(d) => ReadResult {
                state: Some(req.state),
                private: req.private,
                diagnostics: d,
            },
        }
    }

    async fn update(
        &self,
        ctx: &Context<DbrailClient>,
        req: UpdateRequest<State>,
    ) -> ApplyResult<State> {
        let remote = match Self::remote(ctx) {
            Ok(r) => r,
            Err(d) => return ApplyResult::failed(d),
        };
        match self.converge(&remote, &req.planned, false).await {
            Ok(state) => ApplyResult::ok(State {
                pending_reboot: req.planned.pending_reboot,
                ..state
            }),
            Err((Some(partial), d)) => ApplyResult::partial(partial, d),
            Err((None, d)) => ApplyResult::failed(d),
        }
    }

    async fn delete(&self, ctx: &Context<DbrailClient>, req: DeleteRequest<State>) -> Diagnostics {
        let remote = match Self::remote(ctx) {
            Ok(r) => r,
            Err(d) => return d,
        };
        let mut diags = Diagnostics::new();
        for (_, kind) in GROUPS {
            let name = group_name(kind, &req.prior.name);
            if let Err(err) = remote.delete(kind, &name).await {
                diags.push(operation_error(
                    &format!("Deleting {} {name}", kind.describe()),
                    &err,
                ));
            }
        }
        diags
    }

    fn as_validate_config(&self) -> Option<&dyn ValidateConfig> {
        Some(self)
    }

    fn as_modify_plan(&self) -> Option<&dyn ModifyPlan<DbrailClient>> {
        Some(self)
    }

    fn as_import_state(&self) -> Option<&dyn ImportState<DbrailClient, State>> {
        Some(self)
    }
}

impl ValidateConfig for ParameterBaseline {
    fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diags = Desired::from_value(config)
            .map(|d| d.diagnostics())
            .unwrap_or_default();
        if let Some(overrides) = config.attr("overrides").and_then(Value::as_map) {
            for (key, entry) in overrides {
                if let Some(reason) = entry.attr("reason").and_then(Value::as_str) {
                    let encoded = reasons::encode(reason);
                    if encoded.chars().count() > reasons::MAX_TAG_VALUE {
                        diags.error_at(
                            dbrail_tfplugin::path::AttributePath::attr("overrides").then_key(key.clone()),
                            "Override reason is too long",
                            format!(
                                "Reasons are recorded as a tag on the parameter group, and AWS allows {} characters there ({} after escaping this one). Shorten it, or link to a ticket.",
                                reasons::MAX_TAG_VALUE,
                                encoded.chars().count()
                            ),
                        );
                    }
                }
            }
        }
        diags
    }
}

#[async_trait]
impl ModifyPlan<DbrailClient> for ParameterBaseline {
    async fn modify_plan(
        &self,
        _ctx: &Context<DbrailClient>,
        change: &mut PlanChange,
    ) -> Diagnostics {
        let name = change.config.attr("name").cloned().unwrap_or(Value::Null);
        let derived = |suffix: &str| match name.as_str() {
            Some(n) => Value::String(format!("{n}-{suffix}")),
            None => Value::unknown(),
        };
        set(&mut change.planned, "id", name.clone());
        set(
            &mut change.planned,
            "cluster_parameter_group_name",
            derived("cluster"),
        );
        set(
            &mut change.planned,
            "instance_parameter_group_name",
            derived("instance"),
        );
        let Some(desired) = Desired::from_value(&change.config) else {
            return Diagnostics::new();
        };
        let cluster = desired.values(dbrail_rules::Scope::Cluster);
        let instance = desired.values(dbrail_rules::Scope::Instance);
        let pending = match (&change.prior, desired.is_known()) {
            (None, _) => Value::Bool(false),
            (Some(_), false) => Value::unknown(),
            (Some(prior), true) => {
                let changed_static = desired_static_changed(&desired, prior);
                let prior_pending = prior
                    .attr("pending_reboot")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let values_change = prior.attr("effective_cluster_parameters")
                    != Some(&string_map(cluster.clone()))
                    || prior.attr("effective_instance_parameters")
                        != Some(&string_map(instance.clone()));
                Value::Bool(if values_change {
                    changed_static
                } else {
                    prior_pending
                })
            }
        };
        set(
            &mut change.planned,
            "effective_cluster_parameters",
            string_map(cluster),
        );
        set(
            &mut change.planned,
            "effective_instance_parameters",
            string_map(instance),
        );
        set(&mut change.planned, "pending_reboot", pending);
        Diagnostics::new()
    }
}

/// Whether a static parameter's value differs between the prior state and the desired values.
fn desired_static_changed(desired: &Desired, prior: &Value) -> bool {
    [
        (dbrail_rules::Scope::Cluster, "effective_cluster_parameters"),
        (
            dbrail_rules::Scope::Instance,
            "effective_instance_parameters",
        ),
    ]
    .into_iter()
    .any(|(scope, attr)| {
        let before = prior.attr(attr).and_then(Value::as_map);
        desired.parameters(scope).any(|p| {
            p.apply_method == dbrail_rules::baseline::ApplyMethod::PendingReboot
                && before.and_then(|b| b.get(&p.name)).and_then(Value::as_str)
                    != p.value.known().map(String::as_str)
        })
    })
}

#[async_trait]
impl ImportState<DbrailClient, State> for ParameterBaseline {
    async fn import_state(
        &self,
        _ctx: &Context<DbrailClient>,
        id: &str,
    ) -> Result<State, Diagnostics> {
        let name = id.trim();
        if name.is_empty() {
            return Err(Diagnostic::error(
                "Import needs the baseline's name",
                "Run `terraform import dbrail_parameter_baseline.<label> <name>`, where the groups are `<name>-cluster` and `<name>-instance`.",
            )
            .into());
        }
        let name = name
            .strip_suffix("-cluster")
            .or_else(|| name.strip_suffix("-instance"))
            .unwrap_or(name);
        Ok(State {
            id: Some(name.to_owned()),
            name: name.to_owned(),
            ..State::default()
        })
    }
}
