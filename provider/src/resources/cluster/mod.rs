//! `dbrail_cluster`: the guarded Aurora cluster and its instances.
//!
//! Plan time runs the guardrails (validation), computes what the plan can already show, refuses
//! replacing or destroying a guarded cluster, and checks engine-version moves. Apply re-checks
//! the guardrails with every value known, then converges AWS step by step (each step
//! idempotent), so an interrupted apply resumes instead of duplicating anything. Read reports
//! what AWS holds, so drift on guarded settings shows in the next plan with a warning naming
//! the rule, and apply repairs it.

mod guardrails;
mod model;
mod plan;
mod remote;
mod schema;
mod tags;

use crate::client::DbrailClient;
use async_trait::async_trait;
use dbrail_aws::{CancellationToken, Deadline};
use dbrail_rules::Fact;
use dbrail_tfplugin::diagnostics::{Diagnostic, Diagnostics};
use dbrail_tfplugin::framework::{
    ApplyResult, Context, CreateRequest, DeleteRequest, ImportState, ModifyPlan, PlanChange,
    ReadRequest, ReadResult, Resource, UpdateRequest, ValidateConfig,
};
use dbrail_tfplugin::schema::{Schema, Timeouts};
use dbrail_tfplugin::value::Value;
use model::{State, TimeoutsModel};
use remote::{Remote, StepError};
use std::collections::BTreeSet;
use std::time::Duration;

/// Default limits: Aurora creates and upgrades take tens of minutes.
const DEFAULT_TIMEOUTS: Timeouts = Timeouts {
    create: Duration::from_secs(120 * 60),
    update: Duration::from_secs(120 * 60),
    delete: Duration::from_secs(90 * 60),
};

/// How long reading the cluster may take (refresh, and recording state after a failure).
const RECORD_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// The resource type.
pub(crate) struct ClusterResource;

enum Operation {
    Create,
    Update,
    Delete,
}

fn deadline(timeouts: Option<&TimeoutsModel>, operation: Operation) -> Deadline {
    let parse = |text: Option<&String>, default: Duration| {
        text.and_then(|t| dbrail_tfplugin::schema::parse_duration(t).ok())
            .unwrap_or(default)
    };
    let t = timeouts.cloned().unwrap_or_default();
    Deadline::from_timeout(match operation {
        Operation::Create => parse(t.create.as_ref(), DEFAULT_TIMEOUTS.create),
        Operation::Update => parse(t.update.as_ref(), DEFAULT_TIMEOUTS.update),
        Operation::Delete => parse(t.delete.as_ref(), DEFAULT_TIMEOUTS.delete),
    })
}

fn remote<'a>(
    ctx: &'a Context<DbrailClient>,
    deadline: Deadline,
) -> Result<Remote<'a>, Diagnostics> {
    Ok(Remote {
        client: ctx.client()?,
        deadline,
        cancel: ctx.cancel(),
    })
}

/// Guardrails with every value known: run before the first API call of create and update.
fn recheck(planned_value: &Value, zones: Fact<BTreeSet<String>>) -> Diagnostics {
    let evaluation = guardrails::evaluate(planned_value, zones);
    evaluation
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

/// Where instances will run: the subnet group's zones, one per instance as far as they go.
fn planned_zones(zones: &[String], instances: usize) -> Fact<BTreeSet<String>> {
    if zones.is_empty() {
        return Fact::Unknown;
    }
    Fact::Known(zones.iter().take(instances.max(1)).cloned().collect())
}

impl ClusterResource {
    async fn refresh(
        &self,
        remote: &Remote<'_>,
        state: &State,
    ) -> Result<Option<(State, Diagnostics)>, Diagnostics> {
        match remote.read(state).await {
            Ok(Some((mut fresh, warnings))) => {
                fresh.compliance = compliance_of(&fresh);
                Ok(Some((fresh, warnings)))
            }
            Ok(None) => Ok(None),
            Err(err) => Err(err.diagnostics()),
        }
    }

    async fn converge(
        &self,
        remote: &Remote<'_>,
        planned: &State,
        planned_value: &Value,
        create: bool,
    ) -> ApplyResult<State> {
        let mut state = planned.clone();
        let subnet_group = match remote.ensure_subnet_group(&state).await {
            Ok(group) => group,
            Err(err) => return ApplyResult::failed(err.diagnostics()),
        };
        state.db_subnet_group_name = subnet_group.clone();
        let zones = match &subnet_group {
            Some(group) => match remote.subnet_zones(group).await {
                Ok(z) => z,
                Err(err) => return ApplyResult::failed(err.diagnostics()),
            },
            None => Vec::new(),
        };
        let blocking = recheck(
            planned_value,
            planned_zones(&zones, 1 + state.reader_count()),
        );
        if blocking.has_errors() {
            return ApplyResult::failed(blocking);
        }
        let cluster = if create {
            let version = match remote
                .resolve_engine_version(&state.engine, &state.engine_version)
                .await
            {
                Ok(v) => v,
                Err(err) => return ApplyResult::failed(err.diagnostics()),
            };
            if let Err(err) = remote.refuse_foreign_cluster(&state.name).await {
                return ApplyResult::failed(err);
            }
            match remote.create_cluster(&state, Some(version)).await {
                Ok(c) => c,
                Err(err) => return self.fail_after(remote, &state, err).await,
            }
        } else {
            match dbrail_aws::rds::find_cluster(
                &remote.client.aws.rds,
                &state.name,
                remote.deadline,
                remote.cancel,
            )
            .await
            {
                Ok(Some(c)) => c,
                Ok(None) => {
                    return ApplyResult::failed(Diagnostic::error(
                        format!("Cluster {} no longer exists", state.name),
                        "It was deleted while this plan was pending. Run `terraform plan` again.",
                    ));
                }
                Err(err) => {
                    return ApplyResult::failed(crate::diagnostics::operation_error(
                        "Reading the cluster",
                        &err,
                    ));
                }
            }
        };
        if !create {
            let major_moves = model::major_of(&state.engine, &state.engine_version)
                != model::major_of(&cluster.engine, &cluster.engine_version);
            if major_moves && state.allow_major_version_upgrade != Some(true) {
                return ApplyResult::failed(
                    Diagnostic::error(
                        format!(
                            "Cluster {} runs {}; {} is a major version upgrade",
                            state.name, cluster.engine_version, state.engine_version
                        ),
                        "Set `allow_major_version_upgrade = true` to perform it.",
                    )
                    .at(dbrail_tfplugin::path::AttributePath::attr("engine_version")),
                );
            }
            if let Some(baseline) = &state.parameter_baseline {
                let wanted = model::family_of(&state.engine, &state.engine_version);
                if major_moves && baseline.family != wanted {
                    return ApplyResult::failed(Diagnostic::error(
                        format!("The parameter baseline is for {}, not {wanted}", baseline.family),
                        format!("Use a `dbrail_parameter_baseline` with `family = \"{wanted}\"` for the upgrade."),
                    )
                    .at(dbrail_tfplugin::path::AttributePath::attr("parameter_baseline")));
                }
            }
        }
        let steps = async {
            remote.converge_cluster(&state, &cluster).await?;
            remote.converge_tags(&state, &cluster).await?;
            remote.converge_instances(&state, &cluster, &zones).await?;
            remote.converge_instance_settings(&state, &cluster).await?;
            Ok::<_, StepError>(())
        };
        if let Err(err) = steps.await {
            return self.fail_after(remote, &state, err).await;
        }
        match self.refresh(remote, &state).await {
            Ok(Some((fresh, _))) => ApplyResult::ok(fresh),
            Ok(None) => ApplyResult::failed(Diagnostic::error(
                format!("Cluster {} vanished during apply", state.name),
                "It was deleted while dbrail was configuring it. Run `terraform apply` again.",
            )),
            Err(d) => ApplyResult::partial(state, d),
        }
    }

    /// A step failed after the cluster may exist: record what AWS holds, with the error.
    async fn fail_after(
        &self,
        remote: &Remote<'_>,
        state: &State,
        err: StepError,
    ) -> ApplyResult<State> {
        let mut diagnostics = err.diagnostics();
        // The operation's own deadline or stop signal may be what ended it; recording what
        // exists gets a short deadline and a token of its own, so state is never lost.
        let recording = CancellationToken::new();
        let recorder = Remote {
            client: remote.client,
            deadline: Deadline::from_timeout(RECORD_TIMEOUT),
            cancel: &recording,
        };
        match self.refresh(&recorder, state).await {
            Ok(Some((fresh, _))) => {
                diagnostics.push(Diagnostic::warning(
                    format!("Cluster {} exists but is not complete", state.name),
                    "State records what was created. Terraform marks it tainted; to finish it in place \
                         rather than replace it, run `terraform untaint dbrail_cluster.<label>` and \
                         `terraform apply` again — every step resumes without duplicating anything.".to_string(),
                ));
                ApplyResult::partial(fresh, diagnostics)
            }
            _ => ApplyResult::failed(diagnostics),
        }
    }
}

/// The compliance summary of a state, evaluated the same way as at plan time.
fn compliance_of(state: &State) -> Option<std::collections::BTreeMap<String, String>> {
    let value = Value::from_typed(state, &schema::schema().block.value_type()).ok()?;
    let zones = state
        .availability_zones
        .clone()
        .map_or(Fact::Unknown, Fact::Known);
    guardrails::compliance(&guardrails::evaluate(&value, zones).outcomes)
}

#[async_trait]
impl Resource for ClusterResource {
    type Client = DbrailClient;
    type State = State;

    fn type_name(&self) -> &'static str {
        "dbrail_cluster"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    async fn create(
        &self,
        ctx: &Context<DbrailClient>,
        req: CreateRequest<State>,
    ) -> ApplyResult<State> {
        let remote = match remote(
            ctx,
            deadline(req.planned.timeouts.as_ref(), Operation::Create),
        ) {
            Ok(r) => r,
            Err(d) => return ApplyResult::failed(d),
        };
        self.converge(&remote, &req.planned, &req.planned_value, true)
            .await
    }

    async fn read(
        &self,
        ctx: &Context<DbrailClient>,
        req: ReadRequest<State>,
    ) -> ReadResult<State> {
        let remote = match remote(ctx, Deadline::from_timeout(RECORD_TIMEOUT)) {
            Ok(r) => r,
            Err(d) => {
                return ReadResult {
                    state: Some(req.state),
                    private: req.private,
                    diagnostics: d,
                };
            }
        };
        match self.refresh(&remote, &req.state).await {
            Ok(Some((state, warnings))) => ReadResult {
                state: Some(state),
                private: req.private,
                diagnostics: warnings,
            },
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
        let remote = match remote(
            ctx,
            deadline(req.planned.timeouts.as_ref(), Operation::Update),
        ) {
            Ok(r) => r,
            Err(d) => return ApplyResult::failed(d),
        };
        self.converge(&remote, &req.planned, &req.planned_value, false)
            .await
    }

    async fn delete(&self, ctx: &Context<DbrailClient>, req: DeleteRequest<State>) -> Diagnostics {
        if req.prior.guarded() {
            let prior = Value::from_typed(&req.prior, &schema::schema().block.value_type())
                .unwrap_or(Value::Null);
            let refused = plan::destroy_guard(&prior);
            if refused.has_errors() {
                return refused;
            }
        }
        let remote = match remote(
            ctx,
            deadline(req.prior.timeouts.as_ref(), Operation::Delete),
        ) {
            Ok(r) => r,
            Err(d) => return d,
        };
        match remote.delete(&req.prior).await {
            Ok(()) => Diagnostics::new(),
            Err(err) => err.diagnostics(),
        }
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

impl ValidateConfig for ClusterResource {
    fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diags = guardrails::evaluate(config, Fact::Unknown).diagnostics;
        if let Err((path, problem)) = Timeouts::from_value(config, DEFAULT_TIMEOUTS) {
            diags.error_at(path, "Invalid timeout", problem);
        }
        let mut seen = std::collections::BTreeSet::new();
        let waivers = config
            .attr("waiver")
            .and_then(Value::as_list)
            .unwrap_or_default();
        for (i, waiver) in waivers.iter().enumerate() {
            let at = dbrail_tfplugin::path::AttributePath::attr("waiver").then_index(i);
            if let Some(rule) = waiver.attr("rule").and_then(Value::as_str)
                && !seen.insert(rule.to_owned())
            {
                diags.error_at(
                    at.clone().then_attr("rule"),
                    format!("Rule {rule} is waived twice"),
                    "Keep one waiver per rule: put every reason in it.",
                );
            }
            if let (Some(reason), Some(expires)) = (
                waiver.attr("reason").and_then(Value::as_str),
                waiver.attr("expires").and_then(Value::as_str),
            ) {
                let recorded = crate::tag_text::encode(&format!("{expires} {reason}"));
                if recorded.chars().count() > crate::tag_text::MAX_TAG_VALUE {
                    diags.error_at(
                        at.then_attr("reason"),
                        "Waiver reason is too long",
                        format!(
                            "Waivers are recorded as a tag on the cluster, and AWS allows {} characters there. Shorten it, or link to a ticket.",
                            crate::tag_text::MAX_TAG_VALUE
                        ),
                    );
                }
            }
        }
        let subnets = config.attr("subnet_ids").is_some_and(|v| !v.is_null());
        let group = config
            .attr("db_subnet_group_name")
            .is_some_and(|v| !v.is_null());
        if subnets == group
            && config.attr("subnet_ids").is_some_and(Value::is_known)
            && config
                .attr("db_subnet_group_name")
                .is_some_and(Value::is_known)
        {
            diags.error_at(
                dbrail_tfplugin::path::AttributePath::attr("subnet_ids"),
                "Give exactly one of subnet_ids and db_subnet_group_name",
                "Set `subnet_ids` for dbrail to create the DB subnet group, or `db_subnet_group_name` to use an existing one.",
            );
        }
        let interval = config
            .attr("monitoring_interval")
            .and_then(Value::as_number)
            .and_then(|n| n.as_i64());
        if let Some(interval) = interval
            && ![0, 1, 5, 10, 15, 30, 60].contains(&interval)
        {
            diags.error_at(
                dbrail_tfplugin::path::AttributePath::attr("monitoring_interval"),
                "Invalid monitoring interval",
                format!("{interval} is not one of 0, 1, 5, 10, 15, 30, 60 seconds."),
            );
        }
        diags
    }
}

#[async_trait]
impl ModifyPlan<DbrailClient> for ClusterResource {
    async fn modify_plan(
        &self,
        _ctx: &Context<DbrailClient>,
        change: &mut PlanChange,
    ) -> Diagnostics {
        plan::modify(change)
    }

    async fn plan_destroy(&self, _ctx: &Context<DbrailClient>, prior: &Value) -> Diagnostics {
        plan::destroy_guard(prior)
    }
}

#[async_trait]
impl ImportState<DbrailClient, State> for ClusterResource {
    async fn import_state(
        &self,
        _ctx: &Context<DbrailClient>,
        id: &str,
    ) -> Result<State, Diagnostics> {
        let name = id.trim();
        if name.is_empty() {
            return Err(Diagnostic::error(
                "Import needs the cluster identifier",
                "Run `terraform import dbrail_cluster.<label> <cluster-identifier>`.",
            )
            .into());
        }
        Ok(State {
            id: Some(name.to_owned()),
            name: name.to_owned(),
            ..State::default()
        })
    }
}
