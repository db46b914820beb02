//! The AWS wire formats the proxy needs: which operation a request calls, and what AWS's own
//! throttling and server errors look like in each protocol.
//!
//! The errors must be shaped exactly as AWS sends them, or the SDK would classify them
//! differently from the real thing and the test would prove nothing: the query protocols (RDS,
//! IAM, STS) answer `<ErrorResponse><Error><Code>…`, the JSON protocols (`X-Amz-Target`) answer
//! `{"__type": "…"}`.

use crate::faults::plan::Fault;

/// How a request is encoded, which decides how an error must be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `Action=...` in a form body or the query string (RDS, IAM, STS).
    Query,
    /// `X-Amz-Target: Service.Operation` with a JSON body.
    Json,
}

/// The operation a request calls, and its protocol.
///
/// `target` is the `X-Amz-Target` header, `query` the URL's query string, `body` the request
/// body.
pub fn operation(
    target: Option<&str>,
    query: Option<&str>,
    body: &[u8],
) -> (Option<String>, Protocol) {
    if let Some(target) = target {
        let op = target.rsplit('.').next().unwrap_or(target).trim();
        return ((!op.is_empty()).then(|| op.to_owned()), Protocol::Json);
    }
    let from_form = |form: &[u8]| {
        form.split(|b| *b == b'&').find_map(|pair| {
            let value = pair.strip_prefix(b"Action=")?;
            let text = String::from_utf8_lossy(value).trim().to_owned();
            (!text.is_empty()).then_some(text)
        })
    };
    let action = from_form(body).or_else(|| query.and_then(|q| from_form(q.as_bytes())));
    (action, Protocol::Query)
}

/// An error response: status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The error document.
    pub body: String,
}

/// The response AWS sends for `fault` in `protocol`; `None` for faults that are not a response
/// (a delay, a dropped connection).
pub fn error_response(
    fault: &Fault,
    protocol: Protocol,
    request_id: &str,
) -> Option<ErrorResponse> {
    let (status, code, message) = match fault {
        Fault::Throttle => (
            400,
            match protocol {
                Protocol::Query => "Throttling",
                Protocol::Json => "ThrottlingException",
            },
            "Rate exceeded",
        ),
        Fault::ServerError(503) => (
            503,
            match protocol {
                Protocol::Query => "ServiceUnavailable",
                Protocol::Json => "ServiceUnavailableException",
            },
            "Service is unavailable. Please retry.",
        ),
        Fault::ServerError(status) => (
            *status,
            match protocol {
                Protocol::Query => "InternalFailure",
                Protocol::Json => "InternalFailure",
            },
            "The request processing has failed because of an unknown error, exception or failure.",
        ),
        Fault::Slow(_) | Fault::Drop | Fault::LoseResponse => return None,
    };
    let sender = if status < 500 { "Sender" } else { "Receiver" };
    Some(match protocol {
        Protocol::Query => ErrorResponse {
            status,
            content_type: "text/xml",
            body: format!(
                "<ErrorResponse><Error><Type>{sender}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
            ),
        },
        Protocol::Json => ErrorResponse {
            status,
            content_type: "application/x-amz-json-1.1",
            body: serde_json::json!({ "__type": code, "message": message }).to_string(),
        },
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_action_of_a_form_body() {
        let (op, protocol) = operation(
            None,
            None,
            b"Version=2014-10-31&Action=CreateDBCluster&DBClusterIdentifier=orders",
        );
        assert_eq!(op.as_deref(), Some("CreateDBCluster"));
        assert_eq!(protocol, Protocol::Query);
        let (op, _) = operation(
            None,
            Some("Action=GetCallerIdentity&Version=2011-06-15"),
            b"",
        );
        assert_eq!(op.as_deref(), Some("GetCallerIdentity"));
        assert_eq!(operation(None, None, b"").0, None);
        assert_eq!(operation(None, None, b"Actionx=1&Action=").0, None);
    }

    #[test]
    fn reads_the_target_of_a_json_request() {
        let (op, protocol) = operation(Some("secretsmanager.GetSecretValue"), None, b"{}");
        assert_eq!(op.as_deref(), Some("GetSecretValue"));
        assert_eq!(protocol, Protocol::Json);
    }

    #[test]
    fn query_errors_are_shaped_as_aws_sends_them() {
        let r = error_response(&Fault::Throttle, Protocol::Query, "req-1").unwrap();
        assert_eq!(r.status, 400);
        assert!(r.body.contains("<Code>Throttling</Code>"), "{}", r.body);
        assert!(
            r.body.contains("<RequestId>req-1</RequestId>"),
            "{}",
            r.body
        );
        let r = error_response(&Fault::ServerError(500), Protocol::Query, "r").unwrap();
        assert_eq!(r.status, 500);
        assert!(
            r.body.contains("<Code>InternalFailure</Code>"),
            "{}",
            r.body
        );
        assert!(r.body.contains("<Type>Receiver</Type>"), "{}", r.body);
        let r = error_response(&Fault::ServerError(503), Protocol::Query, "r").unwrap();
        assert!(
            r.body.contains("<Code>ServiceUnavailable</Code>"),
            "{}",
            r.body
        );
    }

    #[test]
    fn json_errors_carry_the_type() {
        let r = error_response(&Fault::Throttle, Protocol::Json, "r").unwrap();
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["__type"], "ThrottlingException");
        assert_eq!(r.status, 400);
    }

    #[test]
    fn delays_and_drops_are_not_responses() {
        assert!(error_response(&Fault::Drop, Protocol::Query, "r").is_none());
        assert!(
            error_response(
                &Fault::Slow(std::time::Duration::from_millis(1)),
                Protocol::Json,
                "r"
            )
            .is_none()
        );
    }
}
