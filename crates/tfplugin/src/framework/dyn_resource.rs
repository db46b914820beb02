//! The value-level resource interface the server dispatches to, and the adapter from typed
//! resources. Conversions between wire values and typed state happen here, once, with errors
//! that say which attribute did not fit.

use super::PlanChange;
use super::context::Context;
use super::planning::{null_write_only, plan_defaults};
use super::resource::{CreateRequest, DeleteRequest, ReadRequest, Resource, UpdateRequest};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::schema::Schema;
use crate::value::{Type, Value};
use async_trait::async_trait;
use serde::{Serialize, de::DeserializeOwned};
use std::sync::Arc;

/// A plan request in framework terms.
pub struct PlanRequest {
    /// Prior state; null when creating.
    pub prior: Value,
    /// Terraform's proposed new state; null when destroying.
    pub proposed: Value,
    /// The configuration; null when destroying.
    pub config: Value,
    /// Private data from prior state.
    pub private: Vec<u8>,
}

/// A plan response.
pub struct PlanResponse {
    /// The planned state.
    pub planned: Value,
    /// Attributes whose change forces replacement.
    pub requires_replace: Vec<crate::path::AttributePath>,
    /// Private data for apply.
    pub private: Vec<u8>,
    /// Diagnostics.
    pub diagnostics: Diagnostics,
}

/// An apply request.
pub struct ApplyRequest {
    /// Prior state; null when creating.
    pub prior: Value,
    /// Planned state; null when destroying.
    pub planned: Value,
    /// Configuration.
    pub config: Value,
    /// Private data from the plan.
    pub private: Vec<u8>,
}

/// An apply response.
pub struct ApplyResponse {
    /// New state (null when the object no longer exists).
    pub new_state: Value,
    /// Private data to store.
    pub private: Vec<u8>,
    /// Diagnostics.
    pub diagnostics: Diagnostics,
}

/// A read response.
pub struct ReadResponse {
    /// Refreshed state (null when the object is gone).
    pub new_state: Value,
    /// Private data.
    pub private: Vec<u8>,
    /// Diagnostics.
    pub diagnostics: Diagnostics,
}

/// An import response.
pub struct ImportResponse {
    /// Imported state, to be refreshed by a read.
    pub state: Value,
    /// Diagnostics.
    pub diagnostics: Diagnostics,
}

/// A resource type as the server sees it: values in, values out.
#[async_trait]
pub trait DynResource<C>: Send + Sync {
    /// The type name.
    fn type_name(&self) -> &'static str;
    /// The schema.
    fn schema(&self) -> &Schema;
    /// The value type of the schema's block.
    fn value_type(&self) -> &Type;
    /// Validates configuration.
    fn validate(&self, config: &Value) -> Diagnostics;
    /// Plans a change.
    async fn plan(&self, ctx: &Context<C>, req: PlanRequest) -> PlanResponse;
    /// Applies a planned change.
    async fn apply(&self, ctx: &Context<C>, req: ApplyRequest) -> ApplyResponse;
    /// Refreshes state.
    async fn read(&self, ctx: &Context<C>, state: Value, private: Vec<u8>) -> ReadResponse;
    /// Imports by id.
    async fn import(&self, ctx: &Context<C>, id: &str) -> ImportResponse;
    /// Upgrades raw JSON state of `version` to a current value.
    fn upgrade(&self, version: i64, raw: serde_json::Value) -> Result<Value, Diagnostics>;
}

/// Wraps a typed resource for the server.
pub fn erase<R: Resource>(resource: R) -> Arc<dyn DynResource<R::Client>> {
    let schema = resource.schema();
    let value_type = schema.block.value_type();
    Arc::new(Erased {
        resource,
        schema,
        value_type,
    })
}

struct Erased<R> {
    resource: R,
    schema: Schema,
    value_type: Type,
}

fn decode_error(what: &str, err: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error(
        format!("Could not decode {what}"),
        format!("{err}. This is a bug in dbrail; please report it."),
    )
    .into()
}

impl<R: Resource> Erased<R> {
    fn typed<T: DeserializeOwned>(&self, value: &Value, what: &str) -> Result<T, Diagnostics> {
        value.to_typed::<T>().map_err(|e| decode_error(what, e))
    }

    fn untyped<T: Serialize>(&self, state: &T) -> Result<Value, Diagnostics> {
        let mut value =
            Value::from_typed(state, &self.value_type).map_err(|e| decode_error("new state", e))?;
        null_write_only(&self.schema.block, &mut value);
        Ok(value)
    }

    fn finish_apply(
        &self,
        state: Option<R::State>,
        fallback: Value,
        private: Vec<u8>,
        mut diagnostics: Diagnostics,
    ) -> ApplyResponse {
        let new_state = match state.map(|s| self.untyped(&s)) {
            None => fallback,
            Some(Ok(value)) => {
                if !value.is_wholly_known() {
                    diagnostics.push(Diagnostic::error(
                        "Provider left a value unknown after apply",
                        format!(
                            "{} returned state with values still unknown. This is a bug in dbrail; please report it.",
                            self.resource.type_name()
                        ),
                    ));
                }
                value
            }
            Some(Err(diags)) => {
                diagnostics.extend(diags);
                fallback
            }
        };
        ApplyResponse {
            new_state,
            private,
            diagnostics,
        }
    }
}

#[async_trait]
impl<R: Resource> DynResource<R::Client> for Erased<R> {
    fn type_name(&self) -> &'static str {
        self.resource.type_name()
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn value_type(&self) -> &Type {
        &self.value_type
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = super::validate::run_validators(&self.schema.block, config);
        if let Some(v) = self.resource.as_validate_config() {
            diags.extend(v.validate_config(config));
        }
        diags
    }

    async fn plan(&self, ctx: &Context<R::Client>, req: PlanRequest) -> PlanResponse {
        if req.proposed.is_null() {
            let diagnostics = match self.resource.as_modify_plan() {
                Some(m) if !req.prior.is_null() => m.plan_destroy(ctx, &req.prior).await,
                _ => Diagnostics::new(),
            };
            return PlanResponse {
                planned: req.proposed,
                requires_replace: Vec::new(),
                private: req.private,
                diagnostics,
            };
        }
        let prior = (!req.prior.is_null()).then_some(req.prior);
        let mut planned = req.proposed;
        let requires_replace = plan_defaults(
            &self.schema.block,
            prior.as_ref(),
            &req.config,
            &mut planned,
        );
        let mut change = PlanChange {
            prior,
            config: req.config,
            planned,
            requires_replace,
            private: req.private,
        };
        let mut diagnostics = Diagnostics::new();
        if let Some(m) = self.resource.as_modify_plan() {
            diagnostics = m.modify_plan(ctx, &mut change).await;
        }
        null_write_only(&self.schema.block, &mut change.planned);
        change.requires_replace.sort();
        change.requires_replace.dedup();
        PlanResponse {
            planned: change.planned,
            requires_replace: change.requires_replace,
            private: change.private,
            diagnostics,
        }
    }

    async fn apply(&self, ctx: &Context<R::Client>, req: ApplyRequest) -> ApplyResponse {
        if req.planned.is_null() {
            let prior = match self.typed::<R::State>(&req.prior, "prior state") {
                Ok(p) => p,
                Err(diagnostics) => {
                    return ApplyResponse {
                        new_state: req.prior,
                        private: req.private,
                        diagnostics,
                    };
                }
            };
            let diagnostics = self.resource.delete(ctx, DeleteRequest { prior }).await;
            let new_state = if diagnostics.has_errors() {
                req.prior
            } else {
                Value::Null
            };
            return ApplyResponse {
                new_state,
                private: if diagnostics.has_errors() {
                    req.private
                } else {
                    Vec::new()
                },
                diagnostics,
            };
        }
        let planned = match self.typed::<R::State>(&req.planned, "planned state") {
            Ok(p) => p,
            Err(diagnostics) => {
                return ApplyResponse {
                    new_state: req.prior,
                    private: req.private,
                    diagnostics,
                };
            }
        };
        if req.prior.is_null() {
            let result = self
                .resource
                .create(
                    ctx,
                    CreateRequest {
                        planned,
                        planned_value: req.planned,
                        config: req.config,
                    },
                )
                .await;
            return self.finish_apply(
                result.state,
                Value::Null,
                result.private,
                result.diagnostics,
            );
        }
        let prior = match self.typed::<R::State>(&req.prior, "prior state") {
            Ok(p) => p,
            Err(diagnostics) => {
                return ApplyResponse {
                    new_state: req.prior,
                    private: req.private,
                    diagnostics,
                };
            }
        };
        let fallback = req.prior.clone();
        let result = self
            .resource
            .update(
                ctx,
                UpdateRequest {
                    prior,
                    planned,
                    planned_value: req.planned,
                    config: req.config,
                    private: req.private,
                },
            )
            .await;
        self.finish_apply(result.state, fallback, result.private, result.diagnostics)
    }

    async fn read(&self, ctx: &Context<R::Client>, state: Value, private: Vec<u8>) -> ReadResponse {
        let typed = match self.typed::<R::State>(&state, "state") {
            Ok(t) => t,
            Err(diagnostics) => {
                return ReadResponse {
                    new_state: state,
                    private,
                    diagnostics,
                };
            }
        };
        let result = self
            .resource
            .read(
                ctx,
                ReadRequest {
                    state: typed,
                    private: private.clone(),
                },
            )
            .await;
        let mut diagnostics = result.diagnostics;
        let new_state = match result.state {
            None if diagnostics.has_errors() => state,
            None => {
                diagnostics.push(Diagnostic::warning(
                    format!("{} no longer exists", self.resource.type_name()),
                    "It was deleted outside Terraform, so it has been removed from state. \
                     The next apply creates it again.",
                ));
                Value::Null
            }
            Some(s) => match self.untyped(&s) {
                Ok(v) => v,
                Err(d) => {
                    diagnostics.extend(d);
                    state
                }
            },
        };
        ReadResponse {
            new_state,
            private: if result.private.is_empty() {
                private
            } else {
                result.private
            },
            diagnostics,
        }
    }

    async fn import(&self, ctx: &Context<R::Client>, id: &str) -> ImportResponse {
        let Some(importer) = self.resource.as_import_state() else {
            return ImportResponse {
                state: Value::Null,
                diagnostics: Diagnostic::error(
                    format!("{} cannot be imported", self.resource.type_name()),
                    "This resource type does not support terraform import.",
                )
                .into(),
            };
        };
        match importer.import_state(ctx, id).await {
            Ok(state) => match self.untyped(&state) {
                Ok(state) => ImportResponse {
                    state,
                    diagnostics: Diagnostics::new(),
                },
                Err(diagnostics) => ImportResponse {
                    state: Value::Null,
                    diagnostics,
                },
            },
            Err(diagnostics) => ImportResponse {
                state: Value::Null,
                diagnostics,
            },
        }
    }

    fn upgrade(&self, version: i64, raw: serde_json::Value) -> Result<Value, Diagnostics> {
        let current = match (
            version == self.schema.version,
            self.resource.as_upgrade_state(),
        ) {
            (true, _) => raw,
            (false, Some(u)) => u.upgrade_state(version, raw)?,
            (false, None) => {
                return Err(Diagnostic::error(
                    "Unsupported state version",
                    format!(
                        "State of {} was written with schema version {version}, but this provider \
                         knows version {}. Use the provider version that wrote this state.",
                        self.resource.type_name(),
                        self.schema.version
                    ),
                )
                .into());
            }
        };
        let current = drop_unknown_attributes(&self.value_type, current);
        Value::from_serde_json(&current, &self.value_type)
            .map_err(|e| decode_error("stored state", e))
    }
}

/// Stored state may hold attributes an older release had; they are dropped rather than failing.
fn drop_unknown_attributes(ty: &Type, value: serde_json::Value) -> serde_json::Value {
    match (ty, value) {
        (Type::Object { attributes, .. }, serde_json::Value::Object(map)) => {
            serde_json::Value::Object(
                map.into_iter()
                    .filter_map(|(k, v)| {
                        attributes
                            .get(&k)
                            .map(|t| (k.clone(), drop_unknown_attributes(t, v)))
                    })
                    .collect(),
            )
        }
        (Type::List(t) | Type::Set(t), serde_json::Value::Array(items)) => {
            serde_json::Value::Array(
                items
                    .into_iter()
                    .map(|v| drop_unknown_attributes(t, v))
                    .collect(),
            )
        }
        (Type::Map(t), serde_json::Value::Object(map)) => serde_json::Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, drop_unknown_attributes(t, v)))
                .collect(),
        ),
        (_, other) => other,
    }
}
