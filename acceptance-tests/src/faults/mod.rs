//! A fault-injecting HTTP proxy between the provider and the emulator.
//!
//! A database provider is trusted only if throttling, server errors, slow answers, dropped
//! connections and killed processes never lose or duplicate a database. The emulator never
//! misbehaves on its own, so the proxy makes it: it listens on 127.0.0.1 (an ephemeral port),
//! forwards every call to the emulator, and by its [`FaultPlan`] answers some calls with the
//! error AWS would send instead, delays them, or drops the connection. It can also hold one
//! call ([`HoldSpec`]) and signal the test, so a test kills or interrupts a process at an
//! exact point of an apply. The provider is pointed at the proxy the way it is pointed at the
//! emulator: `AWS_ENDPOINT_URL` ([`FaultProxy::point`]).
//!
//! ```no_run
//! use dbrail_acceptance_tests::faults::{Calls, Fault, FaultPlan, FaultProxy};
//! use dbrail_acceptance_tests::{Emulator, Workspace};
//! # fn main() -> Result<(), dbrail_acceptance_tests::HarnessError> {
//! let emulator = Emulator::start()?;
//! let proxy = FaultProxy::start(&emulator, FaultPlan::seeded(7)
//!     .at_rate(Fault::Throttle, 0.3, Calls::All))?;
//! let mut ws = Workspace::new(&[("main.tf", "# configuration")], &emulator)?;
//! proxy.point(&mut ws);
//! # Ok(()) }
//! ```

mod hold;
mod inventory;
mod plan;
mod roles;
mod run;
mod server;
mod stack;
mod wire;

pub use hold::{Hold, HoldSpec, Phase};
pub use inventory::{Inventory, assert_converged, cluster_resource_id};
pub use plan::{Calls, Fault, FaultPlan, Rule, Trigger};
pub use roles::assert_roles_exact;
pub use run::Background;
pub use stack::Stack;
pub use wire::{ErrorResponse, Protocol, error_response, operation};

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use crate::{Emulator, HarnessError, Workspace};

/// What the proxy and the test share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) upstream: SocketAddr,
    pub(crate) plan: Mutex<FaultPlan>,
    pub(crate) holds: Mutex<Vec<Hold>>,
    pub(crate) stats: Mutex<Stats>,
}

/// What went through the proxy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Calls per operation that reached the emulator.
    pub forwarded: BTreeMap<String, u32>,
    /// Faults injected per operation.
    pub injected: BTreeMap<String, u32>,
    /// Operations the emulator has answered at least once (arms [`HoldSpec::once`]).
    pub completed: BTreeSet<String>,
}

impl Stats {
    /// Calls of `operation` that reached the emulator.
    pub fn forwarded(&self, operation: &str) -> u32 {
        self.forwarded.get(operation).copied().unwrap_or(0)
    }

    /// All faults injected.
    pub fn injected_total(&self) -> u32 {
        self.injected.values().sum()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The running proxy; stops when dropped.
#[derive(Debug)]
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl FaultProxy {
    /// Starts a proxy in front of `emulator` with `plan`.
    pub fn start(emulator: &Emulator, plan: FaultPlan) -> Result<Self, HarnessError> {
        Self::in_front_of(emulator.addr(), plan)
    }

    /// Starts a proxy in front of any HTTP server (used by the proxy's own tests).
    pub fn in_front_of(upstream: SocketAddr, plan: FaultPlan) -> Result<Self, HarnessError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fault-proxy")
            .enable_all()
            .build()
            .map_err(|e| HarnessError::io("starting the fault proxy's runtime", e))?;
        let shared = Arc::new(Shared {
            upstream,
            plan: Mutex::new(plan),
            holds: Mutex::new(Vec::new()),
            stats: Mutex::new(Stats::default()),
        });
        // Bound without blocking on the runtime, so a proxy can be started from async tests.
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| HarnessError::io("binding the fault proxy to 127.0.0.1", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| HarnessError::io("reading the fault proxy's address", e))?;
        let serving = Arc::clone(&shared);
        runtime.spawn(async move {
            match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => server::serve(listener, serving).await,
                Err(e) => eprintln!("[dbrail-acc] fault proxy could not listen: {e}"),
            }
        });
        Ok(Self {
            addr,
            shared,
            runtime: Some(runtime),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the proxy listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Points `ws`'s terraform (and so the provider) at the proxy instead of the emulator.
    pub fn point(&self, ws: &mut Workspace) {
        ws.set_env("AWS_ENDPOINT_URL", self.endpoint());
    }

    /// Replaces the plan (e.g. [`FaultPlan::none`] to turn faults off).
    pub fn set_plan(&self, plan: FaultPlan) {
        *lock(&self.shared.plan) = plan;
    }

    /// Holds the call `spec` describes; see [`Hold`].
    pub fn hold(&self, spec: HoldSpec) -> Hold {
        let hold = Hold::new(spec);
        lock(&self.shared.holds).push(hold.clone());
        hold
    }

    /// Releases every hold (held calls go on) and forgets them.
    pub fn release_all(&self) {
        for hold in lock(&self.shared.holds).drain(..) {
            hold.release();
        }
    }

    /// A snapshot of what went through so far.
    pub fn stats(&self) -> Stats {
        lock(&self.shared.stats).clone()
    }

    /// Forgets the counts (e.g. between an apply under faults and the re-run).
    pub fn reset_stats(&self) {
        *lock(&self.shared.stats) = Stats::default();
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.release_all();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests;
