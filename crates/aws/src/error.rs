//! Typed errors for AWS calls.
//!
//! [`AwsError`] is one failed call, already classified (see [`crate::classify`]); callers branch
//! on [`ErrorClass`] through the `is_*` helpers and never on error codes.
//! [`OperationError`] is what a whole retried or waited operation ends with: the AWS error that
//! stopped it, the deadline, or cancellation. Messages name the operation and carry AWS's own
//! code and message, which is what a user needs to act; they never contain credentials.

use std::borrow::Cow;
use std::fmt;

/// What kind of failure an AWS error is, which decides what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The resource does not exist (e.g. `DBParameterGroupNotFound`, IAM `NoSuchEntity`).
    NotFound,
    /// The resource already exists (e.g. `DBParameterGroupAlreadyExists`).
    AlreadyExists,
    /// The API asked us to slow down.
    Throttling,
    /// Server-side or network trouble: 5xx, timeouts, connection errors. Retry.
    Transient,
    /// The resource is in a state that rejects the call right now (e.g.
    /// `InvalidDBClusterStateFault` while modifying). Retry until it settles.
    Busy,
    /// The request is invalid (`InvalidParameterValue`, `InvalidParameterCombination`, ...).
    Validation,
    /// Not authorised, or credentials rejected or missing.
    AccessDenied,
    /// Anything else; not retried.
    Other,
}

impl ErrorClass {
    /// Whether [`crate::retry`] and [`crate::wait_for`] try again on this class.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Throttling | Self::Transient | Self::Busy)
    }

    fn describe(self) -> &'static str {
        match self {
            Self::NotFound => "not found",
            Self::AlreadyExists => "already exists",
            Self::Throttling => "throttled",
            Self::Transient => "transient error",
            Self::Busy => "resource busy",
            Self::Validation => "invalid request",
            Self::AccessDenied => "access denied",
            Self::Other => "error",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One failed AWS call, classified.
///
/// Displays as `ModifyDBClusterParameterGroup failed: InvalidDBParameterGroupState: <message>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct AwsError {
    /// The API operation, e.g. `DescribeDBClusterParameterGroups`.
    pub operation: &'static str,
    /// AWS error code, when the service returned one.
    pub code: Option<String>,
    /// AWS error message, or a description of the transport failure.
    pub message: Option<String>,
    /// What kind of failure this is.
    pub class: ErrorClass,
    /// AWS request id, for support cases.
    pub request_id: Option<String>,
}

impl AwsError {
    /// A new error of `class` for `operation`; add details with the `with_*` methods.
    pub fn new(operation: &'static str, class: ErrorClass) -> Self {
        Self {
            operation,
            code: None,
            message: None,
            class,
            request_id: None,
        }
    }

    /// Sets the AWS error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// The resource does not exist.
    pub fn is_not_found(&self) -> bool {
        self.class == ErrorClass::NotFound
    }

    /// The resource already exists.
    pub fn is_already_exists(&self) -> bool {
        self.class == ErrorClass::AlreadyExists
    }

    /// The call was throttled.
    pub fn is_throttling(&self) -> bool {
        self.class == ErrorClass::Throttling
    }

    /// Server-side or network trouble.
    pub fn is_transient(&self) -> bool {
        self.class == ErrorClass::Transient
    }

    /// The resource is in a state that rejects the call for now.
    pub fn is_busy(&self) -> bool {
        self.class == ErrorClass::Busy
    }

    /// The request was invalid.
    pub fn is_validation(&self) -> bool {
        self.class == ErrorClass::Validation
    }

    /// Not authorised or credentials rejected.
    pub fn is_access_denied(&self) -> bool {
        self.class == ErrorClass::AccessDenied
    }

    /// Whether retrying may help (throttling, transient, busy).
    pub fn is_retryable(&self) -> bool {
        self.class.is_retryable()
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: ", self.operation)?;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}")?,
            (Some(code), None) => write!(f, "{code}")?,
            (None, Some(message)) => write!(f, "{message}")?,
            (None, None) => write!(f, "{}", self.class)?,
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id: {request_id})")?;
        }
        Ok(())
    }
}

/// How a retried or waited operation ended, when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OperationError {
    /// AWS returned an error that retrying would not fix.
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// The deadline passed before the operation succeeded.
    #[error("{operation} did not complete before the deadline{}", last_error_suffix(.last.as_ref()))]
    DeadlineExceeded {
        /// What was being done.
        operation: Cow<'static, str>,
        /// The last retryable AWS error seen, if any.
        last: Option<AwsError>,
    },
    /// The operation was cancelled (provider stop or interrupt).
    #[error("{operation} was cancelled")]
    Cancelled {
        /// What was being done.
        operation: Cow<'static, str>,
    },
}

fn last_error_suffix(last: Option<&AwsError>) -> String {
    last.map(|e| format!("; last error: {e}"))
        .unwrap_or_default()
}

impl OperationError {
    /// The AWS error behind this failure: the error itself, or the last one before the deadline.
    pub fn aws_error(&self) -> Option<&AwsError> {
        match self {
            Self::Aws(e) => Some(e),
            Self::DeadlineExceeded { last, .. } => last.as_ref(),
            Self::Cancelled { .. } => None,
        }
    }

    /// The operation ended because the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Aws(e) if e.is_not_found())
    }

    /// The operation ended because the resource already exists.
    pub fn is_already_exists(&self) -> bool {
        matches!(self, Self::Aws(e) if e.is_already_exists())
    }

    /// The deadline passed.
    pub fn is_deadline_exceeded(&self) -> bool {
        matches!(self, Self::DeadlineExceeded { .. })
    }

    /// The operation was cancelled.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::Cancelled { .. })
    }

    /// The name of what failed: the AWS operation or the waiter's description.
    pub fn operation(&self) -> &str {
        match self {
            Self::Aws(e) => e.operation,
            Self::DeadlineExceeded { operation, .. } | Self::Cancelled { operation } => operation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_operation_code_and_message() {
        let e = AwsError::new("ModifyDBClusterParameterGroup", ErrorClass::Busy)
            .with_code("InvalidDBParameterGroupState")
            .with_message("group is being modified");
        assert_eq!(
            e.to_string(),
            "ModifyDBClusterParameterGroup failed: InvalidDBParameterGroupState: group is being modified"
        );
        let bare = AwsError::new("DescribeDBClusters", ErrorClass::Transient);
        assert_eq!(
            bare.to_string(),
            "DescribeDBClusters failed: transient error"
        );
        let with_id = AwsError::new("X", ErrorClass::Other)
            .with_code("Boom")
            .with_request_id("abc-123");
        assert_eq!(with_id.to_string(), "X failed: Boom (request id: abc-123)");
    }

    #[test]
    fn deadline_display_carries_last_error() {
        let last = AwsError::new("CreateDBClusterParameterGroup", ErrorClass::Throttling)
            .with_code("Throttling")
            .with_message("Rate exceeded");
        let e = OperationError::DeadlineExceeded {
            operation: "CreateDBClusterParameterGroup".into(),
            last: Some(last),
        };
        assert_eq!(
            e.to_string(),
            "CreateDBClusterParameterGroup did not complete before the deadline; \
             last error: CreateDBClusterParameterGroup failed: Throttling: Rate exceeded"
        );
        assert!(e.is_deadline_exceeded());
        assert!(e.aws_error().is_some_and(AwsError::is_throttling));
        assert_eq!(e.operation(), "CreateDBClusterParameterGroup");
    }

    #[test]
    fn helpers_follow_the_class() {
        let nf = OperationError::from(AwsError::new("Describe", ErrorClass::NotFound));
        assert!(nf.is_not_found());
        assert!(!nf.is_already_exists());
        let cancelled = OperationError::Cancelled {
            operation: "wait".into(),
        };
        assert!(cancelled.is_cancelled());
        assert!(!cancelled.is_not_found());
        assert_eq!(cancelled.to_string(), "wait was cancelled");
        assert!(ErrorClass::Busy.is_retryable());
        assert!(ErrorClass::Throttling.is_retryable());
        assert!(ErrorClass::Transient.is_retryable());
        assert!(!ErrorClass::NotFound.is_retryable());
        assert!(!ErrorClass::Validation.is_retryable());
        assert!(!ErrorClass::AccessDenied.is_retryable());
    }
}
