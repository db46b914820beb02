//! Starting the second thread of a two-thread pass so that it runs beside this one at once.
//!
//! Linux queues a new thread on the CPU of the thread that created it, and some kernels (we
//! measured this on a 2-CPU virtual machine) leave it there until the periodic load balancer
//! moves it: up to a scheduler tick (4 ms at 250 Hz), or until its creator blocks. Waking a
//! sleeping creator did not help on that machine either: it was woken on the new thread's CPU.
//! The passes this crate splits in two last 1–6 ms, so the second half often ran after the
//! first, not beside it, and a 1,000-database check took anywhere from 18 to 33 ms.
//!
//! So the creator yields (it does not sleep, so it keeps its CPU) until the new thread has
//! started, and the new thread's first act is to leave the creator's CPU: it narrows its own
//! CPU set to the others, which moves it at once, then gives the full set back so the
//! scheduler stays free to place it later. This costs a few microseconds; where the kernel
//! already started the thread elsewhere, nothing moves. Off Linux, the creator only waits for
//! the start.

use std::sync::mpsc::{self, TryRecvError};
use std::thread::{Scope, ScopedJoinHandle};

/// Runs `work` on a new thread of `scope`, on another CPU than this thread's when one is
/// allowed, and returns once that thread is running; `None` when no thread can be had (the
/// caller then does the work itself).
pub(crate) fn spawn<'scope, T, F>(
    scope: &'scope Scope<'scope, '_>,
    work: F,
) -> Option<ScopedJoinHandle<'scope, T>>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    let home = cpu::current();
    let (started, running) = mpsc::sync_channel::<()>(1);
    let handle = std::thread::Builder::new()
        .spawn_scoped(scope, move || {
            if let Some(home) = home {
                cpu::leave(home);
            }
            // The creator waits on the other end until this arrives.
            started.send(()).ok();
            work()
        })
        .ok()?;
    // `Disconnected` would mean the thread ended without sending, which it cannot; either way
    // it has run.
    while let Err(TryRecvError::Empty) = running.try_recv() {
        std::thread::yield_now();
    }
    Some(handle)
}

#[cfg(target_os = "linux")]
mod cpu {
    use nix::sched::{CpuSet, sched_getaffinity, sched_getcpu, sched_setaffinity};
    use nix::unistd::Pid;

    /// The CPU this thread runs on.
    pub(super) fn current() -> Option<usize> {
        sched_getcpu().ok()
    }

    /// Moves this thread off `cpu` when another CPU is allowed, leaving the allowed set as it
    /// was. Nothing happens when the set cannot be read or changed (a sandbox may refuse).
    pub(super) fn leave(cpu: usize) {
        let this_thread = Pid::from_raw(0);
        let Ok(allowed) = sched_getaffinity(this_thread) else {
            return;
        };
        let mut others = allowed;
        if others.unset(cpu).is_err() {
            return;
        }
        let any_other = (0..CpuSet::count()).any(|c| others.is_set(c).unwrap_or(false));
        // Narrowing the set moves a running thread before the call returns; widening it
        // again moves nothing.
        if any_other && sched_setaffinity(this_thread, &others).is_ok() {
            sched_setaffinity(this_thread, &allowed).ok();
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn leaving_a_cpu_moves_off_it_and_keeps_the_allowed_set() {
            let this_thread = Pid::from_raw(0);
            let allowed = sched_getaffinity(this_thread).unwrap();
            let allowed_count = (0..CpuSet::count())
                .filter(|&c| allowed.is_set(c).unwrap())
                .count();
            let here = current().unwrap();
            leave(here);
            let now = current().unwrap();
            assert_eq!(sched_getaffinity(this_thread).unwrap(), allowed);
            if allowed_count > 1 {
                assert_ne!(now, here, "still on CPU {here} of {allowed_count} allowed");
            } else {
                assert_eq!(now, here);
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod cpu {
    pub(super) fn current() -> Option<usize> {
        None
    }

    pub(super) fn leave(_cpu: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_runs_on_another_thread_and_its_result_comes_back() {
        let here = std::thread::current().id();
        let data = [1, 2, 3, 4];
        let (sum, there) = std::thread::scope(|scope| {
            let handle = spawn(scope, || {
                (data.iter().sum::<i32>(), std::thread::current().id())
            });
            handle.map(|h| h.join().unwrap())
        })
        .unwrap();
        assert_eq!(sum, 10);
        assert_ne!(there, here);
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_joiner() {
        let joined = std::thread::scope(|scope| {
            let handle = spawn::<(), _>(scope, || panic!("work failed")).unwrap();
            handle.join()
        });
        assert!(joined.is_err());
    }
}
