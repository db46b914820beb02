//! The proxy's HTTP side: accept, decide, then answer with a fault or forward to the emulator.
//!
//! Bodies are small (AWS query and JSON requests), so each request and response is buffered
//! whole: the operation name is in the body, and a held response must be complete before it is
//! withheld. Connections to the emulator are pooled by hyper's client.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

use super::hold::{Hold, Phase};
use super::plan::Fault;
use super::wire::{self, Protocol};
use super::{Shared, lock};

type Upstream = Client<HttpConnector, Full<Bytes>>;

/// Why a call got no response.
#[derive(Debug, thiserror::Error)]
enum ProxyError {
    /// The plan said to drop the connection.
    #[error("connection dropped by the fault plan")]
    Dropped,
    /// The caller's request could not be read.
    #[error("reading the request: {0}")]
    Read(#[source] hyper::Error),
    /// The emulator could not be reached.
    #[error("forwarding to the emulator: {0}")]
    Upstream(String),
}

/// Serves connections until the runtime shuts down.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let client: Upstream = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(std::time::Duration::from_secs(10))
        .build_http();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let client = client.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let shared = Arc::clone(&shared);
                let client = client.clone();
                async move { handle(&shared, &client, req).await }
            });
            // A dropped connection ends here with the error; nothing else to do.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: &Shared,
    client: &Upstream,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ProxyError> {
    let (mut parts, body) = req.into_parts();
    let body = body.collect().await.map_err(ProxyError::Read)?.to_bytes();
    // The emulator's control plane (`/moto-api/...`) is the test's, never faulted or held.
    let control = parts.uri.path().starts_with("/moto-api");
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok());
    let (operation, protocol) = wire::operation(target, parts.uri.query(), &body);
    let key = operation.clone().unwrap_or_else(|| "(unknown)".to_owned());

    let fault = if control {
        None
    } else {
        lock(&shared.plan).decide(operation.as_deref())
    };
    if let Some(fault) = &fault
        && !matches!(fault, Fault::Slow(_) | Fault::LoseResponse)
    {
        *lock(&shared.stats).injected.entry(key.clone()).or_default() += 1;
        return match wire::error_response(fault, protocol, &request_id()) {
            Some(error) => Ok(error_reply(&error, protocol)),
            None => Err(ProxyError::Dropped),
        };
    }
    if let Some(Fault::Slow(delay)) = fault {
        *lock(&shared.stats).injected.entry(key.clone()).or_default() += 1;
        tokio::time::sleep(delay).await;
    }
    let hold = if control {
        None
    } else {
        claim_hold(shared, operation.as_deref())
    };
    if let Some(hold) = &hold
        && hold.inner.spec.phase == Phase::Before
    {
        hold.inner.hold().await;
    }

    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    parts.uri = format!("http://{}{path}", shared.upstream)
        .parse()
        .map_err(|e| ProxyError::Upstream(format!("{e}")))?;
    let response = client
        .request(Request::from_parts(parts, Full::new(body)))
        .await
        .map_err(|e| ProxyError::Upstream(e.to_string()))?;
    let (mut parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| ProxyError::Upstream(e.to_string()))?
        .to_bytes();
    // The body is re-framed with its exact length; the emulator's framing does not apply.
    for name in [
        header::TRANSFER_ENCODING,
        header::CONTENT_LENGTH,
        header::CONNECTION,
    ] {
        parts.headers.remove(name);
    }
    {
        let mut stats = lock(&shared.stats);
        *stats.forwarded.entry(key.clone()).or_default() += 1;
        stats.completed.insert(key.clone());
    }
    if let Some(hold) = &hold
        && hold.inner.spec.phase == Phase::After
    {
        hold.inner.hold().await;
    }
    if fault == Some(Fault::LoseResponse) {
        *lock(&shared.stats).injected.entry(key).or_default() += 1;
        return Err(ProxyError::Dropped);
    }
    Ok(Response::from_parts(parts, Full::new(body)))
}

/// The first unclaimed, armed hold for `operation`, claimed.
fn claim_hold(shared: &Shared, operation: Option<&str>) -> Option<Hold> {
    let operation = operation?;
    let holds = lock(&shared.holds);
    let completed = lock(&shared.stats).completed.clone();
    holds
        .iter()
        .find(|h| {
            let spec = &h.inner.spec;
            spec.operation == operation
                && spec
                    .armed_after
                    .as_ref()
                    .is_none_or(|armed| completed.contains(armed))
                && h.inner.claim()
        })
        .cloned()
}

fn error_reply(error: &wire::ErrorResponse, protocol: Protocol) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(error.body.clone())));
    *response.status_mut() =
        hyper::StatusCode::from_u16(error.status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(error.content_type),
    );
    if protocol == Protocol::Json
        && let Some(code) = serde_json::from_str::<serde_json::Value>(&error.body)
            .ok()
            .and_then(|v| v["__type"].as_str().map(str::to_owned))
        && let Ok(value) = header::HeaderValue::from_str(&code)
    {
        headers.insert("x-amzn-errortype", value);
    }
    response
}

fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("dbrail-fault-{:08x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A tiny upstream for the proxy's own tests: answers `ok <path?query>` to everything.
#[cfg(test)]
pub(crate) async fn echo_upstream(listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let service = service_fn(|req: Request<Incoming>| async move {
                let text = format!(
                    "ok {}",
                    req.uri().path_and_query().map_or("", |p| p.as_str())
                );
                Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from(text))))
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
