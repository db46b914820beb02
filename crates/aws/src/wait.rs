//! Waiting for a resource to reach a state.
//!
//! A waiter is a poll function plus the shared [`Deadline`]: `Ok(Some(t))` means done,
//! `Ok(None)` means keep waiting. Retryable errors (throttling while many waiters poll at once,
//! transient 5xx) keep the waiter going rather than failing a 40-minute cluster create on one
//! blip; anything else ends it. Polling backs off from 1 s to 15 s, so short operations finish
//! quickly and long ones don't burn API quota.
//!
//! Eventual consistency after create ("not found" right after a successful create) belongs in
//! the poll function: map `NotFound` to `Ok(None)` there when that is what the caller expects.

use std::borrow::Cow;
use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::backoff::Backoff;
use crate::deadline::Deadline;
use crate::error::{AwsError, OperationError};
use crate::retry::{attempt, pause};

/// First poll interval.
const WAIT_BASE: Duration = Duration::from_secs(1);
/// Longest poll interval.
const WAIT_CAP: Duration = Duration::from_secs(15);

/// Polls until `poll` returns `Ok(Some(t))`, a non-retryable error, `deadline` passes, or
/// `cancel` fires.
///
/// `what` names the wait in errors, e.g. `"DB cluster demo to become available"`. The first poll
/// happens immediately.
pub async fn wait_for<T, F, Fut>(
    what: impl Into<Cow<'static, str>>,
    deadline: Deadline,
    cancel: &CancellationToken,
    mut poll: F,
) -> Result<T, OperationError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, AwsError>>,
{
    let what: Cow<'static, str> = what.into();
    let mut backoff = Backoff::exponential(WAIT_BASE, WAIT_CAP);
    // The last retryable error seen; it ends up in `DeadlineExceeded`.
    let mut last: Option<AwsError> = None;
    // Throttling and transient errors in a row have the same budget as in `retry`: a wait for
    // a cluster may last hours, an outage of the API answering it should not.
    let mut transient_since: Option<tokio::time::Instant> = None;
    loop {
        match attempt(what.clone(), deadline, cancel, &mut last, &mut poll).await? {
            Some(Some(value)) => return Ok(value),
            Some(None) => {
                transient_since = None;
                tracing::debug!(what = %what, "still waiting");
            }
            None => {
                tracing::debug!(
                    what = %what,
                    error = last.as_ref().map(tracing::field::display),
                    "retryable error while waiting"
                );
                let transient = last
                    .as_ref()
                    .is_some_and(|e| e.is_throttling() || e.is_transient());
                if transient {
                    let since = *transient_since.get_or_insert_with(tokio::time::Instant::now);
                    if since.elapsed() >= crate::retry::TRANSIENT_RETRY_BUDGET {
                        return Err(OperationError::DeadlineExceeded {
                            operation: what,
                            last: last.take(),
                        });
                    }
                } else {
                    transient_since = None;
                }
            }
        }
        pause(
            what.clone(),
            backoff.next_delay(),
            deadline,
            cancel,
            &mut last,
        )
        .await?;
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

    type Step = Result<Option<&'static str>, AwsError>;

    fn script(
        steps: Vec<Step>,
    ) -> (
        Arc<Mutex<Vec<Instant>>>,
        impl FnMut() -> std::future::Ready<Step>,
    ) {
        let times = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&times);
        let mut queue: VecDeque<_> = steps.into();
        let f = move || {
            seen.lock().unwrap().push(Instant::now());
            std::future::ready(queue.pop_front().unwrap_or(Ok(None)))
        };
        (times, f)
    }

    fn throttled() -> AwsError {
        AwsError::new("DescribeDBClusters", ErrorClass::Throttling).with_code("Throttling")
    }

    #[tokio::test(start_paused = true)]
    async fn a_persistent_outage_ends_the_wait_after_the_transient_budget() {
        let cancel = CancellationToken::new();
        let start = Instant::now();
        let poll = || {
            std::future::ready(Err::<Option<&str>, _>(
                AwsError::new("DescribeDBClusters", ErrorClass::Transient)
                    .with_code("InternalFailure"),
            ))
        };
        let deadline = Deadline::from_timeout(Duration::from_secs(2 * 3600));
        let e = wait_for("cluster", deadline, &cancel, poll)
            .await
            .unwrap_err();
        assert!(e.is_deadline_exceeded(), "{e:?}");
        let waited = start.elapsed();
        assert!(waited >= crate::retry::TRANSIENT_RETRY_BUDGET, "{waited:?}");
        assert!(waited < Duration::from_secs(3600), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn waits_with_growing_intervals_until_done() {
        let cancel = CancellationToken::new();
        let start = Instant::now();
        let (times, poll) = script(vec![
            Ok(None),
            Err(throttled()),
            Ok(None),
            Ok(None),
            Ok(Some("available")),
        ]);
        let got = wait_for(
            "cluster to become available",
            Deadline::from_timeout(Duration::from_secs(600)),
            &cancel,
            poll,
        )
        .await;
        assert_eq!(got, Ok("available"));
        let offsets: Vec<u64> = times
            .lock()
            .unwrap()
            .iter()
            .map(|t| t.duration_since(start).as_secs())
            .collect();
        // Immediately, then +1, +2, +4, +8.
        assert_eq!(offsets, vec![0, 1, 3, 7, 15]);
    }

    #[tokio::test(start_paused = true)]
    async fn interval_is_capped_at_fifteen_seconds() {
        let cancel = CancellationToken::new();
        let start = Instant::now();
        let mut steps: Vec<Step> = vec![Ok(None); 7];
        steps.push(Ok(Some("done")));
        let (times, poll) = script(steps);
        wait_for(
            "x",
            Deadline::from_timeout(Duration::from_secs(600)),
            &cancel,
            poll,
        )
        .await
        .unwrap();
        let offsets: Vec<u64> = times
            .lock()
            .unwrap()
            .iter()
            .map(|t| t.duration_since(start).as_secs())
            .collect();
        assert_eq!(offsets, vec![0, 1, 3, 7, 15, 30, 45, 60]);
    }

    #[tokio::test(start_paused = true)]
    async fn non_retryable_error_ends_the_wait() {
        let cancel = CancellationToken::new();
        let (_, poll) = script(vec![
            Ok(None),
            Err(
                AwsError::new("DescribeDBClusters", ErrorClass::AccessDenied)
                    .with_code("AccessDenied"),
            ),
        ]);
        let e = wait_for(
            "x",
            Deadline::from_timeout(Duration::from_secs(600)),
            &cancel,
            poll,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&e, OperationError::Aws(a) if a.is_access_denied()),
            "{e:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn deadline_exceeded_names_the_wait_and_last_error() {
        let cancel = CancellationToken::new();
        let start = Instant::now();
        let (_, poll) = script(vec![
            Ok(None),
            Err(throttled()),
            Ok(None),
            Ok(None),
            Ok(None),
        ]);
        let e = wait_for(
            "DB cluster demo to become available",
            Deadline::from_timeout(Duration::from_secs(20)),
            &cancel,
            poll,
        )
        .await
        .unwrap_err();
        assert_eq!(start.elapsed(), Duration::from_secs(20));
        match &e {
            OperationError::DeadlineExceeded { operation, last } => {
                assert_eq!(operation, "DB cluster demo to become available");
                assert!(
                    last.as_ref().is_some_and(AwsError::is_throttling),
                    "{last:?}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        let text = e.to_string();
        assert!(
            text.contains("DB cluster demo to become available"),
            "{text}"
        );
        assert!(text.contains("Throttling"), "{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn deadline_without_errors_has_no_last() {
        let cancel = CancellationToken::new();
        let (_, poll) = script(vec![]);
        let e = wait_for(
            "x",
            Deadline::from_timeout(Duration::from_secs(5)),
            &cancel,
            poll,
        )
        .await
        .unwrap_err();
        assert_eq!(
            e,
            OperationError::DeadlineExceeded {
                operation: "x".into(),
                last: None
            }
        );
    }

    #[tokio::test(start_paused = true)]
    async fn cancel_interrupts_the_wait_promptly() {
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            trigger.cancel();
        });
        let start = Instant::now();
        let (_, poll) = script(vec![]);
        let e = wait_for(
            "x",
            Deadline::from_timeout(Duration::from_secs(3600)),
            &cancel,
            poll,
        )
        .await
        .unwrap_err();
        assert!(e.is_cancelled());
        assert!(
            start.elapsed() < Duration::from_millis(100),
            "{:?}",
            start.elapsed()
        );
    }
}
