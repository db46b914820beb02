//! The one HTTPS client every AWS call goes through.
//!
//! The SDK's default HTTPS client links aws-lc (a C build); the workspace disables it and we
//! build a rustls + ring client here instead. It must be handed to the config loader (so
//! credential providers — SSO, web identity, assume-role — use it too) and through it to every
//! service config; a service config without an HTTP client would fail at the first call.

use aws_smithy_http_client::{Builder, tls};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// A new HTTPS (and plain HTTP, for local emulators) client using rustls with ring.
pub(crate) fn https_client() -> SharedHttpClient {
    Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}
