//! Managed-resource RPCs: decode against the resource's schema, dispatch, encode.

use super::codec::{decode, diagnostics_to_wire, encode, path_to_wire};
use super::guard::guarded;
use super::state::ProviderState;
use crate::diagnostics::Diagnostics;
use crate::framework::{ApplyRequest, PlanRequest, Provider};
use crate::proto::tfplugin6 as wire;
use crate::value::Value;

pub(crate) async fn validate<P: Provider>(
    state: &ProviderState<P>,
    req: wire::validate_resource_config::Request,
) -> wire::validate_resource_config::Response {
    let diagnostics = async {
        let resource = state.resource(&req.type_name)?;
        let config = decode(req.config.as_ref(), resource.value_type(), "configuration")?;
        guarded("ValidateResourceConfig", async {
            resource.validate(&config)
        })
        .await
    }
    .await
    .unwrap_or_else(|d| d);
    wire::validate_resource_config::Response {
        diagnostics: diagnostics_to_wire(diagnostics),
    }
}

pub(crate) async fn upgrade<P: Provider>(
    state: &ProviderState<P>,
    req: wire::upgrade_resource_state::Request,
) -> wire::upgrade_resource_state::Response {
    let result = async {
        let resource = state.resource(&req.type_name)?;
        let raw = req.raw_state.unwrap_or_default();
        let json: serde_json::Value = if raw.json.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&raw.json).map_err(|e| {
                Diagnostics::from(crate::diagnostics::Diagnostic::error(
                    "Stored state is not valid JSON",
                    format!("{e}. Restore the state file from a backup."),
                ))
            })?
        };
        let value = guarded("UpgradeResourceState", async {
            resource.upgrade(req.version, json)
        })
        .await??;
        encode(&value, resource.value_type())
    }
    .await;
    match result {
        Ok(upgraded) => wire::upgrade_resource_state::Response {
            upgraded_state: Some(upgraded),
            diagnostics: Vec::new(),
        },
        Err(d) => wire::upgrade_resource_state::Response {
            upgraded_state: None,
            diagnostics: diagnostics_to_wire(d),
        },
    }
}

pub(crate) async fn read<P: Provider>(
    state: &ProviderState<P>,
    req: wire::read_resource::Request,
) -> wire::read_resource::Response {
    let result = async {
        let resource = state.resource(&req.type_name)?;
        let current = decode(req.current_state.as_ref(), resource.value_type(), "state")?;
        let ctx = state.context();
        let response = guarded(
            "ReadResource",
            resource.read(&ctx, current.clone(), req.private.clone()),
        )
        .await?;
        let new_state = encode(&response.new_state, resource.value_type())?;
        Ok::<_, Diagnostics>((new_state, response.private, response.diagnostics))
    }
    .await;
    match result {
        Ok((new_state, private, diagnostics)) => wire::read_resource::Response {
            new_state: Some(new_state),
            private,
            diagnostics: diagnostics_to_wire(diagnostics),
            ..Default::default()
        },
        // Keep what Terraform sent: a failed refresh must never lose state.
        Err(d) => wire::read_resource::Response {
            new_state: req.current_state,
            private: req.private,
            diagnostics: diagnostics_to_wire(d),
            ..Default::default()
        },
    }
}

pub(crate) async fn plan<P: Provider>(
    state: &ProviderState<P>,
    req: wire::plan_resource_change::Request,
) -> wire::plan_resource_change::Response {
    let result = async {
        let resource = state.resource(&req.type_name)?;
        let ty = resource.value_type();
        let request = PlanRequest {
            prior: decode(req.prior_state.as_ref(), ty, "prior state")?,
            proposed: decode(req.proposed_new_state.as_ref(), ty, "proposed state")?,
            config: decode(req.config.as_ref(), ty, "configuration")?,
            private: req.prior_private,
        };
        let ctx = state.context();
        let response = guarded("PlanResourceChange", resource.plan(&ctx, request)).await?;
        let planned = encode(&response.planned, ty)?;
        Ok::<_, Diagnostics>((planned, response))
    }
    .await;
    match result {
        Ok((planned, response)) => wire::plan_resource_change::Response {
            planned_state: Some(planned),
            requires_replace: response.requires_replace.iter().map(path_to_wire).collect(),
            planned_private: response.private,
            diagnostics: diagnostics_to_wire(response.diagnostics),
            ..Default::default()
        },
        Err(d) => wire::plan_resource_change::Response {
            diagnostics: diagnostics_to_wire(d),
            ..Default::default()
        },
    }
}

pub(crate) async fn apply<P: Provider>(
    state: &ProviderState<P>,
    req: wire::apply_resource_change::Request,
) -> wire::apply_resource_change::Response {
    let prior_wire = req.prior_state.clone();
    let result = async {
        let resource = state.resource(&req.type_name)?;
        let ty = resource.value_type();
        let request = ApplyRequest {
            prior: decode(req.prior_state.as_ref(), ty, "prior state")?,
            planned: decode(req.planned_state.as_ref(), ty, "planned state")?,
            config: decode(req.config.as_ref(), ty, "configuration")?,
            private: req.planned_private,
        };
        let ctx = state.context();
        let response = guarded("ApplyResourceChange", resource.apply(&ctx, request)).await?;
        let new_state = encode(&response.new_state, ty)?;
        Ok::<_, Diagnostics>((new_state, response.private, response.diagnostics))
    }
    .await;
    match result {
        Ok((new_state, private, diagnostics)) => wire::apply_resource_change::Response {
            new_state: Some(new_state),
            private,
            diagnostics: diagnostics_to_wire(diagnostics),
            ..Default::default()
        },
        // Nothing is known to have changed: hand back the prior state so none is lost.
        Err(d) => wire::apply_resource_change::Response {
            new_state: prior_wire,
            diagnostics: diagnostics_to_wire(d),
            ..Default::default()
        },
    }
}

pub(crate) async fn import<P: Provider>(
    state: &ProviderState<P>,
    req: wire::import_resource_state::Request,
) -> wire::import_resource_state::Response {
    let result = async {
        let resource = state.resource(&req.type_name)?;
        let ctx = state.context();
        let response = guarded("ImportResourceState", resource.import(&ctx, &req.id)).await?;
        if response.diagnostics.has_errors() || response.state == Value::Null {
            return Err(response.diagnostics);
        }
        let imported = encode(&response.state, resource.value_type())?;
        Ok::<_, Diagnostics>((imported, response.diagnostics))
    }
    .await;
    match result {
        Ok((imported, diagnostics)) => wire::import_resource_state::Response {
            imported_resources: vec![wire::import_resource_state::ImportedResource {
                type_name: req.type_name,
                state: Some(imported),
                ..Default::default()
            }],
            diagnostics: diagnostics_to_wire(diagnostics),
            ..Default::default()
        },
        Err(d) => wire::import_resource_state::Response {
            diagnostics: diagnostics_to_wire(d),
            ..Default::default()
        },
    }
}
