//! Starting the second thread of a two-thread pass so that it runs beside this one at once.
//!
//! A new thread is queued on its creator's CPU until the scheduler places it. On the 2-CPU
//! virtual machine we measure on, it was not placed when created: nine new threads in ten
//! first ran on their creator's CPU, after waiting for the periodic load balancer (up to a
//! scheduler tick, 4 ms at 250 Hz) or for the creator to block, while the other CPU idled.
//! Letting the creator sleep until the new thread ran did not help there either: the creator
//! was woken on the new thread's CPU. The passes this crate splits in two last 1–6 ms, so the
//! second share often ran after the first rather than beside it, and a 1,000-database check
//! took anywhere from 18 to 33 ms doing the same work.
//!
//! So the creator yields (it does not sleep, so it keeps its CPU) until the new thread has
//! started, and the new thread's first act is to leave the creator's CPU: it narrows its own
//! CPU set to the others, which moves it before the call returns, then gives the full set back
//! so the scheduler stays free to place it later. The creator waits tens of microseconds.
//! Where the kernel already started the thread elsewhere, nothing moves; where only one CPU is
//! allowed, or the CPU set cannot be changed, the thread stays and shares the CPU. Where the
//! creator's CPU is unknown (off Linux), the thread is started as usual.

use std::sync::mpsc::{self, TryRecvError};
use std::thread::{Scope, ScopedJoinHandle};

/// Runs `work` on a new thread of `scope`, started on another CPU than this thread's when one
/// is allowed; `None` when no thread can be had (the caller then does the work itself).
pub(crate) fn spawn<'scope, T, F>(
    scope: &'scope Scope<'scope, '_>,
    work: F,
) -> Option<ScopedJoinHandle<'scope, T>>
where
    F: FnOnce() -> T + Send + 'scope,
    T: Send + 'scope,
{
    let Some(home) = cpu::current() else {
        return std::thread::Builder::new().spawn_scoped(scope, work).ok();
    };
    let (started, running) = mpsc::sync_channel::<()>(1);
    let handle = std::thread::Builder::new()
        .spawn_scoped(scope, move || {
            cpu::leave(home);
            // The creator waits on the other end until this arrives.
            started.send(()).ok();
            work()
        })
        .ok()?;
    // Yielding hands this CPU to the new thread while it is still queued here. The wait also
    // ends if the thread panicked before sending (the sender is dropped); joining it then
    // passes the panic on.
    while let Err(TryRecvError::Empty) = running.try_recv() {
        std::thread::yield_now();
    }
    Some(handle)
}

/// What the thread's work returned; a panic in it goes on in this thread, as if the work had
/// run here.
pub(crate) fn join<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
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
        if let Some(allowed) = narrow(cpu) {
            // Widening the set moves nothing. Should it fail, this short-lived thread keeps
            // the narrower set, which is still every CPU but its creator's.
            sched_setaffinity(Pid::from_raw(0), &allowed).ok();
        }
    }

    /// Narrows this thread's CPU set to every allowed CPU but `cpu`, which moves the thread
    /// off it before returning, and gives back the set as it was; `None` when `cpu` is the
    /// only one allowed or the set cannot be read or changed.
    fn narrow(cpu: usize) -> Option<CpuSet> {
        let this_thread = Pid::from_raw(0);
        let allowed = sched_getaffinity(this_thread).ok()?;
        let mut others = allowed;
        others.unset(cpu).ok()?;
        if others == CpuSet::new() {
            return None;
        }
        sched_setaffinity(this_thread, &others).ok()?;
        Some(allowed)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn narrowing_moves_off_the_cpu_and_leaving_keeps_the_allowed_set() {
            let this_thread = Pid::from_raw(0);
            let (Some(here), Ok(allowed)) = (current(), sched_getaffinity(this_thread)) else {
                return; // no CPU number or set to be had here: nothing to move
            };
            match narrow(here) {
                Some(before) => {
                    // Checked while the set is narrow: the kernel cannot put it back.
                    let there = current().unwrap();
                    sched_setaffinity(this_thread, &before).unwrap();
                    assert_eq!(before, allowed);
                    assert_ne!(there, here);
                }
                // Only this CPU allowed, or the set may not be changed: it stays as it was.
                None => assert_eq!(sched_getaffinity(this_thread).unwrap(), allowed),
            }
            leave(here);
            assert_eq!(sched_getaffinity(this_thread).unwrap(), allowed);
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
    fn a_panic_in_the_work_goes_on_in_the_joiner() {
        let joined = std::panic::catch_unwind(|| {
            std::thread::scope(|scope| {
                let handle = spawn::<(), _>(scope, || panic!("work failed")).unwrap();
                join(handle)
            })
        });
        let panic = joined.unwrap_err();
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"work failed"));
    }
}
