//! Retrying one AWS call until it succeeds, fails for good, the deadline passes, or the user
//! cancels.
//!
//! The SDK already retries each call a few times (standard mode, `max_retries`). This loop sits
//! above it for what the SDK gives up on too early for infrastructure work: sustained
//! throttling when many resources are applied in parallel, and `Busy` states (a parameter group
//! still being modified) that clear in seconds to minutes. Each attempt and each sleep is bounded
//! by the shared [`Deadline`] and interrupted by the [`CancellationToken`], so a stopped
//! `terraform apply` returns promptly instead of finishing a 20-second backoff.

use std::borrow::Cow;
use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::backoff::Backoff;
use crate::deadline::Deadline;
use crate::error::{AwsError, OperationError};

/// First backoff ceiling for [`retry`]; doubles per attempt.
const RETRY_BASE: Duration = Duration::from_millis(500);
/// Largest backoff ceiling for [`retry`].
const RETRY_CAP: Duration = Duration::from_secs(20);
/// The retry budget for throttling and transient errors: how long they may go on in a row
/// before the call fails, even when the operation's deadline (hours, for a cluster) is far
/// away. Busy states are retried until the deadline, since they clear when AWS finishes work.
pub const TRANSIENT_RETRY_BUDGET: Duration = Duration::from_secs(5 * 60);

/// Runs `f` until it succeeds, returns a non-retryable error, `deadline` passes or `cancel` fires.
///
/// Throttling, transient and busy errors ([`AwsError::is_retryable`]) are retried with
/// exponential backoff and full jitter (0.5 s doubling, capped at 20 s). An attempt still in
/// flight when the deadline passes or the token is cancelled is dropped.
///
/// ```no_run
/// # async fn demo(rds: aws_sdk_rds::Client) -> Result<(), dbrail_aws::OperationError> {
/// use std::time::Duration;
/// use dbrail_aws::{CancellationToken, Deadline, classify, retry};
///
/// let deadline = Deadline::from_timeout(Duration::from_secs(60));
/// let cancel = CancellationToken::new();
/// let out = retry("DescribeDBClusters", deadline, &cancel, || {
///     let request = rds.describe_db_clusters();
///     async move {
///         request.send().await.map_err(|e| classify("DescribeDBClusters", e))
///     }
/// })
/// .await?;
/// # let _ = out;
/// # Ok(())
/// # }
/// ```
pub async fn retry<T, F, Fut>(
    operation: &'static str,
    deadline: Deadline,
    cancel: &CancellationToken,
    mut f: F,
) -> Result<T, OperationError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let mut backoff = Backoff::full_jitter(RETRY_BASE, RETRY_CAP);
    let mut last: Option<AwsError> = None;
    let mut transient_since: Option<tokio::time::Instant> = None;
    loop {
        match attempt(operation, deadline, cancel, &mut last, &mut f).await? {
            Some(value) => return Ok(value),
            None => {
                let transient = last
                    .as_ref()
                    .is_some_and(|e| e.is_throttling() || e.is_transient());
                if transient {
                    let since = *transient_since.get_or_insert_with(tokio::time::Instant::now);
                    if since.elapsed() >= TRANSIENT_RETRY_BUDGET {
                        return Err(OperationError::DeadlineExceeded {
                            operation: operation.into(),
                            last: last.take(),
                        });
                    }
                } else {
                    transient_since = None;
                }
                let delay = backoff.next_delay();
                tracing::debug!(
                    operation,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    error = last.as_ref().map(tracing::field::display),
                    "retrying AWS call"
                );
                pause(operation, delay, deadline, cancel, &mut last).await?;
            }
        }
    }
}

/// Runs one attempt bounded by `deadline` and `cancel`; `start` is not called when either has
/// already fired.
///
/// `Ok(Some(v))`: done. `Ok(None)`: a retryable error, stored in `last`. `Err`: stop.
pub(crate) async fn attempt<T, G, Fut>(
    operation: impl Into<Cow<'static, str>>,
    deadline: Deadline,
    cancel: &CancellationToken,
    last: &mut Option<AwsError>,
    start: G,
) -> Result<Option<T>, OperationError>
where
    G: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    if cancel.is_cancelled() {
        return Err(OperationError::Cancelled {
            operation: operation.into(),
        });
    }
    if deadline.is_expired() {
        return Err(OperationError::DeadlineExceeded {
            operation: operation.into(),
            last: last.take(),
        });
    }
    let outcome = tokio::select! {
        biased;
        () = cancel.cancelled() => {
            return Err(OperationError::Cancelled { operation: operation.into() });
        }
        outcome = tokio::time::timeout_at(deadline.instant(), start()) => outcome,
    };
    match outcome {
        Err(_elapsed) => Err(OperationError::DeadlineExceeded {
            operation: operation.into(),
            last: last.take(),
        }),
        Ok(Ok(value)) => Ok(Some(value)),
        Ok(Err(err)) if err.is_retryable() => {
            *last = Some(err);
            Ok(None)
        }
        Ok(Err(err)) => Err(OperationError::Aws(err)),
    }
}

/// Sleeps `delay` (at most until `deadline`), returning early with `Cancelled` on `cancel`.
/// When the deadline is reached, ends with `DeadlineExceeded` carrying `last`.
pub(crate) async fn pause(
    operation: impl Into<Cow<'static, str>>,
    delay: Duration,
    deadline: Deadline,
    cancel: &CancellationToken,
    last: &mut Option<AwsError>,
) -> Result<(), OperationError> {
    let wake = std::cmp::min(tokio::time::Instant::now() + delay, deadline.instant());
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(OperationError::Cancelled { operation: operation.into() }),
        () = tokio::time::sleep_until(wake) => {
            if deadline.is_expired() {
                Err(OperationError::DeadlineExceeded { operation: operation.into(), last: last.take() })
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    use tokio::time::Instant;

    use super::*;
    use crate::error::ErrorClass;

    fn err(class: ErrorClass, code: &str) -> AwsError {
        AwsError::new("Op", class).with_code(code)
    }

    /// A closure that returns the scripted results in order and counts calls.
    fn scripted(
        results: Vec<Result<u32, AwsError>>,
    ) -> (
        Arc<Mutex<usize>>,
        impl FnMut() -> std::future::Ready<Result<u32, AwsError>>,
    ) {
        let calls = Arc::new(Mutex::new(0));
        let counter = Arc::clone(&calls);
        let mut queue: VecDeque<_> = results.into();
        let f = move || {
            *counter.lock().unwrap() += 1;
            std::future::ready(
                queue
                    .pop_front()
                    .unwrap_or_else(|| Err(err(ErrorClass::Other, "ScriptExhausted"))),
            )
        };
        (calls, f)
    }

    #[tokio::test(start_paused = true)]
    async fn throttled_then_busy_then_ok() {
        let cancel = CancellationToken::new();
        let (calls, f) = scripted(vec![
            Err(err(ErrorClass::Throttling, "Throttling")),
            Err(err(ErrorClass::Busy, "InvalidDBParameterGroupState")),
            Err(err(ErrorClass::Transient, "InternalFailure")),
            Ok(7),
        ]);
        let deadline = Deadline::from_timeout(Duration::from_secs(300));
        let got = retry("Op", deadline, &cancel, f).await;
        assert_eq!(got, Ok(7));
        assert_eq!(*calls.lock().unwrap(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn persistent_transient_errors_exhaust_the_budget_before_a_far_deadline() {
        let cancel = CancellationToken::new();
        let f = || std::future::ready(Err::<u32, _>(err(ErrorClass::Transient, "InternalFailure")));
        let start = Instant::now();
        let deadline = Deadline::from_timeout(Duration::from_secs(2 * 3600));
        let got = retry("Op", deadline, &cancel, f).await;
        let e = got.unwrap_err();
        assert!(e.is_deadline_exceeded(), "{e:?}");
        assert_eq!(
            e.aws_error().and_then(|a| a.code.as_deref()),
            Some("InternalFailure")
        );
        let waited = start.elapsed();
        assert!(waited >= TRANSIENT_RETRY_BUDGET, "{waited:?}");
        assert!(
            waited < TRANSIENT_RETRY_BUDGET + Duration::from_secs(60),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn busy_states_are_retried_past_the_transient_budget() {
        let cancel = CancellationToken::new();
        let start = Instant::now();
        let f = move || {
            std::future::ready(if start.elapsed() < TRANSIENT_RETRY_BUDGET * 2 {
                Err(err(ErrorClass::Busy, "InvalidDBClusterStateFault"))
            } else {
                Ok(3)
            })
        };
        let deadline = Deadline::from_timeout(Duration::from_secs(2 * 3600));
        assert_eq!(retry("Op", deadline, &cancel, f).await, Ok(3));
    }

    #[tokio::test(start_paused = true)]
    async fn non_retryable_error_is_returned_at_once() {
        let cancel = CancellationToken::new();
        let (calls, f) = scripted(vec![
            Err(err(ErrorClass::Validation, "InvalidParameterValue")),
            Ok(1),
        ]);
        let start = Instant::now();
        let got = retry(
            "Op",
            Deadline::from_timeout(Duration::from_secs(60)),
            &cancel,
            f,
        )
        .await;
        let e = got.unwrap_err();
        assert!(
            matches!(&e, OperationError::Aws(a) if a.is_validation()),
            "{e:?}"
        );
        assert_eq!(*calls.lock().unwrap(), 1);
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn not_found_is_not_retried() {
        let cancel = CancellationToken::new();
        let (calls, f) = scripted(vec![Err(err(
            ErrorClass::NotFound,
            "DBParameterGroupNotFound",
        ))]);
        let got = retry(
            "Op",
            Deadline::from_timeout(Duration::from_secs(60)),
            &cancel,
            f,
        )
        .await;
        assert!(got.unwrap_err().is_not_found());
        assert_eq!(*calls.lock().unwrap(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn deadline_exceeded_carries_last_error() {
        let cancel = CancellationToken::new();
        let calls = Arc::new(Mutex::new(0u32));
        let counter = Arc::clone(&calls);
        let start = Instant::now();
        let got: Result<(), _> = retry(
            "ModifyDBClusterParameterGroup",
            Deadline::from_timeout(Duration::from_secs(30)),
            &cancel,
            move || {
                *counter.lock().unwrap() += 1;
                std::future::ready(Err(err(ErrorClass::Busy, "InvalidDBParameterGroupState")))
            },
        )
        .await;
        let e = got.unwrap_err();
        match &e {
            OperationError::DeadlineExceeded { operation, last } => {
                assert_eq!(operation, "ModifyDBClusterParameterGroup");
                assert_eq!(
                    last.as_ref().and_then(|l| l.code.as_deref()),
                    Some("InvalidDBParameterGroupState")
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            e.to_string().contains("InvalidDBParameterGroupState"),
            "{e}"
        );
        assert!(*calls.lock().unwrap() >= 2);
        // Never overshoots the deadline.
        assert!(
            start.elapsed() <= Duration::from_secs(30),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn hung_attempt_is_cut_at_the_deadline() {
        let cancel = CancellationToken::new();
        let start = Instant::now();
        let got: Result<(), _> = retry(
            "DescribeDBClusters",
            Deadline::from_timeout(Duration::from_secs(5)),
            &cancel,
            std::future::pending,
        )
        .await;
        assert!(got.unwrap_err().is_deadline_exceeded());
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn cancel_interrupts_backoff_promptly() {
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            trigger.cancel();
        });
        let start = Instant::now();
        let got: Result<(), _> = retry(
            "CreateDBClusterParameterGroup",
            Deadline::from_timeout(Duration::from_secs(3600)),
            &cancel,
            || std::future::ready(Err(err(ErrorClass::Throttling, "Throttling"))),
        )
        .await;
        let e = got.unwrap_err();
        assert!(e.is_cancelled(), "{e:?}");
        assert!(
            start.elapsed() < Duration::from_millis(100),
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn cancel_interrupts_an_attempt_in_flight() {
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            trigger.cancel();
        });
        let start = Instant::now();
        let got: Result<(), _> = retry(
            "DescribeDBClusters",
            Deadline::from_timeout(Duration::from_secs(3600)),
            &cancel,
            std::future::pending,
        )
        .await;
        assert!(got.unwrap_err().is_cancelled());
        assert!(start.elapsed() < Duration::from_millis(100));
    }

    #[tokio::test(start_paused = true)]
    async fn already_cancelled_never_calls() {
        let cancel = CancellationToken::new();
        cancel.cancel();
        let (calls, f) = scripted(vec![Ok(1)]);
        let got = retry(
            "Op",
            Deadline::from_timeout(Duration::from_secs(60)),
            &cancel,
            f,
        )
        .await;
        assert!(got.unwrap_err().is_cancelled());
        assert_eq!(*calls.lock().unwrap(), 0);
    }
}
