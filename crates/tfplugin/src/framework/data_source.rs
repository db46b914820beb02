//! Data sources: read-only lookups Terraform evaluates during plan.
//!
//! A data source has no lifecycle: Terraform sends the configuration and receives a state, every
//! plan. So the trait is smaller than [`Resource`](super::Resource) — a schema and one `read` on a
//! typed state — with configuration validation as the one opt-in capability. As with resources,
//! [`erase_data_source`] turns a typed data source into the value-level [`DynDataSource`] the
//! server dispatches to, converting values once and saying which attribute did not fit.
//!
//! A read that returns error diagnostics fails the plan; that is how a data source turns a
//! finding (for example "the newest backup is too old") into a gate in CI.

use super::capabilities::ValidateConfig;
use super::context::Context;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::schema::Schema;
use crate::value::{Type, Value};
use async_trait::async_trait;
use serde::{Serialize, de::DeserializeOwned};
use std::sync::Arc;

/// Read: the configuration, typed and as a value. Computed attributes read as `None`.
pub struct DataReadRequest<S> {
    /// The configuration, typed into the state struct.
    pub config: S,
    /// The configuration as a value.
    pub config_value: Value,
}

/// The outcome of a data source read.
pub struct DataReadResult<S> {
    /// The state, or `None` when the read failed (then `diagnostics` holds an error).
    pub state: Option<S>,
    /// Errors and warnings. An error fails the plan.
    pub diagnostics: Diagnostics,
}

impl<S> DataReadResult<S> {
    /// Success.
    pub fn ok(state: S) -> Self {
        Self {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }

    /// Failure with nothing to report as state.
    pub fn failed(diagnostics: impl Into<Diagnostics>) -> Self {
        Self {
            state: None,
            diagnostics: diagnostics.into(),
        }
    }

    /// A state to show *and* diagnostics: the values the failure is about stay visible.
    pub fn with_diagnostics(state: S, diagnostics: impl Into<Diagnostics>) -> Self {
        Self {
            state: Some(state),
            diagnostics: diagnostics.into(),
        }
    }
}

/// A data source type.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    /// The configured client from the provider.
    type Client: Send + Sync + 'static;
    /// The typed state: field names are the schema's attribute names.
    type State: Serialize + DeserializeOwned + Send + Sync + 'static;

    /// The data source type name, such as `dbrail_backup_status`.
    fn type_name(&self) -> &'static str;

    /// The schema.
    fn schema(&self) -> Schema;

    /// Reads the data.
    async fn read(
        &self,
        ctx: &Context<Self::Client>,
        req: DataReadRequest<Self::State>,
    ) -> DataReadResult<Self::State>;

    /// Opt-in: configuration validation beyond the schema.
    fn as_validate_config(&self) -> Option<&dyn ValidateConfig> {
        None
    }
}

/// A read response in value terms.
pub struct DataReadResponse {
    /// The state; `Value::Null` when the read failed.
    pub state: Value,
    /// Diagnostics.
    pub diagnostics: Diagnostics,
}

/// A data source as the server sees it: values in, values out.
#[async_trait]
pub trait DynDataSource<C>: Send + Sync {
    /// The type name.
    fn type_name(&self) -> &'static str;
    /// The schema.
    fn schema(&self) -> &Schema;
    /// The value type of the schema's block.
    fn value_type(&self) -> &Type;
    /// Validates configuration (values may be unknown).
    fn validate(&self, config: &Value) -> Diagnostics;
    /// Reads with a wholly known configuration.
    async fn read(&self, ctx: &Context<C>, config: Value) -> DataReadResponse;
}

/// Wraps a typed data source for the server.
pub fn erase_data_source<D: DataSource>(data_source: D) -> Arc<dyn DynDataSource<D::Client>> {
    let schema = data_source.schema();
    let value_type = schema.block.value_type();
    Arc::new(ErasedData {
        data_source,
        schema,
        value_type,
    })
}

struct ErasedData<D> {
    data_source: D,
    schema: Schema,
    value_type: Type,
}

fn bug(what: &str, err: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error(
        format!("Could not convert {what}"),
        format!("{err}. This is a bug in dbrail; please report it."),
    )
    .into()
}

#[async_trait]
impl<D: DataSource> DynDataSource<D::Client> for ErasedData<D> {
    fn type_name(&self) -> &'static str {
        self.data_source.type_name()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn value_type(&self) -> &Type {
        &self.value_type
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = super::validate::run_validators(&self.schema.block, config);
        if let Some(v) = self.data_source.as_validate_config() {
            diags.extend(v.validate_config(config));
        }
        diags
    }

    async fn read(&self, ctx: &Context<D::Client>, config: Value) -> DataReadResponse {
        let typed = match config.to_typed::<D::State>() {
            Ok(typed) => typed,
            Err(err) => {
                return DataReadResponse {
                    state: Value::Null,
                    diagnostics: bug("configuration", err),
                };
            }
        };
        let result = self
            .data_source
            .read(
                ctx,
                DataReadRequest {
                    config: typed,
                    config_value: config,
                },
            )
            .await;
        let mut diagnostics = result.diagnostics;
        let state = match result
            .state
            .map(|s| Value::from_typed(&s, &self.value_type))
        {
            None => {
                if !diagnostics.has_errors() {
                    diagnostics.push(Diagnostic::error(
                        format!("{} returned no data", self.type_name()),
                        "The read neither produced a state nor said why. This is a bug in \
                         dbrail; please report it.",
                    ));
                }
                Value::Null
            }
            Some(Ok(value)) if value.is_wholly_known() => value,
            Some(Ok(_)) => {
                diagnostics.push(Diagnostic::error(
                    "Provider left a value unknown after a data source read",
                    format!(
                        "{} returned values still unknown. This is a bug in dbrail; please \
                         report it.",
                        self.type_name()
                    ),
                ));
                Value::Null
            }
            Some(Err(err)) => {
                diagnostics.extend(bug("data source state", err));
                Value::Null
            }
        };
        DataReadResponse { state, diagnostics }
    }
}
