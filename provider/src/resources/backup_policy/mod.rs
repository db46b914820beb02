//! `dbrail_backup_policy`: a named backup tier clusters opt into.
//!
//! One policy owns an AWS Backup vault, a plan with one rule and a tag-based selection, all
//! named after the policy, so the policy can be imported by name and a cluster opts in by
//! carrying the tag `dbrail:backup-policy = <name>` (set by `dbrail_cluster.backup_policy`).
//! Plan time runs G6 and G7 on the configuration and refuses lowering retention below the
//! minimum of a compliance lock already in place; apply converges step by step, recording what
//! exists after every step.

mod guardrails;
mod model;
mod remote;
mod schema;

use crate::client::DbrailClient;
use async_trait::async_trait;
use dbrail_aws::Deadline;
use dbrail_tfplugin::diagnostics::Diagnostics;
use dbrail_tfplugin::framework::{
    ApplyResult, Context, CreateRequest, DeleteRequest, ImportState, ModifyPlan, PlanChange,
    ReadRequest, ReadResult, Resource, UpdateRequest, ValidateConfig,
};
use dbrail_tfplugin::path::AttributePath;
use dbrail_tfplugin::schema::Schema;
use dbrail_tfplugin::value::Value;
use guardrails::Home;
use model::State;
use remote::Remote;
use std::time::Duration;

pub(crate) use model::POLICY_TAG;

/// Backup control-plane calls finish in seconds; this bounds retries on throttling.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The resource type.
pub(crate) struct BackupPolicy;

fn remote(ctx: &Context<DbrailClient>) -> Result<Remote<'_>, Diagnostics> {
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

#[async_trait]
impl Resource for BackupPolicy {
    type Client = DbrailClient;
    type State = State;

    fn type_name(&self) -> &'static str {
        "dbrail_backup_policy"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    async fn create(
        &self,
        ctx: &Context<DbrailClient>,
        req: CreateRequest<State>,
    ) -> ApplyResult<State> {
        let remote = match remote(ctx) {
            Ok(r) => r,
            Err(d) => return ApplyResult::failed(d),
        };
        match remote.create(&req.planned).await {
            Ok(state) => ApplyResult::ok(state),
            Err(f) => match f.state {
                Some(state) => ApplyResult::partial(state, f.diagnostics),
                None => ApplyResult::failed(f.diagnostics),
            },
        }
    }

    async fn read(
        &self,
        ctx: &Context<DbrailClient>,
        req: ReadRequest<State>,
    ) -> ReadResult<State> {
        let remote = match remote(ctx) {
            Ok(r) => r,
            Err(diagnostics) => {
                return ReadResult {
                    state: Some(req.state),
                    private: req.private,
                    diagnostics,
                };
            }
        };
        match remote.read(&req.state).await {
            Ok(Some(state)) => ReadResult::found(state),
            Ok(None) => ReadResult::gone(),
            Err(diagnostics) => ReadResult {
                state: Some(req.state),
                private: req.private,
                diagnostics,
            },
        }
    }

    async fn update(
        &self,
        ctx: &Context<DbrailClient>,
        req: UpdateRequest<State>,
    ) -> ApplyResult<State> {
        let remote = match remote(ctx) {
            Ok(r) => r,
            Err(d) => return ApplyResult::failed(d),
        };
        match remote.update(&req.prior, &req.planned).await {
            Ok(state) => ApplyResult::ok(state),
            Err(f) => match f.state {
                Some(state) => ApplyResult::partial(state, f.diagnostics),
                None => ApplyResult::failed(f.diagnostics),
            },
        }
    }

    async fn delete(&self, ctx: &Context<DbrailClient>, req: DeleteRequest<State>) -> Diagnostics {
        match remote(ctx) {
            Ok(remote) => remote.delete(&req.prior).await,
            Err(d) => d,
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

impl ValidateConfig for BackupPolicy {
    fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let copies = config
            .attr("copy_to")
            .and_then(Value::as_list)
            .unwrap_or_default();
        for (i, copy) in copies.iter().enumerate() {
            let given = |name: &str| copy.attr(name).is_some_and(|v| !v.is_null());
            if given("region") == given("vault_arn") {
                diags.error_at(
                    AttributePath::attr("copy_to").then_index(i),
                    "copy_to needs exactly one of region or vault_arn",
                    "Set `region` for a copy to another region of this account, or `vault_arn` \
                     for a vault in another account — AWS Backup copies Aurora across regions or \
                     across accounts, not both at once.",
                );
            }
        }
        diags
    }
}

#[async_trait]
impl ModifyPlan<DbrailClient> for BackupPolicy {
    async fn modify_plan(
        &self,
        ctx: &Context<DbrailClient>,
        change: &mut PlanChange,
    ) -> Diagnostics {
        let config = change.config.clone();
        set(
            &mut change.planned,
            "id",
            config.attr("name").cloned().unwrap_or(Value::Null),
        );
        // The summary follows the planned values; unknown while any of them is.
        let summary = if change.planned.is_wholly_known() {
            change
                .planned
                .to_typed::<State>()
                .map_or_else(|_| Value::unknown(), |s| Value::String(s.summary()))
        } else {
            Value::unknown()
        };
        set(&mut change.planned, "summary", summary);
        if let Some(prior) = &change.prior {
            let role_changed = prior.attr("backup_role_arn") != config.attr("backup_role_arn");
            let selection = if role_changed {
                Value::unknown()
            } else {
                prior
                    .attr("selection_id")
                    .cloned()
                    .unwrap_or_else(Value::unknown)
            };
            set(&mut change.planned, "selection_id", selection);
        }
        let mut diags = Diagnostics::new();
        if let Ok(client) = ctx.client() {
            let home = Home {
                region: &client.aws.region,
                account_id: &client.aws.account_id,
            };
            diags.extend(guardrails::evaluate(&config, &home));
        }
        if let Some(prior) = &change.prior {
            diags.extend(guardrails::below_existing_lock(prior, &config));
        }
        diags
    }
}

#[async_trait]
impl ImportState<DbrailClient, State> for BackupPolicy {
    async fn import_state(
        &self,
        ctx: &Context<DbrailClient>,
        id: &str,
    ) -> Result<State, Diagnostics> {
        remote(ctx)?.import(id.trim()).await
    }
}
