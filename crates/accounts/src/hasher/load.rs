//! What the hashing queue knows of its work, per lane: how many jobs wait or run and how
//! long one takes (a moving average), and from that whether a new job may join within
//! the queue's time bound. `workers` counts jobs in and out through it.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::queue::Lane;

/// What the queue knows of its work: how many jobs are in it (waiting or running) and how
/// long one takes.
pub(super) struct Load {
    /// Jobs of both lanes.
    pub(super) pending: AtomicUsize,
    /// Jobs of the priority lane (also counted in `pending`).
    pub(super) priority: AtomicUsize,
    /// Moving average of a job's run time, in nanoseconds.
    pub(super) average_ns: AtomicU64,
    /// The longest a job may expect to wait for a thread; `u64::MAX`: no bound.
    pub(super) max_wait_ns: u64,
    /// Refusals since the last warning, and when that was (ms after `started`).
    pub(super) refused: AtomicU64,
    pub(super) last_warning_ms: AtomicU64,
    pub(super) started: Instant,
}

/// Weight of the newest run time in the average: 1/8.
const AVERAGE_SHIFT: u32 = 3;
/// At most one warning about refusals per this many milliseconds.
const WARNING_EVERY_MS: u64 = 10_000;

pub(super) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Load {
    /// The jobs a new job of `lane` would wait for.
    pub(super) fn ahead(&self, lane: Lane) -> usize {
        match lane {
            Lane::Priority => self.priority.load(Ordering::Relaxed),
            Lane::Normal => self.pending.load(Ordering::Relaxed),
        }
    }

    /// Counts a new job of `lane`; answers how many it waits for.
    pub(super) fn join(&self, lane: Lane) -> usize {
        let all = self.pending.fetch_add(1, Ordering::Relaxed);
        match lane {
            Lane::Priority => self.priority.fetch_add(1, Ordering::Relaxed),
            Lane::Normal => all,
        }
    }

    pub(super) fn leave(&self, lane: Lane) {
        if lane == Lane::Priority {
            self.priority.fetch_sub(1, Ordering::Relaxed);
        }
        self.pending.fetch_sub(1, Ordering::Relaxed);
    }

    /// Whether a job with `ahead` jobs before it may join: it waits for `ahead / threads`
    /// rounds of the threads, each about one average run time.
    pub(super) fn admits(&self, ahead: usize, threads: usize) -> bool {
        let rounds = u64::try_from(ahead / threads.max(1)).unwrap_or(u64::MAX);
        let average = self.average_ns.load(Ordering::Relaxed);
        rounds.saturating_mul(average) <= self.max_wait_ns
    }

    pub(super) fn record(&self, took: Duration) {
        let sample = nanos(took);
        let old = self.average_ns.load(Ordering::Relaxed);
        // Concurrent updates may lose a sample; the average stays an average.
        let new = if sample >= old {
            old + ((sample - old) >> AVERAGE_SHIFT)
        } else {
            old - ((old - sample) >> AVERAGE_SHIFT)
        };
        self.average_ns.store(new.max(1), Ordering::Relaxed);
    }

    /// Counts a refusal; warns now and then with the count, not once per refusal.
    pub(super) fn refusal(&self) {
        let refused = self.refused.fetch_add(1, Ordering::Relaxed) + 1;
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = self.last_warning_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) >= WARNING_EVERY_MS
            && self
                .last_warning_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.refused.fetch_sub(refused, Ordering::Relaxed);
            tracing::warn!(
                refused,
                max_wait_ms = self.max_wait_ns / 1_000_000,
                average_job_ms = self.average_ns.load(Ordering::Relaxed) / 1_000_000,
                "the hashing queue is full: log-ins and password changes are refused as busy"
            );
        }
    }
}

/// Marks a job of a lane finished however it ends (ran, panicked, skipped).
pub(super) struct Finished(pub(super) Arc<Load>, pub(super) Lane);

impl Drop for Finished {
    fn drop(&mut self) {
        self.0.leave(self.1);
    }
}
