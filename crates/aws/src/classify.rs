//! Turning SDK errors into [`AwsError`]s with an [`ErrorClass`].
//!
//! The code tables are explicit rather than pattern-matched on suffixes: `…NotFound` codes for
//! *referenced* resources (`KMSKeyNotAccessibleFault`, `IamRoleNotFound`) must not make a Read
//! drop the *subject* from state, and not every `Invalid…State` is worth waiting on
//! (`InvalidVPCNetworkStateFault` is a configuration error). Codes are the wire codes the SDK
//! matches on (`DBInstanceNotFound`, not the model's `DBInstanceNotFoundFault`).
//!
//! Transport failures are classified by kind: timeouts and I/O errors are transient; a failure
//! to obtain credentials (it surfaces as a dispatch failure) is `AccessDenied`, because retrying
//! for the whole timeout would only delay the message the user needs.

use std::error::Error;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::ErrorKind;
use aws_types::request_id::RequestId;

use crate::error::{AwsError, ErrorClass};

/// Codes meaning "the resource you asked about does not exist".
const NOT_FOUND: &[&str] = &[
    // RDS
    "DBClusterParameterGroupNotFound",
    "DBParameterGroupNotFound",
    "DBClusterNotFoundFault",
    "DBInstanceNotFound",
    "DBSubnetGroupNotFoundFault",
    "DBClusterSnapshotNotFoundFault",
    "DBSnapshotNotFound",
    "DBClusterEndpointNotFoundFault",
    "DBProxyNotFoundFault",
    "GlobalClusterNotFoundFault",
    "OptionGroupNotFoundFault",
    "SubscriptionNotFound",
    "ResourceNotFoundFault",
    // IAM
    "NoSuchEntity",
    // Backup, Secrets Manager, KMS and other JSON services
    "ResourceNotFoundException",
    "NotFoundException",
];

/// Codes meaning "a resource with that identity already exists".
const ALREADY_EXISTS: &[&str] = &[
    "DBParameterGroupAlreadyExists",
    "DBClusterAlreadyExistsFault",
    "DBInstanceAlreadyExists",
    "DBSubnetGroupAlreadyExists",
    "DBClusterSnapshotAlreadyExistsFault",
    "DBSnapshotAlreadyExists",
    "GlobalClusterAlreadyExistsFault",
    "SubscriptionAlreadyExist",
    "EntityAlreadyExists",
    "AlreadyExistsException",
    "ResourceExistsException",
];

/// Throttling codes across AWS protocols.
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "BandwidthLimitExceeded",
];

/// Server-side trouble that is worth retrying even without a 5xx status.
const TRANSIENT: &[&str] = &[
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "InternalServiceError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "RequestTimeout",
    "RequestTimeoutException",
    "IDPCommunicationError",
];

/// The resource exists but its state rejects the call for now; waiting helps.
const BUSY: &[&str] = &[
    "InvalidDBClusterStateFault",
    "InvalidDBParameterGroupState",
    "InvalidDBInstanceState",
    "InvalidDBSubnetGroupStateFault",
    "InvalidDBClusterSnapshotStateFault",
    "InvalidDBSnapshotState",
    "InvalidGlobalClusterStateFault",
    "InvalidDBClusterEndpointStateFault",
    "InvalidDBProxyStateFault",
    // IAM
    "ConcurrentModification",
    // JSON services
    "ConflictException",
];

/// The request itself is wrong.
const VALIDATION: &[&str] = &[
    "InvalidParameterValue",
    "InvalidParameterCombination",
    "InvalidParameterValueException",
    "InvalidParameterException",
    "InvalidParameter",
    "MissingParameter",
    "ValidationError",
    "ValidationException",
    "InvalidInput",
    "MalformedPolicyDocument",
    "MalformedQueryString",
    // Backup
    "MissingParameterValueException",
    "InvalidRequestException",
];

/// Not authorised, or the credentials were rejected.
const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthFailure",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "OptInRequired",
];

/// The class for an AWS error code, if the code is one we know.
pub(crate) fn class_for_code(code: &str) -> Option<ErrorClass> {
    let tables: [(&[&str], ErrorClass); 7] = [
        (NOT_FOUND, ErrorClass::NotFound),
        (ALREADY_EXISTS, ErrorClass::AlreadyExists),
        (THROTTLING, ErrorClass::Throttling),
        (TRANSIENT, ErrorClass::Transient),
        (BUSY, ErrorClass::Busy),
        (VALIDATION, ErrorClass::Validation),
        (ACCESS_DENIED, ErrorClass::AccessDenied),
    ];
    tables
        .iter()
        .find(|(codes, _)| codes.contains(&code))
        .map(|(_, class)| *class)
}

fn class_for_status(status: u16) -> ErrorClass {
    match status {
        429 => ErrorClass::Throttling,
        500..=599 => ErrorClass::Transient,
        _ => ErrorClass::Other,
    }
}

/// Classifies an SDK error from `operation` (the API name, e.g. `"DescribeDBClusters"`).
///
/// Works for every generated client: pass the error straight from `.send().await`.
pub fn classify<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
{
    let request_id = err
        .meta()
        .request_id()
        .or_else(|| err.request_id())
        .map(str::to_owned);
    let mut out = match &err {
        SdkError::ServiceError(ctx) => {
            let status = ctx.raw().status().as_u16();
            let code = err.code().map(str::to_owned);
            let class = code
                .as_deref()
                .and_then(class_for_code)
                .unwrap_or_else(|| class_for_status(status));
            let message = err.message().map(str::to_owned).or_else(|| {
                code.is_none()
                    .then(|| format!("HTTP {status} with no error code in the response"))
            });
            AwsError {
                operation,
                code,
                message,
                class,
                request_id: None,
            }
        }
        SdkError::ResponseError(ctx) => {
            let status = ctx.raw().status().as_u16();
            AwsError::new(operation, class_for_status(status)).with_message(format!(
                "unreadable response (HTTP {status}): {}",
                error_chain(&err)
            ))
        }
        SdkError::TimeoutError(_) => {
            AwsError::new(operation, ErrorClass::Transient).with_message(error_chain(&err))
        }
        SdkError::DispatchFailure(failure) => {
            let class = if find_in_chain::<CredentialsError>(&err).is_some() {
                ErrorClass::AccessDenied
            } else if failure.is_user() {
                ErrorClass::Other
            } else if failure.is_io() || failure.is_timeout() {
                ErrorClass::Transient
            } else {
                match failure.as_other() {
                    Some(ErrorKind::ThrottlingError) => ErrorClass::Throttling,
                    Some(ErrorKind::TransientError | ErrorKind::ServerError) => {
                        ErrorClass::Transient
                    }
                    _ => ErrorClass::Other,
                }
            };
            AwsError::new(operation, class).with_message(error_chain(&err))
        }
        // Construction failures are our bugs (e.g. a missing required field); never retried.
        _ => AwsError::new(operation, ErrorClass::Other).with_message(error_chain(&err)),
    };
    out.request_id = request_id;
    out
}

/// `err` and its sources as `outer: inner: innermost`, for messages.
///
/// Unlike the SDK's `DisplayErrorContext` this omits the `Debug` dump (long, and not meant for
/// users) and skips a source whose text the previous level already included.
pub(crate) fn error_chain(err: &(dyn Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut next = err.source();
    while let Some(current) = next {
        let text = current.to_string();
        if !text.is_empty() && !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = current.source();
    }
    out
}

/// Finds an error of type `T` in `err`'s source chain (including `err` itself).
pub(crate) fn find_in_chain<'a, T: Error + 'static>(
    err: &'a (dyn Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(err);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        next = current.source();
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use aws_sdk_rds::operation::describe_db_clusters::DescribeDBClustersError;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn service_error(
        code: Option<&str>,
        status: u16,
    ) -> SdkError<DescribeDBClustersError, HttpResponse> {
        let mut meta = ErrorMetadata::builder().message("boom");
        if let Some(code) = code {
            meta = meta.code(code);
        }
        let err = DescribeDBClustersError::generic(meta.custom("aws_request_id", "req-1").build());
        let raw = HttpResponse::new(
            StatusCode::try_from(status).unwrap_or_else(|_| StatusCode::try_from(500).unwrap()),
            SdkBody::empty(),
        );
        SdkError::service_error(err, raw)
    }

    #[test]
    fn codes_map_to_classes() {
        let cases = [
            ("DBClusterParameterGroupNotFound", ErrorClass::NotFound),
            ("DBParameterGroupNotFound", ErrorClass::NotFound),
            ("DBClusterNotFoundFault", ErrorClass::NotFound),
            ("DBInstanceNotFound", ErrorClass::NotFound),
            ("DBSubnetGroupNotFoundFault", ErrorClass::NotFound),
            ("NoSuchEntity", ErrorClass::NotFound),
            ("Throttling", ErrorClass::Throttling),
            ("ThrottlingException", ErrorClass::Throttling),
            ("RequestLimitExceeded", ErrorClass::Throttling),
            ("TooManyRequestsException", ErrorClass::Throttling),
            ("RequestThrottled", ErrorClass::Throttling),
            ("DBParameterGroupAlreadyExists", ErrorClass::AlreadyExists),
            ("DBClusterAlreadyExistsFault", ErrorClass::AlreadyExists),
            ("EntityAlreadyExists", ErrorClass::AlreadyExists),
            ("DBInstanceAlreadyExists", ErrorClass::AlreadyExists),
            ("InvalidDBClusterStateFault", ErrorClass::Busy),
            ("InvalidDBParameterGroupState", ErrorClass::Busy),
            ("InvalidDBInstanceState", ErrorClass::Busy),
            ("InvalidParameterValue", ErrorClass::Validation),
            ("InvalidParameterCombination", ErrorClass::Validation),
            ("AccessDenied", ErrorClass::AccessDenied),
            ("InvalidClientTokenId", ErrorClass::AccessDenied),
        ];
        for (code, class) in cases {
            let e = classify("DescribeDBClusters", service_error(Some(code), 400));
            assert_eq!(e.class, class, "{code}");
            assert_eq!(e.code.as_deref(), Some(code));
            assert_eq!(e.message.as_deref(), Some("boom"));
            assert_eq!(e.request_id.as_deref(), Some("req-1"));
        }
    }

    #[test]
    fn unknown_codes_fall_back_to_status() {
        assert_eq!(
            classify("Op", service_error(Some("Weird"), 503)).class,
            ErrorClass::Transient
        );
        assert_eq!(
            classify("Op", service_error(None, 429)).class,
            ErrorClass::Throttling
        );
        assert_eq!(
            classify("Op", service_error(Some("Weird"), 400)).class,
            ErrorClass::Other
        );
        // A referenced resource being missing is not the subject being missing.
        assert_eq!(
            classify("Op", service_error(Some("KMSKeyNotAccessibleFault"), 400)).class,
            ErrorClass::Other
        );
        assert_eq!(
            classify(
                "Op",
                service_error(Some("InvalidVPCNetworkStateFault"), 400)
            )
            .class,
            ErrorClass::Other
        );
    }

    #[test]
    fn transport_failures() {
        let io: SdkError<DescribeDBClustersError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::io(
                std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused").into(),
            ));
        let e = classify("DescribeDBClusters", io);
        assert_eq!(e.class, ErrorClass::Transient);
        assert!(e.message.as_deref().is_some_and(|m| m.contains("refused")));

        let timeout: SdkError<DescribeDBClustersError, HttpResponse> =
            SdkError::timeout_error(std::io::Error::other("took too long"));
        assert_eq!(classify("Op", timeout).class, ErrorClass::Transient);

        let creds: SdkError<DescribeDBClustersError, HttpResponse> = SdkError::dispatch_failure(
            ConnectorError::other(CredentialsError::not_loaded("no providers").into(), None),
        );
        assert_eq!(classify("Op", creds).class, ErrorClass::AccessDenied);

        let user: SdkError<DescribeDBClustersError, HttpResponse> = SdkError::dispatch_failure(
            ConnectorError::user(std::io::Error::other("bad uri").into()),
        );
        assert_eq!(classify("Op", user).class, ErrorClass::Other);

        let construction: SdkError<DescribeDBClustersError, HttpResponse> =
            SdkError::construction_failure(std::io::Error::other("missing field"));
        assert_eq!(classify("Op", construction).class, ErrorClass::Other);
    }

    #[test]
    fn error_chain_joins_sources_without_debug_noise() {
        let io: SdkError<DescribeDBClustersError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::io(
                std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused")
                    .into(),
            ));
        let text = error_chain(&io);
        assert_eq!(text, "dispatch failure: io error: connection refused");
    }

    #[test]
    fn code_tables_do_not_overlap() {
        let tables: [&[&str]; 7] = [
            NOT_FOUND,
            ALREADY_EXISTS,
            THROTTLING,
            TRANSIENT,
            BUSY,
            VALIDATION,
            ACCESS_DENIED,
        ];
        let mut seen = std::collections::HashSet::new();
        for code in tables.iter().flat_map(|t| t.iter()) {
            assert!(seen.insert(*code), "{code} is in two tables");
        }
    }
}
