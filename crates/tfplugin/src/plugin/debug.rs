//! `terraform-provider-dbrail -debug`: serve in the foreground for a debugger.
//!
//! Terraform does not start the process; instead the user exports the printed
//! `TF_REATTACH_PROVIDERS` value and Terraform connects to the running provider (without TLS,
//! as reattachment has no certificate exchange). Ctrl-C stops it.

use super::listener::{UnixSocket, incoming};
use super::serve::{ServeOptions, serve_until};
use crate::framework::Provider;
use crate::server::Services;
use std::io::Write as _;

/// The reattach configuration for one provider at a unix socket.
pub(crate) fn reattach_json(address: &str, socket: &str, pid: u32) -> String {
    serde_json::json!({
        address: {
            "Protocol": "grpc",
            "ProtocolVersion": 6,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "unix", "String": socket }
        }
    })
    .to_string()
}

pub(crate) async fn serve_debug<P: Provider>(
    provider: P,
    options: ServeOptions,
) -> Result<(), String> {
    let mut socket =
        UnixSocket::bind().map_err(|e| format!("could not open the plugin socket: {e}"))?;
    let listener = socket
        .take_listener()
        .ok_or_else(|| "plugin socket already in use".to_owned())?;
    let services = Services::new(provider);
    let shutdown = services.shutdown_signal();
    // Installed before the instructions are printed, so Ctrl-C always stops the server cleanly
    // (removing the socket) rather than killing the process.
    let mut interrupts = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| format!("could not handle Ctrl-C: {e}"))?;
    let json = reattach_json(
        options.address,
        &socket.path().to_string_lossy(),
        std::process::id(),
    );
    {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let _ = writeln!(
            out,
            "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{json}'\n\nPress Ctrl-C to stop."
        );
        let _ = out.flush();
    }
    let interrupt = shutdown.clone();
    tokio::spawn(async move {
        if interrupts.recv().await.is_some() {
            interrupt.cancel();
        }
    });
    serve_until(services, incoming(listener, None), shutdown).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reattach_config_matches_terraform_shape() {
        let json = reattach_json("registry.terraform.io/dbrail/dbrail", "/tmp/s", 42);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let entry = &v["registry.terraform.io/dbrail/dbrail"];
        assert_eq!(entry["Protocol"], "grpc");
        assert_eq!(entry["ProtocolVersion"], 6);
        assert_eq!(entry["Pid"], 42);
        assert_eq!(entry["Addr"]["Network"], "unix");
        assert_eq!(entry["Addr"]["String"], "/tmp/s");
    }
}
