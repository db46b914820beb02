//! Data source RPCs: decode against the data source's schema, dispatch, encode.

use super::codec::{decode, diagnostics_to_wire, encode};
use super::guard::guarded;
use super::state::ProviderState;
use crate::diagnostics::Diagnostics;
use crate::framework::Provider;
use crate::proto::tfplugin6 as wire;

pub(crate) async fn validate<P: Provider>(
    state: &ProviderState<P>,
    req: wire::validate_data_resource_config::Request,
) -> wire::validate_data_resource_config::Response {
    let diagnostics = async {
        let data_source = state.data_source(&req.type_name)?;
        let config = decode(
            req.config.as_ref(),
            data_source.value_type(),
            "configuration",
        )?;
        guarded("ValidateDataResourceConfig", async {
            data_source.validate(&config)
        })
        .await
    }
    .await
    .unwrap_or_else(|d| d);
    wire::validate_data_resource_config::Response {
        diagnostics: diagnostics_to_wire(diagnostics),
    }
}

pub(crate) async fn read<P: Provider>(
    state: &ProviderState<P>,
    req: wire::read_data_source::Request,
) -> wire::read_data_source::Response {
    let result = async {
        let data_source = state.data_source(&req.type_name)?;
        let ty = data_source.value_type();
        let config = decode(req.config.as_ref(), ty, "configuration")?;
        let ctx = state.context();
        let response = guarded("ReadDataSource", data_source.read(&ctx, config)).await?;
        if response.state.is_null() {
            return Err(response.diagnostics);
        }
        let encoded = encode(&response.state, ty)?;
        Ok::<_, Diagnostics>((encoded, response.diagnostics))
    }
    .await;
    match result {
        Ok((state, diagnostics)) => wire::read_data_source::Response {
            state: Some(state),
            diagnostics: diagnostics_to_wire(diagnostics),
            ..Default::default()
        },
        Err(d) => wire::read_data_source::Response {
            diagnostics: diagnostics_to_wire(d),
            ..Default::default()
        },
    }
}
