//! Holding one call at the proxy until the test lets it go: the way a test reaches an exact
//! point of an apply (the cluster exists but the provider has not heard back yet) before it
//! kills or interrupts something.
//!
//! The test side is synchronous (a mutex and a condvar); the proxy side awaits a watch channel.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::HarnessError;

/// Whether the call is held before it reaches the emulator or after the emulator has answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The emulator has not seen the call.
    Before,
    /// The emulator has done the work; its answer is withheld from the caller.
    After,
}

/// Which call to hold: the first call to `operation` (after `armed_after` has completed, if
/// set), in `phase`. Only one call is held; later ones pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldSpec {
    /// Operation name, e.g. `CreateDBCluster`.
    pub operation: String,
    /// Before or after the emulator.
    pub phase: Phase,
    /// Only calls made after a call to this operation completed are held.
    pub armed_after: Option<String>,
}

impl HoldSpec {
    /// Hold the first `operation` call once the emulator has answered it.
    pub fn after(operation: &str) -> Self {
        Self {
            operation: operation.to_owned(),
            phase: Phase::After,
            armed_after: None,
        }
    }

    /// Hold the first `operation` call before the emulator sees it.
    pub fn before(operation: &str) -> Self {
        Self {
            operation: operation.to_owned(),
            phase: Phase::Before,
            armed_after: None,
        }
    }

    /// Only once a call to `operation` has completed (e.g. the first `DescribeDBClusters` of
    /// the wait that follows `CreateDBCluster`).
    #[must_use]
    pub fn once(mut self, operation: &str) -> Self {
        self.armed_after = Some(operation.to_owned());
        self
    }
}

/// The test's handle on a hold.
#[derive(Debug, Clone)]
pub struct Hold {
    pub(crate) inner: Arc<HoldState>,
}

/// Shared between the test and the proxy.
#[derive(Debug)]
pub(crate) struct HoldState {
    pub(crate) spec: HoldSpec,
    taken: AtomicBool,
    reached: Mutex<bool>,
    cond: Condvar,
    release: tokio::sync::watch::Sender<bool>,
}

impl Hold {
    pub(crate) fn new(spec: HoldSpec) -> Self {
        Self {
            inner: Arc::new(HoldState {
                spec,
                taken: AtomicBool::new(false),
                reached: Mutex::new(false),
                cond: Condvar::new(),
                release: tokio::sync::watch::Sender::new(false),
            }),
        }
    }

    /// Blocks until the call is being held, or fails after `timeout`.
    pub fn wait_reached(&self, timeout: Duration) -> Result<(), HarnessError> {
        let guard = self
            .inner
            .reached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (guard, _) = self
            .inner
            .cond
            .wait_timeout_while(guard, timeout, |reached| !*reached)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *guard {
            Ok(())
        } else {
            Err(HarnessError::io(
                format!("waiting for the proxy to hold {:?}", self.inner.spec),
                std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("no such call within {timeout:?}"),
                ),
            ))
        }
    }

    /// True once the call is being held (or was).
    pub fn reached(&self) -> bool {
        *self
            .inner
            .reached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Lets the held call go on (now, or at once if it arrives later).
    pub fn release(&self) {
        self.inner.release.send_replace(true);
    }
}

impl HoldState {
    /// Claims this hold for a call; true for the first claimant only.
    pub(crate) fn claim(&self) -> bool {
        !self.taken.swap(true, Ordering::SeqCst)
    }

    /// Signals the test, then waits until it releases the call.
    pub(crate) async fn hold(&self) {
        {
            let mut reached = self
                .reached
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *reached = true;
            self.cond.notify_all();
        }
        let mut rx = self.release.subscribe();
        let _ = rx.wait_for(|released| *released).await;
    }
}
