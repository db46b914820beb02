//! The core resource trait and its request/result types.

use super::capabilities::{ImportState, ModifyPlan, UpgradeState, ValidateConfig};
use super::context::Context;
use crate::diagnostics::Diagnostics;
use crate::schema::Schema;
use crate::value::Value;
use async_trait::async_trait;
use serde::{Serialize, de::DeserializeOwned};

/// Create: the planned state (unknown computed values read as `None`) and the raw values.
pub struct CreateRequest<S> {
    /// The planned state, typed.
    pub planned: S,
    /// The planned state as a value, unknowns intact.
    pub planned_value: Value,
    /// The configuration as written (write-only attributes are only here).
    pub config: Value,
}

/// Read: the state Terraform holds.
pub struct ReadRequest<S> {
    /// Current state, typed.
    pub state: S,
    /// Provider-private data stored with the state.
    pub private: Vec<u8>,
}

/// Update: prior and planned state.
pub struct UpdateRequest<S> {
    /// State before the change.
    pub prior: S,
    /// Planned state, typed.
    pub planned: S,
    /// Planned state as a value.
    pub planned_value: Value,
    /// The configuration as written.
    pub config: Value,
    /// Provider-private data from the plan.
    pub private: Vec<u8>,
}

/// Delete: the state to remove.
pub struct DeleteRequest<S> {
    /// State before deletion.
    pub prior: S,
}

/// The outcome of create or update.
///
/// A failed operation that already created something returns that `state` *and* error
/// diagnostics: Terraform then records what exists instead of losing it.
pub struct ApplyResult<S> {
    /// The new state, or `None` when nothing exists (or, for update, nothing changed).
    pub state: Option<S>,
    /// New provider-private data.
    pub private: Vec<u8>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl<S> ApplyResult<S> {
    /// Success.
    pub fn ok(state: S) -> Self {
        Self {
            state: Some(state),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// Failure before anything was created or changed.
    pub fn failed(diagnostics: impl Into<Diagnostics>) -> Self {
        Self {
            state: None,
            private: Vec::new(),
            diagnostics: diagnostics.into(),
        }
    }

    /// Failure after something was created or changed: `state` records it.
    pub fn partial(state: S, diagnostics: impl Into<Diagnostics>) -> Self {
        Self {
            state: Some(state),
            private: Vec::new(),
            diagnostics: diagnostics.into(),
        }
    }
}

/// The outcome of read.
pub struct ReadResult<S> {
    /// The refreshed state, or `None` when the remote object no longer exists.
    pub state: Option<S>,
    /// Provider-private data.
    pub private: Vec<u8>,
    /// Warnings (for example drift on a guarded setting) or errors.
    pub diagnostics: Diagnostics,
}

impl<S> ReadResult<S> {
    /// The object exists with this state.
    pub fn found(state: S) -> Self {
        Self {
            state: Some(state),
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// The object is gone.
    pub fn gone() -> Self {
        Self {
            state: None,
            private: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }
}

/// A managed resource type.
///
/// State is a serde struct whose field names are the schema's attribute names; attributes that
/// may be unknown or null are `Option`s. The framework converts between it and wire values.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// The configured client from the provider.
    type Client: Send + Sync + 'static;
    /// The typed state.
    type State: Serialize + DeserializeOwned + Send + Sync + 'static;

    /// The resource type name, such as `dbrail_parameter_baseline`.
    fn type_name(&self) -> &'static str;

    /// The schema.
    fn schema(&self) -> Schema;

    /// Creates the remote object.
    async fn create(
        &self,
        ctx: &Context<Self::Client>,
        req: CreateRequest<Self::State>,
    ) -> ApplyResult<Self::State>;

    /// Refreshes state from the remote object.
    async fn read(
        &self,
        ctx: &Context<Self::Client>,
        req: ReadRequest<Self::State>,
    ) -> ReadResult<Self::State>;

    /// Updates the remote object in place.
    async fn update(
        &self,
        ctx: &Context<Self::Client>,
        req: UpdateRequest<Self::State>,
    ) -> ApplyResult<Self::State>;

    /// Deletes the remote object. On error the state is kept.
    async fn delete(
        &self,
        ctx: &Context<Self::Client>,
        req: DeleteRequest<Self::State>,
    ) -> Diagnostics;

    /// Opt-in: configuration validation beyond the schema.
    fn as_validate_config(&self) -> Option<&dyn ValidateConfig> {
        None
    }

    /// Opt-in: plan modification.
    fn as_modify_plan(&self) -> Option<&dyn ModifyPlan<Self::Client>> {
        None
    }

    /// Opt-in: `terraform import`.
    fn as_import_state(&self) -> Option<&dyn ImportState<Self::Client, Self::State>> {
        None
    }

    /// Opt-in: upgrading state written by older schema versions.
    fn as_upgrade_state(&self) -> Option<&dyn UpgradeState> {
        None
    }
}
