//! Assembles the four gRPC services of a provider process.

use super::controller::{Broker, Controller, Stdio};
use super::state::ProviderState;
use crate::framework::Provider;
use crate::proto::plugin::{
    grpc_broker_server::GrpcBrokerServer, grpc_controller_server::GrpcControllerServer,
    grpc_stdio_server::GrpcStdioServer,
};
use crate::proto::tfplugin6::provider_server::ProviderServer;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tonic::service::Routes;

/// The provider's gRPC services and the signal that ends serving.
pub struct Services {
    routes: Routes,
    shutdown: CancellationToken,
}

impl Services {
    /// Services for `provider`.
    pub fn new<P: Provider>(provider: P) -> Self {
        let shutdown = CancellationToken::new();
        let state = Arc::new(ProviderState::new(provider));
        let routes = Routes::new(
            ProviderServer::new(super::rpc_provider::ProviderRpc::new(state))
                .max_decoding_message_size(256 * 1024 * 1024)
                .max_encoding_message_size(256 * 1024 * 1024),
        )
        .add_service(GrpcControllerServer::new(Controller::new(shutdown.clone())))
        .add_service(GrpcStdioServer::new(Stdio::new(shutdown.clone())))
        .add_service(GrpcBrokerServer::new(Broker::new(shutdown.clone())));
        Self { routes, shutdown }
    }

    /// Fires when Terraform calls `GRPCController.Shutdown` (or, in debug mode, on Ctrl-C).
    pub fn shutdown_signal(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// A tonic router serving all services.
    pub fn router(self) -> tonic::transport::server::Router {
        tonic::transport::Server::builder().add_routes(self.routes)
    }
}
