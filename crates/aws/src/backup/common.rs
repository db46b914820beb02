//! Conversions shared by the Backup modules.

use aws_smithy_types::DateTime;
use aws_smithy_types::error::operation::BuildError;

use crate::error::{AwsError, ErrorClass};

/// An SDK builder refused a request we assembled: a validation error naming the operation.
pub(crate) fn build_error(operation: &'static str, err: BuildError) -> AwsError {
    AwsError::new(operation, ErrorClass::Validation).with_message(err.to_string())
}

/// An error for a successful answer that lacks what it must contain.
pub(crate) fn missing(operation: &'static str, what: &str) -> AwsError {
    AwsError::new(operation, ErrorClass::Other)
        .with_message(format!("the response contains no {what}"))
}

/// Seconds since the Unix epoch.
pub(crate) fn epoch(value: Option<&DateTime>) -> Option<i64> {
    value.map(DateTime::secs)
}

/// Days as AWS's `i64`, saturating (retention is at most 36 500 days anyway).
pub(crate) fn days(value: u32) -> i64 {
    i64::from(value)
}

/// Days from AWS's `i64`; out-of-range values read as absent.
pub(crate) fn to_days(value: Option<i64>) -> Option<u32> {
    value.and_then(|v| u32::try_from(v).ok())
}
