//! Riding out IAM's eventual consistency inside the caller's deadline.
//!
//! Right after a role is created, IAM may still answer `NoSuchEntity` for it, and a trust
//! policy naming a freshly created principal is refused with `MalformedPolicyDocument: Invalid
//! principal`. Both clear within seconds. [`settling`] reclassifies exactly those answers as
//! `Busy` (which [`crate::retry`] retries) for [`SETTLE_WINDOW`] from the first attempt; after
//! that they are what they say.

use std::future::Future;
use std::time::Duration;

use crate::error::{AwsError, ErrorClass};

/// How long answers caused by propagation are retried.
pub(crate) const SETTLE_WINDOW: Duration = Duration::from_secs(60);

/// Whether `err` is the kind of answer IAM gives while a change propagates.
pub(crate) fn is_propagation(err: &AwsError) -> bool {
    err.is_not_found()
        || (err.code.as_deref() == Some("MalformedPolicyDocument")
            && err
                .message
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().contains("invalid principal")))
}

/// Wraps an attempt factory so propagation answers are retried during the settling window.
pub(crate) fn settling<T, F, Fut>(
    mut f: F,
) -> impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = Result<T, AwsError>> + Send>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>> + Send + 'static,
    T: 'static,
{
    let started = tokio::time::Instant::now();
    move || {
        let attempt = f();
        Box::pin(async move {
            attempt.await.map_err(|err| {
                if is_propagation(&err) && started.elapsed() < SETTLE_WINDOW {
                    AwsError {
                        class: ErrorClass::Busy,
                        ..err
                    }
                } else {
                    err
                }
            })
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::{CancellationToken, Deadline, retry};

    fn not_found() -> AwsError {
        AwsError::new("PutRolePolicy", ErrorClass::NotFound).with_code("NoSuchEntity")
    }

    #[tokio::test(start_paused = true)]
    async fn propagation_answers_are_retried_until_they_clear() {
        let calls = Arc::new(Mutex::new(0u32));
        let counter = Arc::clone(&calls);
        let got = retry(
            "PutRolePolicy",
            Deadline::from_timeout(Duration::from_secs(300)),
            &CancellationToken::new(),
            settling(move || {
                let n = {
                    let mut c = counter.lock().unwrap();
                    *c += 1;
                    *c
                };
                async move {
                    match n {
                        1 => Err(not_found()),
                        2 => Err(AwsError::new("CreateRole", ErrorClass::Validation)
                            .with_code("MalformedPolicyDocument")
                            .with_message("Invalid principal in policy: \"AWS\":\"arn:x\"")),
                        _ => Ok(n),
                    }
                }
            }),
        )
        .await;
        assert_eq!(got, Ok(3));
    }

    #[tokio::test(start_paused = true)]
    async fn a_lasting_not_found_is_reported_after_the_window() {
        let got: Result<(), _> = retry(
            "PutRolePolicy",
            Deadline::from_timeout(Duration::from_secs(600)),
            &CancellationToken::new(),
            settling(|| async { Err(not_found()) }),
        )
        .await;
        assert!(got.unwrap_err().is_not_found());
    }

    #[tokio::test(start_paused = true)]
    async fn other_validation_errors_are_not_retried() {
        let calls = Arc::new(Mutex::new(0u32));
        let counter = Arc::clone(&calls);
        let got: Result<(), _> = retry(
            "CreateRole",
            Deadline::from_timeout(Duration::from_secs(60)),
            &CancellationToken::new(),
            settling(move || {
                *counter.lock().unwrap() += 1;
                async {
                    Err(AwsError::new("CreateRole", ErrorClass::Validation)
                        .with_code("MalformedPolicyDocument")
                        .with_message("Syntax errors in policy"))
                }
            }),
        )
        .await;
        assert!(got.is_err());
        assert_eq!(*calls.lock().unwrap(), 1);
    }
}
