//! Where the provider listens: a unix socket private to this run, optionally behind TLS.
//!
//! A unix socket avoids both port allocation and Nagle's delay on small gRPC messages. With TLS,
//! each connection's handshake runs in its own task so one slow or hostile client cannot stall
//! the accept loop; refused handshakes are logged and dropped.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::UnixListener;
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;

/// A bound unix socket whose file is removed when dropped.
pub(crate) struct UnixSocket {
    path: PathBuf,
    listener: Option<UnixListener>,
}

impl UnixSocket {
    /// Binds a fresh socket in `PLUGIN_UNIX_SOCKET_DIR` (set by Terraform) or the temp dir.
    pub(crate) fn bind() -> io::Result<Self> {
        let dir = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let path = dir.join(format!("dbrail-plugin-{}-{nanos:x}", std::process::id()));
        let listener = UnixListener::bind(&path)?;
        Ok(Self {
            path,
            listener: Some(listener),
        })
    }

    /// The socket's path, as the handshake line and reattach config name it.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Hands out the listener (once).
    pub(crate) fn take_listener(&mut self) -> Option<UnixListener> {
        self.listener.take()
    }
}

impl Drop for UnixSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Any byte stream a gRPC connection can run over.
pub(crate) trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// One accepted connection, plain or TLS.
pub(crate) struct Connection(Box<dyn Io>);

impl Connection {
    pub(crate) fn new(io: impl Io) -> Self {
        Self(Box::new(io))
    }
}

impl tonic::transport::server::Connected for Connection {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
}

/// Accepts connections from `listener`, through TLS when `tls` is set.
pub(crate) fn incoming(
    listener: UnixListener,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> ReceiverStream<io::Result<Connection>> {
    let (tx, rx) = mpsc::channel(16);
    let acceptor = tls.map(TlsAcceptor::from);
    tokio::spawn(async move {
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!(error = %err, "accepting a connection failed");
                    continue;
                }
            };
            match &acceptor {
                None => {
                    if tx.send(Ok(Connection::new(stream))).await.is_err() {
                        break;
                    }
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        match acceptor.accept(stream).await {
                            Ok(tls) => {
                                let _ = tx.send(Ok(Connection::new(tls))).await;
                            }
                            Err(err) => tracing::warn!(
                                error = %err,
                                "refused a connection that did not present Terraform's client certificate"
                            ),
                        }
                    });
                }
            }
        }
    });
    ReceiverStream::new(rx)
}
