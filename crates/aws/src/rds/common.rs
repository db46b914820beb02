//! Small helpers shared by the RDS modules: conversions from SDK values and the errors for
//! answers that lack what they must contain.

use std::sync::atomic::{AtomicU32, Ordering};

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

use crate::error::{AwsError, ErrorClass};

/// How many consecutive "not found" answers a waiter for an existing resource accepts before it
/// believes them. Right after a create, AWS may briefly not list what it just created (eventual
/// consistency); with the waiter's 1 s → 15 s polling this tolerates about two minutes. A
/// resource deleted out of band still ends the wait promptly instead of at the deadline.
pub(crate) const NOT_FOUND_CHECKS: u32 = 10;

/// An error for a successful answer that lacks the object it must contain.
pub(crate) fn missing_in_response(operation: &'static str, what: &str) -> AwsError {
    AwsError::new(operation, ErrorClass::Other)
        .with_message(format!("the response contains no {what}"))
}

/// An owned string, empty when AWS left the field out.
pub(crate) fn owned(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

/// An owned optional string; empty strings count as absent.
pub(crate) fn owned_opt(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_owned)
}

/// RFC 3339 (`2024-05-01T12:00:00Z`), the form Terraform state and users read.
pub(crate) fn rfc3339(value: Option<&DateTime>) -> Option<String> {
    value.and_then(|t| t.fmt(Format::DateTime).ok())
}

/// Whether two identifiers name the same RDS resource: AWS lower-cases identifiers and matches
/// them case-insensitively.
pub(crate) fn same_id(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Counts consecutive "not found" polls for a waiter (see [`NOT_FOUND_CHECKS`]).
///
/// Atomic rather than a `Cell` so the waiting future stays `Send` (the provider runs it on a
/// multi-threaded runtime).
#[derive(Debug, Default)]
pub(crate) struct Misses(AtomicU32);

impl Misses {
    /// Records a "found"; resets the count.
    pub(crate) fn found(&self) {
        self.0.store(0, Ordering::Relaxed);
    }

    /// Records a "not found"; true when the tolerance is used up.
    pub(crate) fn missed(&self) -> bool {
        self.0.fetch_add(1, Ordering::Relaxed).saturating_add(1) >= NOT_FOUND_CHECKS
    }
}

/// A per-call configuration that turns the SDK's own retries off.
///
/// For creates and deletes whose retry may meet the effect of an earlier attempt
/// (`AlreadyExists` after an answer was lost), the caller must know whether an earlier attempt
/// was sent. The SDK retries transport errors and 5xx inside one `send()`, out of sight, so
/// those calls are retried by [`crate::retry`] alone, which counts every attempt.
pub(crate) fn single_attempt() -> aws_sdk_rds::config::Builder {
    aws_sdk_rds::config::Builder::default()
        .retry_config(aws_sdk_rds::config::retry::RetryConfig::disabled())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_times_convert() {
        assert_eq!(owned(None), "");
        assert_eq!(owned(Some("x")), "x");
        assert_eq!(owned_opt(Some("")), None);
        assert_eq!(owned_opt(Some("a")), Some("a".to_owned()));
        let t = DateTime::from_secs(1_714_564_800);
        assert_eq!(rfc3339(Some(&t)).as_deref(), Some("2024-05-01T12:00:00Z"));
        assert_eq!(rfc3339(None), None);
        assert!(same_id("Demo-1", "demo-1"));
    }

    #[test]
    fn misses_tolerate_a_few_then_give_up() {
        let misses = Misses::default();
        for _ in 1..NOT_FOUND_CHECKS {
            assert!(!misses.missed());
        }
        misses.found();
        for _ in 1..NOT_FOUND_CHECKS {
            assert!(!misses.missed());
        }
        assert!(misses.missed());
    }
}
