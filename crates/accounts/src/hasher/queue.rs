//! The two-lane queue in front of the hashing threads: a thread takes the oldest job of
//! the priority lane first, and a job of the normal lane when the priority lane is empty
//! or after [`PRIORITY_STREAK`] priority jobs in a row while normal work waits, so steady
//! priority work (many users behind one address) cannot starve the normal lane. Which
//! work goes in which lane is the caller's decision (see `crate::standing`); here a lane
//! is only an order.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

/// The lane of a job in the hashing queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Work of callers in good standing: taken before any normal work.
    Priority,
    /// Everything else: taken when no priority work waits, and at least once every
    /// [`PRIORITY_STREAK`] + 1 jobs while it waits.
    Normal,
}

/// Priority jobs taken in a row before a waiting normal job gets its turn: the normal
/// lane keeps at least a fifth of the threads' time, and a priority job waits behind at
/// most one normal job per thread beyond the priority work ahead of it.
pub const PRIORITY_STREAK: u32 = 4;

#[derive(Default)]
struct Lanes<J> {
    priority: VecDeque<J>,
    normal: VecDeque<J>,
    /// Priority jobs taken since the last normal one.
    streak: u32,
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
                streak: 0,
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

    /// The next job, priority lane first but for a normal job's turn after
    /// [`PRIORITY_STREAK`] priority ones; waits while both lanes are empty. `None` once
    /// the queue is closed and empty.
    pub(super) fn next(&self) -> Option<J> {
        let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let normal_turn = lanes.streak >= PRIORITY_STREAK || lanes.priority.is_empty();
            if normal_turn {
                if let Some(job) = lanes.normal.pop_front() {
                    lanes.streak = 0;
                    return Some(job);
                }
            }
            if let Some(job) = lanes.priority.pop_front() {
                lanes.streak = lanes.streak.saturating_add(1);
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
    fn steady_priority_work_leaves_the_normal_lane_a_turn() {
        let q = Queue::new();
        for i in 0..10 {
            q.push(Lane::Priority, format!("p{i}")).unwrap();
        }
        q.push(Lane::Normal, "n0".to_owned()).unwrap();
        q.push(Lane::Normal, "n1".to_owned()).unwrap();
        let order: Vec<_> = (0..12).map(|_| q.next().unwrap()).collect();
        assert_eq!(
            order,
            ["p0", "p1", "p2", "p3", "n0", "p4", "p5", "p6", "p7", "n1", "p8", "p9"]
        );
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
