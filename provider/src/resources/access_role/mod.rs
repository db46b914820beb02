//! `dbrail_access_role`: one IAM role per (service, database user, tier) for IAM database
//! authentication, with exactly one inline policy.
//!
//! Plan time renders the trust and permissions policies (account and region from the provider's
//! verified identity), runs the access rules over them and shows `policy_json`,
//! `connect_resource_arns` and `grant_sql`. Read reports the inline policy AWS holds, so an edit
//! made outside Terraform shows as a diff on `policy_json` and the next apply puts dbrail's
//! back; policies attached beside it are a warning naming DB-ACCESS-LEAST-PRIVILEGE. Import
//! takes the role name and rebuilds the configuration from the role's documents and the tags
//! dbrail records on it.

mod desired;
mod documents;
pub(crate) mod grant_sql;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod grant_sql_postgres;
mod guardrails;
mod model;
mod remote;
mod schema;

use crate::client::DbrailClient;
use crate::diagnostics::operation_error;
use crate::rules_bridge::finding_diagnostic;
use async_trait::async_trait;
use dbrail_aws::Deadline;
use dbrail_rules::access::{AccessRoleSubject, AccessTier};
use dbrail_rules::{Context, Fact, Subject};
use dbrail_tfplugin::diagnostics::{Diagnostic, Diagnostics};
use dbrail_tfplugin::framework::{
    ApplyResult, Context as TfContext, CreateRequest, DeleteRequest, ImportState, ModifyPlan,
    PlanChange, ReadRequest, ReadResult, Resource, UpdateRequest,
};
use dbrail_tfplugin::path::AttributePath;
use dbrail_tfplugin::schema::Schema;
use dbrail_tfplugin::value::Value;
use desired::Desired;
use model::State;
use remote::{Remote, account};
use std::time::Duration;

/// IAM calls finish in seconds; this bounds retries on throttling and propagation.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// The resource type.
pub(crate) struct AccessRole;

fn remote<'a>(ctx: &'a TfContext<DbrailClient>) -> Result<Remote<'a>, Diagnostics> {
    Ok(Remote {
        client: ctx.client()?,
        deadline: Deadline::from_timeout(OPERATION_TIMEOUT),
        cancel: ctx.cancel(),
    })
}

fn set(planned: &mut Value, name: &str, value: Value) {
    if let Value::Object(fields) = planned {
        fields.insert(name.to_owned(), value);
    }
}

fn opt_string(value: Option<String>) -> Value {
    value.map_or(Value::Null, Value::String)
}

/// The warning for policies found on the role besides dbrail's, from the shared rule.
fn extra_policy_warnings(state: &State, extra: Vec<String>) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if extra.is_empty() {
        return diags;
    }
    let tier = state.tier.as_deref().and_then(AccessTier::from_name);
    let subject = AccessRoleSubject::new(tier.map_or(Fact::Absent, Fact::Known))
        .with_extra_policies(Fact::Known(extra));
    let context = Context::new(dbrail_rules::Tier::Production, crate::rules_bridge::today());
    if let Some(rule) = dbrail_rules::rule("DB-ACCESS-LEAST-PRIVILEGE") {
        for outcome in rule.evaluate(&Subject::AccessRole(subject), &context) {
            if let Some(finding) = outcome.finding() {
                let mut d = finding_diagnostic(finding, AttributePath::root());
                d.severity = dbrail_tfplugin::diagnostics::Severity::Warning;
                d.detail.push_str(&format!(
                    "\n\nRole: {}. dbrail leaves these policies in place; remove them in IAM or \
                     where they are managed.",
                    state.name
                ));
                diags.push(d);
            }
        }
    }
    diags
}

impl AccessRole {
    async fn apply(
        &self,
        ctx: &TfContext<DbrailClient>,
        planned: State,
        creating: bool,
    ) -> ApplyResult<State> {
        let remote = match remote(ctx) {
            Ok(r) => r,
            Err(d) => return ApplyResult::failed(d),
        };
        let desired = match Desired::from_state(&planned, Some(account(remote.client))) {
            Ok(d) => d,
            Err(d) => return ApplyResult::failed(d),
        };
        // Apply-time re-check: values unknown at plan are known now.
        let config = Value::from_typed(&planned, &schema::schema().block.value_type());
        if let Ok(config) = config {
            let subject = guardrails::subject(&config, Some(&desired));
            let (_, diags) = guardrails::evaluate(subject, guardrails::environment(&config));
            if diags.has_errors() {
                return ApplyResult::failed(diags);
            }
        }
        if creating {
            // Never adopt a role someone else created: its other policies and trust would
            // silently become part of this resource. A role dbrail created (an earlier apply
            // stopped after `CreateRole`, before terraform recorded it) is adopted: converge
            // brings its documents and tags to the plan.
            match dbrail_aws::iam::find_role(
                &remote.client.aws.iam,
                &planned.name,
                remote.deadline,
                remote.cancel,
            )
            .await
            {
                Ok(Some(role)) if !remote::created_by_dbrail(&role) => {
                    return ApplyResult::failed(
                        Diagnostic::error(
                            format!("IAM role {} already exists", planned.name),
                            format!(
                                "dbrail does not take over a role it did not create. Choose another name, or bring it under management with `terraform import <address> {}`.",
                                planned.name
                            ),
                        )
                        .at(AttributePath::attr("name")),
                    );
                }
                Ok(Some(role)) => {
                    tracing::info!(role = %role.name, "adopting the IAM role an interrupted create left");
                }
                Ok(None) => {}
                Err(err) => {
                    return ApplyResult::failed(operation_error("Looking up the IAM role", &err));
                }
            }
        }
        if let Err(err) = remote.converge(&planned, &desired).await {
            let read = remote.refresh(planned.clone()).await.ok().flatten();
            let d: Diagnostics =
                operation_error(&format!("Applying IAM role {}", planned.name), &err).into();
            return match read {
                Some((state, _)) => ApplyResult::partial(with_computed(state, &desired), d),
                None => ApplyResult::failed(d),
            };
        }
        match remote.refresh(planned.clone()).await {
            Ok(Some((state, _))) => ApplyResult::ok(with_computed(state, &desired)),
            Ok(None) => ApplyResult::failed(Diagnostic::error(
                "The role vanished during apply",
                "It was deleted while dbrail was configuring it. Run `terraform apply` again.",
            )),
            Err(err) => ApplyResult::failed(operation_error("Reading the role back", &err)),
        }
    }
}

/// Fills the attributes computed from configuration.
fn with_computed(mut state: State, desired: &Desired) -> State {
    state.connect_resource_arns = desired.connect_arns();
    state.grant_sql = desired.grant_sql();
    state
}

#[async_trait]
impl Resource for AccessRole {
    type Client = DbrailClient;
    type State = State;

    fn type_name(&self) -> &'static str {
        "dbrail_access_role"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    async fn create(
        &self,
        ctx: &TfContext<DbrailClient>,
        req: CreateRequest<State>,
    ) -> ApplyResult<State> {
        self.apply(ctx, req.planned, true).await
    }

    async fn read(
        &self,
        ctx: &TfContext<DbrailClient>,
        req: ReadRequest<State>,
    ) -> ReadResult<State> {
        let remote = match remote(ctx) {
            Ok(r) => r,
            Err(d) => {
                return ReadResult {
                    state: Some(req.state),
                    private: req.private,
                    diagnostics: d,
                };
            }
        };
        match remote.refresh(req.state.clone()).await {
            Ok(Some((state, extra))) => {
                let diagnostics = extra_policy_warnings(&state, extra);
                let state = match Desired::from_state(&state, Some(account(remote.client))) {
                    Ok(desired) => with_computed(state, &desired),
                    Err(_) => state,
                };
                ReadResult {
                    state: Some(state),
                    private: req.private,
                    diagnostics,
                }
            }
            Ok(None) => ReadResult::gone(),
            Err(err) => ReadResult {
                state: Some(req.state),
                private: req.private,
                diagnostics: operation_error("Reading the IAM role", &err).into(),
            },
        }
    }

    async fn update(
        &self,
        ctx: &TfContext<DbrailClient>,
        req: UpdateRequest<State>,
    ) -> ApplyResult<State> {
        self.apply(ctx, req.planned, false).await
    }

    async fn delete(
        &self,
        ctx: &TfContext<DbrailClient>,
        req: DeleteRequest<State>,
    ) -> Diagnostics {
        let remote = match remote(ctx) {
            Ok(r) => r,
            Err(d) => return d,
        };
        match remote.delete(&req.prior.name).await {
            Ok(()) => Diagnostics::new(),
            Err(err) => {
                operation_error(&format!("Deleting IAM role {}", req.prior.name), &err).into()
            }
        }
    }

    fn as_modify_plan(&self) -> Option<&dyn ModifyPlan<DbrailClient>> {
        Some(self)
    }

    fn as_import_state(&self) -> Option<&dyn ImportState<DbrailClient, State>> {
        Some(self)
    }
}

#[async_trait]
impl ModifyPlan<DbrailClient> for AccessRole {
    async fn modify_plan(
        &self,
        ctx: &TfContext<DbrailClient>,
        change: &mut PlanChange,
    ) -> Diagnostics {
        let name = change.config.attr("name").cloned().unwrap_or(Value::Null);
        set(&mut change.planned, "id", name);
        let mut diags = Diagnostics::new();
        let known = change.config.is_wholly_known();
        let desired = if known {
            match change.planned.to_typed::<State>() {
                Ok(state) => {
                    let account = ctx.client().ok().map(account);
                    match Desired::from_state(&state, account) {
                        Ok(d) => Some(d),
                        Err(d) => {
                            diags.extend(d);
                            None
                        }
                    }
                }
                Err(_) => None,
            }
        } else {
            None
        };
        let unknown = Value::unknown;
        match &desired {
            Some(d) => {
                set(
                    &mut change.planned,
                    "policy_json",
                    d.policy_json().map_or_else(unknown, Value::String),
                );
                set(
                    &mut change.planned,
                    "trust_policy_json",
                    Value::String(d.trust_policy_json()),
                );
                set(
                    &mut change.planned,
                    "connect_resource_arns",
                    d.connect_arns().map_or_else(unknown, |arns| {
                        Value::List(arns.into_iter().map(Value::String).collect())
                    }),
                );
                set(&mut change.planned, "grant_sql", opt_string(d.grant_sql()));
            }
            None => {
                for attr in [
                    "policy_json",
                    "trust_policy_json",
                    "connect_resource_arns",
                    "grant_sql",
                ] {
                    set(&mut change.planned, attr, unknown());
                }
            }
        }
        let subject = guardrails::subject(&change.config, desired.as_ref());
        let (_, findings) = guardrails::evaluate(subject, guardrails::environment(&change.config));
        diags.extend(findings);
        diags
    }
}

#[async_trait]
impl ImportState<DbrailClient, State> for AccessRole {
    async fn import_state(
        &self,
        _ctx: &TfContext<DbrailClient>,
        id: &str,
    ) -> Result<State, Diagnostics> {
        let name = id.trim();
        if name.is_empty() {
            return Err(Diagnostic::error(
                "Import needs the role name",
                "Run `terraform import dbrail_access_role.<label> <role-name>`.",
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
