//! The clock of the prh rules' time budgets ([`crate::analysis::rules::prh`]): the CPU time
//! of the calling thread, so that a rule is stopped for the work it does, not because the
//! machine is busy (on a loaded machine a note's rules got a tenth of a core and ran past a
//! wall-clock budget, and `check` dropped rules it had time for: its output depended on the
//! load). A rule is applied on one thread from start to end, so its readings compare. Where
//! there is no thread clock (not Unix), the time since the first reading.

use std::time::Duration;

/// The calling thread's CPU time so far.
pub fn thread_time() -> Duration {
    imp::thread_time()
}

#[cfg(unix)]
mod imp {
    use std::time::Duration;

    pub fn thread_time() -> Duration {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID exists on every
        // Unix that Rust supports, and the call only writes `ts`.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
        if ok {
            Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
        } else {
            super::wall::thread_time()
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub use super::wall::thread_time;
}

mod wall {
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    pub fn thread_time() -> Duration {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::thread_time;

    #[test]
    #[cfg(unix)]
    fn the_thread_clock_counts_work_not_sleep() {
        let start = thread_time();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let slept = thread_time() - start;
        assert!(slept < std::time::Duration::from_millis(40), "{slept:?}");
        let mut x = 0u64;
        while thread_time() - start < std::time::Duration::from_millis(5) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        assert!(x > 0);
    }
}
