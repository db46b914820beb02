//! The go-plugin side of the provider process: everything between "Terraform starts the binary"
//! and "gRPC requests arrive".
//!
//! Terraform launches a provider with a magic cookie and the protocol versions it speaks in the
//! environment, reads one handshake line from the provider's stdout, and connects to the socket
//! that line names — over mutual TLS when it passed a client certificate. Stderr carries log
//! lines in the JSON format Terraform relays under `TF_LOG`.

mod debug;
mod handshake;
mod listener;
mod logging;
mod serve;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
mod tls;

pub use handshake::{HandshakeError, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, negotiate_protocol};
pub use logging::init_logging;
pub use serve::{ServeOptions, run};
pub use tls::{ServerIdentity, TlsError};
