//! go-plugin's own services: controller (shutdown), stdio and broker.
//!
//! The provider writes logs straight to stderr, which Terraform already reads, so the stdio
//! stream carries nothing; it stays open until shutdown so Terraform does not log a failure.
//! Terraform providers never broker extra connections, so the broker stream likewise only
//! stays open.

use crate::proto::plugin::{
    self as wire, grpc_broker_server, grpc_controller_server, grpc_stdio_server,
};
use futures::StreamExt;
use futures::stream::BoxStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

pub(crate) struct Controller {
    shutdown: CancellationToken,
}

impl Controller {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Self { shutdown }
    }
}

#[tonic::async_trait]
impl grpc_controller_server::GrpcController for Controller {
    async fn shutdown(
        &self,
        _request: Request<wire::Empty>,
    ) -> Result<Response<wire::Empty>, Status> {
        tracing::debug!("Terraform asked the provider to shut down");
        self.shutdown.cancel();
        Ok(Response::new(wire::Empty {}))
    }
}

fn open_until<T: Send + 'static>(
    shutdown: CancellationToken,
) -> BoxStream<'static, Result<T, Status>> {
    futures::stream::once(async move {
        shutdown.cancelled().await;
    })
    .filter_map(|()| async { None })
    .boxed()
}

pub(crate) struct Stdio {
    shutdown: CancellationToken,
}

impl Stdio {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Self { shutdown }
    }
}

#[tonic::async_trait]
impl grpc_stdio_server::GrpcStdio for Stdio {
    async fn stream_stdio(
        &self,
        _request: Request<crate::proto::google::protobuf::Empty>,
    ) -> Result<Response<BoxStream<'static, Result<wire::StdioData, Status>>>, Status> {
        Ok(Response::new(open_until(self.shutdown.clone())))
    }
}

pub(crate) struct Broker {
    shutdown: CancellationToken,
}

impl Broker {
    pub(crate) fn new(shutdown: CancellationToken) -> Self {
        Self { shutdown }
    }
}

#[tonic::async_trait]
impl grpc_broker_server::GrpcBroker for Broker {
    async fn start_stream(
        &self,
        _request: Request<Streaming<wire::ConnInfo>>,
    ) -> Result<Response<BoxStream<'static, Result<wire::ConnInfo, Status>>>, Status> {
        Ok(Response::new(open_until(self.shutdown.clone())))
    }
}
