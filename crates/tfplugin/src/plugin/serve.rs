//! The provider binary's entry point: arguments, handshake, serving, shutdown.

use super::handshake::{self, HandshakeError};
use super::listener::{UnixSocket, incoming};
use super::tls::ServerIdentity;
use crate::framework::Provider;
use crate::server::Services;
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// What the entry point needs to know about the provider binary.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// The provider's full registry address, as `TF_REATTACH_PROVIDERS` keys it.
    pub address: &'static str,
    /// The release version, printed by `-version`.
    pub version: &'static str,
}

/// Runs the provider process: serves Terraform until it asks the process to shut down.
pub fn run<P: Provider>(provider: P, options: ServeOptions) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |names: &[&str]| args.iter().any(|a| names.contains(&a.as_str()));
    if flag(&["-version", "--version"]) {
        println_stdout(&format!("terraform-provider-dbrail {}", options.version));
        return ExitCode::SUCCESS;
    }
    let debug = flag(&["-debug", "--debug"]);
    if let Some(unknown) = args
        .iter()
        .find(|a| !["-debug", "--debug"].contains(&a.as_str()))
    {
        eprintln!(
            "unknown argument {unknown:?}. {}",
            HandshakeError::NotStartedByTerraform
        );
        return ExitCode::from(2);
    }
    super::logging::init_logging();
    install_panic_hook();

    if !debug {
        let cookie = std::env::var(handshake::MAGIC_COOKIE_KEY).ok();
        let offered = std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok();
        if let Err(err) = handshake::negotiate_protocol(cookie.as_deref(), offered.as_deref()) {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    }

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        if debug {
            super::debug::serve_debug(provider, options).await
        } else {
            serve_managed(provider).await
        }
    });
    // Do not wait for blocking tasks (for example a credential process) once serving is over.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Serving under Terraform: TLS when asked, handshake line on stdout, interrupts ignored
/// (Terraform handles Ctrl-C and tells the provider through StopProvider).
async fn serve_managed<P: Provider>(provider: P) -> Result<(), String> {
    ignore_interrupts();
    let mut socket =
        UnixSocket::bind().map_err(|e| format!("could not open the plugin socket: {e}"))?;
    let listener = socket
        .take_listener()
        .ok_or_else(|| "plugin socket already in use".to_owned())?;
    let (tls, cert) = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => {
            let identity = ServerIdentity::generate().map_err(|e| e.to_string())?;
            let config = identity.server_config(&pem).map_err(|e| e.to_string())?;
            (Some(Arc::new(config)), Some(identity.handshake_encoding()))
        }
        _ => (None, None),
    };
    let services = Services::new(provider);
    let shutdown = services.shutdown_signal();
    let line = handshake::handshake_line("unix", &socket.path().to_string_lossy(), cert.as_deref());
    println_stdout(&line);
    tracing::info!(tls = tls.is_some(), "serving Terraform plugin protocol 6");
    serve_until(services, incoming(listener, tls), shutdown).await
}

/// Serves until `shutdown` fires, then gives in-flight calls a moment to finish.
pub(crate) async fn serve_until(
    services: Services,
    incoming: tokio_stream::wrappers::ReceiverStream<std::io::Result<super::listener::Connection>>,
    shutdown: tokio_util::sync::CancellationToken,
) -> Result<(), String> {
    let router = services.router();
    let signal = shutdown.clone();
    let server = router.serve_with_incoming_shutdown(incoming, async move {
        signal.cancelled().await;
    });
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => result.map_err(|e| format!("gRPC server failed: {e}")),
        () = async {
            shutdown.cancelled().await;
            tokio::time::sleep(Duration::from_secs(2)).await;
        } => Ok(()),
    }
}

/// The handler is installed before this returns (not in the spawned task, which may first run
/// after the handshake line is out), so a Ctrl-C reaching Terraform's process group while the
/// provider starts cannot kill it.
fn ignore_interrupts() {
    let Ok(mut signals) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
    else {
        return;
    };
    tokio::spawn(async move {
        while signals.recv().await.is_some() {
            tracing::debug!("ignoring SIGINT; Terraform stops the provider through StopProvider");
        }
    });
}

/// Panics are turned into diagnostics by the server; the hook only logs them, without a
/// backtrace, so nothing but the log line reaches stderr.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(
            location,
            "panic: {}",
            crate::server::panic_message(info.payload())
        );
    }));
}

fn println_stdout(line: &str) {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = writeln!(lock, "{line}");
    let _ = lock.flush();
}
