//! Exponential backoff with optional full jitter, without a `rand` dependency.
//!
//! Full jitter (sleep a uniformly random time in `[0, min(cap, base * 2^n)]`) spreads retries of
//! many concurrent resources so they don't hammer a throttled API in lockstep. The randomness
//! only has to decorrelate callers, not be unpredictable, so a xorshift seeded from the clock and
//! a process-wide counter is enough.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Backoff schedule state for one retry or wait loop.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
    jitter: Option<XorShift>,
}

impl Backoff {
    /// Exponential with full jitter: `uniform(0, min(cap, base * 2^n))`.
    pub(crate) fn full_jitter(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap,
            attempt: 0,
            jitter: Some(XorShift::seeded()),
        }
    }

    /// Plain exponential: `min(cap, base * 2^n)`.
    pub(crate) fn exponential(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap,
            attempt: 0,
            jitter: None,
        }
    }

    /// The next delay; advances the schedule.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let factor = 1u32.checked_shl(self.attempt.min(31)).unwrap_or(u32::MAX);
        let ceiling = self.base.saturating_mul(factor).min(self.cap);
        self.attempt = self.attempt.saturating_add(1);
        match &mut self.jitter {
            None => ceiling,
            Some(rng) => {
                let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
                if nanos == 0 {
                    Duration::ZERO
                } else {
                    Duration::from_nanos(rng.next() % (nanos + 1))
                }
            }
        }
    }
}

/// xorshift64*: tiny, fast, good enough to decorrelate retry timings.
#[derive(Debug, Clone)]
struct XorShift(u64);

impl XorShift {
    fn seeded() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let clock = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| {
            u64::try_from(d.as_nanos() & u128::from(u64::MAX)).unwrap_or(0)
        });
        let count = COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        let seed = clock ^ count.rotate_left(17);
        // xorshift must never be seeded with zero.
        Self(if seed == 0 {
            0x2545_F491_4F6C_DD1D
        } else {
            seed
        })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_doubles_up_to_the_cap() {
        let mut b = Backoff::exponential(Duration::from_secs(1), Duration::from_secs(15));
        let got: Vec<u64> = (0..7).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(got, vec![1, 2, 4, 8, 15, 15, 15]);
    }

    #[test]
    fn full_jitter_stays_within_the_ceiling() {
        let mut b = Backoff::full_jitter(Duration::from_millis(500), Duration::from_secs(20));
        for attempt in 0..64u32 {
            let ceiling = Duration::from_millis(500)
                .saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX))
                .min(Duration::from_secs(20));
            let d = b.next_delay();
            assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
        }
    }

    #[test]
    fn full_jitter_varies() {
        let mut b = Backoff::full_jitter(Duration::from_secs(20), Duration::from_secs(20));
        let delays: Vec<Duration> = (0..16).map(|_| b.next_delay()).collect();
        let first = delays[0];
        assert!(delays.iter().any(|d| *d != first), "{delays:?}");
    }
}
