//! The two-lane queue in front of the hashing threads: a thread always takes the oldest
//! job of the priority lane first, and a job of the normal lane only when the priority
//! lane is empty. Which work goes in which lane is the caller's decision (see
//! `crate::standing`); here a lane is only an order.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

/// The lane of a job in the hashing queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Work of callers in good standing: taken before any normal work.
    Priority,
    /// Everything else, taken only when no priority work waits.
    Normal,
}

#[derive(Default)]
struct Lanes<J> {
    priority: VecDeque<J>,
    normal: VecDeque<J>,
    closed: bool,
}

/// A queue of jobs `J` in two lanes, shared by the hashing threads.
pub(super) struct Queue<J> {
    lanes: Mutex<Lanes<J>>,
    ready: Condvar,
}

impl<J> Queue<J> {
    pub(super) fn new() -> Self {
        Queue {
            lanes: Mutex::new(Lanes {
                priority: VecDeque::new(),
                normal: VecDeque::new(),
                closed: false,
            }),
            ready: Condvar::new(),
        }
    }

    /// Adds `job` at the end of `lane`; gives it back when the queue is closed.
    pub(super) fn push(&self, lane: Lane, job: J) -> Result<(), J> {
        let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
        if lanes.closed {
            return Err(job);
        }
        match lane {
            Lane::Priority => lanes.priority.push_back(job),
            Lane::Normal => lanes.normal.push_back(job),
        }
        drop(lanes);
        self.ready.notify_one();
        Ok(())
    }

    /// The next job, priority lane first; waits while both lanes are empty. `None` once
    /// the queue is closed and empty.
    pub(super) fn next(&self) -> Option<J> {
        let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(job) = lanes.priority.pop_front() {
                return Some(job);
            }
            if let Some(job) = lanes.normal.pop_front() {
                return Some(job);
            }
            if lanes.closed {
                return None;
            }
            lanes = self.ready.wait(lanes).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Refuses new jobs; the threads finish what is queued, then end.
    pub(super) fn close(&self) {
        self.lanes.lock().unwrap_or_else(|p| p.into_inner()).closed = true;
        self.ready.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_priority_lane_is_taken_first_each_lane_in_order() {
        let q = Queue::new();
        q.push(Lane::Normal, "n1").unwrap();
        q.push(Lane::Priority, "p1").unwrap();
        q.push(Lane::Normal, "n2").unwrap();
        q.push(Lane::Priority, "p2").unwrap();
        let order: Vec<_> = (0..4).map(|_| q.next().unwrap()).collect();
        assert_eq!(order, ["p1", "p2", "n1", "n2"]);
    }

    #[test]
    fn a_closed_queue_drains_then_ends_and_refuses_new_jobs() {
        let q = Queue::new();
        q.push(Lane::Normal, 1).unwrap();
        q.close();
        assert_eq!(q.push(Lane::Priority, 2), Err(2));
        assert_eq!(q.next(), Some(1));
        assert_eq!(q.next(), None);
    }
}
