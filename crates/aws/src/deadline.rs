//! One deadline per Terraform operation.
//!
//! A resource's create may retry a throttled call, wait for a state, then retry again; each step
//! must draw on the same budget (the resource's `timeouts { create = ... }`) rather than get a
//! fresh one, or the total could silently exceed what the user configured. So the budget is an
//! instant, not a duration, and it is passed by value to [`crate::retry`] and
//! [`crate::wait_for`].
//!
//! It uses tokio's clock so tests with paused time run instantly.

use std::time::Duration;

use tokio::time::Instant;

/// The instant by which an operation must finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deadline(Instant);

impl Deadline {
    /// A deadline `timeout` from now.
    pub fn from_timeout(timeout: Duration) -> Self {
        let now = Instant::now();
        // `checked_add` only fails for absurd durations; treat those as "far away".
        Self(
            now.checked_add(timeout)
                .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600)),
        )
    }

    /// A deadline at a given instant.
    pub fn at(instant: Instant) -> Self {
        Self(instant)
    }

    /// The instant itself.
    pub fn instant(&self) -> Instant {
        self.0
    }

    /// Time left; zero once passed.
    pub fn remaining(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }

    /// Whether the deadline has passed.
    pub fn is_expired(&self) -> bool {
        self.remaining().is_zero()
    }

    /// The earlier of this deadline and one `timeout` from now: for a step that must not use the
    /// whole remaining budget.
    pub fn min_timeout(&self, timeout: Duration) -> Self {
        std::cmp::min(*self, Self::from_timeout(timeout))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn remaining_counts_down_to_zero() {
        let deadline = Deadline::from_timeout(Duration::from_secs(10));
        assert_eq!(deadline.remaining(), Duration::from_secs(10));
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(deadline.remaining(), Duration::from_secs(6));
        assert!(!deadline.is_expired());
        tokio::time::advance(Duration::from_secs(7)).await;
        assert_eq!(deadline.remaining(), Duration::ZERO);
        assert!(deadline.is_expired());
    }

    #[tokio::test(start_paused = true)]
    async fn min_timeout_never_extends() {
        let deadline = Deadline::from_timeout(Duration::from_secs(10));
        assert_eq!(deadline.min_timeout(Duration::from_secs(60)), deadline);
        let shorter = deadline.min_timeout(Duration::from_secs(3));
        assert_eq!(shorter.remaining(), Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn huge_timeouts_do_not_panic() {
        let deadline = Deadline::from_timeout(Duration::MAX);
        assert!(!deadline.is_expired());
    }
}
