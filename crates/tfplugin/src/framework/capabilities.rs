//! Opt-in resource capabilities, each its own trait.

use super::context::Context;
use crate::diagnostics::Diagnostics;
use crate::path::AttributePath;
use crate::value::Value;
use async_trait::async_trait;

/// Validation of a resource's configuration, before any plan. Values may be unknown here.
pub trait ValidateConfig: Send + Sync {
    /// Checks `config`; errors should carry the attribute path.
    fn validate_config(&self, config: &Value) -> Diagnostics;
}

/// A plan being computed: the resource may adjust `planned` and request replacement.
#[derive(Debug, Clone)]
pub struct PlanChange {
    /// State before the change; `None` when creating.
    pub prior: Option<Value>,
    /// The configuration.
    pub config: Value,
    /// The planned new state; starts as Terraform's proposal with computed values marked unknown
    /// where they may change.
    pub planned: Value,
    /// Attributes whose change forces replacement (already includes schema-declared ones).
    pub requires_replace: Vec<AttributePath>,
    /// Provider-private data carried from plan to apply.
    pub private: Vec<u8>,
}

/// Plan modification: computing planned values, plan-time guardrails, replacement decisions.
#[async_trait]
pub trait ModifyPlan<C>: Send + Sync {
    /// Adjusts a create or update plan.
    async fn modify_plan(&self, ctx: &Context<C>, change: &mut PlanChange) -> Diagnostics;

    /// Checks a planned destroy; an error stops the plan before anything is deleted.
    async fn plan_destroy(&self, _ctx: &Context<C>, _prior: &Value) -> Diagnostics {
        Diagnostics::new()
    }
}

/// `terraform import ADDRESS ID`.
#[async_trait]
pub trait ImportState<C, S>: Send + Sync {
    /// Turns the user's import id into a (possibly partial) state; Terraform reads it next.
    async fn import_state(&self, ctx: &Context<C>, id: &str) -> Result<S, Diagnostics>;
}

/// Upgrading stored state from an older schema version.
pub trait UpgradeState: Send + Sync {
    /// Rewrites JSON state of `version` into the current shape.
    fn upgrade_state(
        &self,
        version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostics>;
}
