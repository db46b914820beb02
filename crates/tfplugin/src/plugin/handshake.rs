//! The handshake rules of go-plugin as Terraform uses them.

use thiserror::Error;

/// The environment variable Terraform sets when it starts a provider.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// Its value: Terraform's documented constant for plugin processes.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's core protocol version, the first field of the handshake line.
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol major version this provider serves.
pub const APP_PROTOCOL_VERSION: u32 = 6;

/// Why the provider cannot start under the current environment.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum HandshakeError {
    /// Started by hand rather than by Terraform.
    #[error(
        "This binary is a plugin for Terraform, which starts it by itself: run `terraform init` \
         and `terraform plan` in a configuration that uses the dbrail provider. To debug it, run \
         it with -debug and export the TF_REATTACH_PROVIDERS value it prints."
    )]
    NotStartedByTerraform,
    /// Terraform speaks only other protocol versions.
    #[error(
        "Terraform offered plugin protocol versions {offered:?}, but this provider speaks only \
         version 6. Use Terraform 1.0 or newer."
    )]
    NoCommonProtocol {
        /// The versions Terraform offered.
        offered: String,
    },
}

/// Checks the magic cookie and picks the protocol version from `PLUGIN_PROTOCOL_VERSIONS`.
///
/// `cookie` and `offered` are the environment values (None when unset). An unset version list
/// means an old client that assumes the plugin's own version.
pub fn negotiate_protocol(
    cookie: Option<&str>,
    offered: Option<&str>,
) -> Result<u32, HandshakeError> {
    if cookie != Some(MAGIC_COOKIE_VALUE) {
        return Err(HandshakeError::NotStartedByTerraform);
    }
    let Some(offered) = offered.filter(|s| !s.trim().is_empty()) else {
        return Ok(APP_PROTOCOL_VERSION);
    };
    let speaks_ours = offered
        .split(',')
        .filter_map(|v| v.trim().parse::<u32>().ok())
        .any(|v| v == APP_PROTOCOL_VERSION);
    if speaks_ours {
        Ok(APP_PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::NoCommonProtocol {
            offered: offered.to_owned(),
        })
    }
}

/// The line Terraform reads from stdout: `CORE|APP|NETWORK|ADDRESS|grpc|CERT`.
pub(crate) fn handshake_line(network: &str, address: &str, cert_b64: Option<&str>) -> String {
    format!(
        "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{network}|{address}|grpc|{}",
        cert_b64.unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_start_without_the_cookie() {
        assert_eq!(
            negotiate_protocol(None, Some("6")),
            Err(HandshakeError::NotStartedByTerraform)
        );
        assert_eq!(
            negotiate_protocol(Some("wrong"), Some("6")),
            Err(HandshakeError::NotStartedByTerraform)
        );
        let message = HandshakeError::NotStartedByTerraform.to_string();
        assert!(message.contains("-debug") && message.contains("TF_REATTACH_PROVIDERS"));
    }

    #[test]
    fn negotiates_version_six() {
        assert_eq!(
            negotiate_protocol(Some(MAGIC_COOKIE_VALUE), Some("5,6")),
            Ok(6)
        );
        assert_eq!(negotiate_protocol(Some(MAGIC_COOKIE_VALUE), None), Ok(6));
        assert!(matches!(
            negotiate_protocol(Some(MAGIC_COOKIE_VALUE), Some("4,5")),
            Err(HandshakeError::NoCommonProtocol { .. })
        ));
    }

    #[test]
    fn handshake_line_has_six_fields() {
        let line = handshake_line("unix", "/tmp/plugin1", Some("QUJD"));
        assert_eq!(line, "1|6|unix|/tmp/plugin1|grpc|QUJD");
        assert_eq!(handshake_line("unix", "/s", None), "1|6|unix|/s|grpc|");
    }
}
