//! The `tfplugin6.Provider` service: one thin method per RPC, delegating to the adapter
//! modules. Provider-level RPCs (validate, configure, stop) are handled here.

use super::codec::{decode, diagnostics_to_wire};
use super::guard::guarded;
use super::state::ProviderState;
use super::{rpc_data_source, rpc_resource, rpc_schema};
use crate::diagnostics::Diagnostics;
use crate::framework::Provider;
use crate::proto::tfplugin6::{self as wire, provider_server};
use std::sync::Arc;
use tonic::{Request, Response, Status};

pub(crate) struct ProviderRpc<P: Provider> {
    state: Arc<ProviderState<P>>,
}

impl<P: Provider> ProviderRpc<P> {
    pub(crate) fn new(state: Arc<ProviderState<P>>) -> Self {
        Self { state }
    }
}

type Rpc<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl<P: Provider> provider_server::Provider for ProviderRpc<P> {
    async fn get_metadata(
        &self,
        _: Request<wire::get_metadata::Request>,
    ) -> Rpc<wire::get_metadata::Response> {
        Ok(Response::new(rpc_schema::metadata(&self.state)))
    }

    async fn get_provider_schema(
        &self,
        _: Request<wire::get_provider_schema::Request>,
    ) -> Rpc<wire::get_provider_schema::Response> {
        Ok(Response::new(rpc_schema::provider_schema(&self.state)))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<wire::get_resource_identity_schemas::Request>,
    ) -> Rpc<wire::get_resource_identity_schemas::Response> {
        Ok(Response::new(
            wire::get_resource_identity_schemas::Response::default(),
        ))
    }

    async fn validate_provider_config(
        &self,
        request: Request<wire::validate_provider_config::Request>,
    ) -> Rpc<wire::validate_provider_config::Response> {
        let req = request.into_inner();
        let diagnostics = match decode(
            req.config.as_ref(),
            &self.state.provider_type,
            "provider configuration",
        ) {
            Ok(config) => guarded("ValidateProviderConfig", async {
                // Schema-declared validators first (as for resources), then the provider's own.
                let mut diags = crate::framework::validate::run_validators(
                    &self.state.provider_schema.block,
                    &config,
                );
                diags.extend(self.state.provider.validate_config(&config));
                diags
            })
            .await
            .unwrap_or_else(|d| d),
            Err(d) => d,
        };
        Ok(Response::new(wire::validate_provider_config::Response {
            diagnostics: diagnostics_to_wire(diagnostics),
        }))
    }

    async fn configure_provider(
        &self,
        request: Request<wire::configure_provider::Request>,
    ) -> Rpc<wire::configure_provider::Response> {
        let req = request.into_inner();
        tracing::debug!(terraform_version = %req.terraform_version, "configuring provider");
        let diagnostics = match decode(
            req.config.as_ref(),
            &self.state.provider_type,
            "provider configuration",
        ) {
            Ok(config) => {
                let cancel = self.state.context().cancel().clone();
                match guarded(
                    "ConfigureProvider",
                    self.state.provider.configure(&config, &cancel),
                )
                .await
                {
                    Ok(Ok(client)) => {
                        self.state.set_client(client);
                        Diagnostics::new()
                    }
                    Ok(Err(d)) | Err(d) => d,
                }
            }
            Err(d) => d,
        };
        Ok(Response::new(wire::configure_provider::Response {
            diagnostics: diagnostics_to_wire(diagnostics),
        }))
    }

    async fn stop_provider(
        &self,
        _: Request<wire::stop_provider::Request>,
    ) -> Rpc<wire::stop_provider::Response> {
        tracing::info!("StopProvider: cancelling in-flight operations");
        self.state.stop();
        Ok(Response::new(wire::stop_provider::Response::default()))
    }

    async fn validate_resource_config(
        &self,
        request: Request<wire::validate_resource_config::Request>,
    ) -> Rpc<wire::validate_resource_config::Response> {
        Ok(Response::new(
            rpc_resource::validate(&self.state, request.into_inner()).await,
        ))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<wire::upgrade_resource_state::Request>,
    ) -> Rpc<wire::upgrade_resource_state::Response> {
        Ok(Response::new(
            rpc_resource::upgrade(&self.state, request.into_inner()).await,
        ))
    }

    async fn read_resource(
        &self,
        request: Request<wire::read_resource::Request>,
    ) -> Rpc<wire::read_resource::Response> {
        Ok(Response::new(
            rpc_resource::read(&self.state, request.into_inner()).await,
        ))
    }

    async fn plan_resource_change(
        &self,
        request: Request<wire::plan_resource_change::Request>,
    ) -> Rpc<wire::plan_resource_change::Response> {
        Ok(Response::new(
            rpc_resource::plan(&self.state, request.into_inner()).await,
        ))
    }

    async fn apply_resource_change(
        &self,
        request: Request<wire::apply_resource_change::Request>,
    ) -> Rpc<wire::apply_resource_change::Response> {
        Ok(Response::new(
            rpc_resource::apply(&self.state, request.into_inner()).await,
        ))
    }

    async fn import_resource_state(
        &self,
        request: Request<wire::import_resource_state::Request>,
    ) -> Rpc<wire::import_resource_state::Response> {
        Ok(Response::new(
            rpc_resource::import(&self.state, request.into_inner()).await,
        ))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<wire::validate_data_resource_config::Request>,
    ) -> Rpc<wire::validate_data_resource_config::Response> {
        Ok(Response::new(
            rpc_data_source::validate(&self.state, request.into_inner()).await,
        ))
    }

    async fn read_data_source(
        &self,
        request: Request<wire::read_data_source::Request>,
    ) -> Rpc<wire::read_data_source::Response> {
        Ok(Response::new(
            rpc_data_source::read(&self.state, request.into_inner()).await,
        ))
    }

    async fn get_functions(
        &self,
        _: Request<wire::get_functions::Request>,
    ) -> Rpc<wire::get_functions::Response> {
        Ok(Response::new(wire::get_functions::Response::default()))
    }
}
