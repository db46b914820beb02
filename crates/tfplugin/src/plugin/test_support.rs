//! Test helpers: serve [`Services`] over an in-memory duplex stream and connect a channel to it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::listener::Connection;
use crate::server::Services;
use hyper_util::rt::TokioIo;
use tonic::transport::{Channel, Endpoint};

/// Serves `services` on one in-memory connection and returns a client channel for it.
pub(crate) async fn connect_in_memory(services: Services) -> Channel {
    let (client_io, server_io) = tokio::io::duplex(1 << 20);
    let incoming = tokio_stream::once(Ok::<_, std::io::Error>(Connection::new(server_io)));
    tokio::spawn(services.router().serve_with_incoming(incoming));
    let mut client_io = Some(client_io);
    Endpoint::try_from("http://in-memory.invalid")
        .unwrap()
        .connect_with_connector(tower::service_fn(move |_| {
            let io = client_io.take();
            async move {
                io.map(TokioIo::new)
                    .ok_or_else(|| std::io::Error::other("in-memory connection already used"))
            }
        }))
        .await
        .unwrap()
}
