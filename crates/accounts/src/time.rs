//! Points in time as whole seconds since the Unix epoch, and the clock they are read from.
//!
//! The domain never reads the clock: an edge reads it once per call (the HTTP handler from
//! its [`Clock`], the CLI from [`Timestamp::now`]) and passes the `Timestamp` in, so expiry
//! and lockout are deterministic under test. A [`TestClock`] is a clock a test moves by
//! hand: a server given one lets a test advance time instead of sleeping.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The wall clock; call this only at the edges (HTTP handler, CLI).
    pub fn now() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Timestamp(i64::try_from(secs).unwrap_or(i64::MAX))
    }

    pub fn plus(self, d: Duration) -> Self {
        self.plus_seconds(whole_seconds(d))
    }

    fn plus_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }
}

fn whole_seconds(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Where an edge reads the time of a call: the system clock, or a [`TestClock`]'s time.
/// Cloning it is cheap; clones read the same source.
#[derive(Clone, Default)]
pub struct Clock {
    /// `None`: the system clock.
    test: Option<Arc<TestTime>>,
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// The time now, by this clock.
    pub fn now(&self) -> Timestamp {
        match &self.test {
            None => Timestamp::now(),
            Some(test) => test.now(),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.test {
            None => f.write_str("Clock::System"),
            Some(test) => write!(f, "Clock::Test({:?})", test.now()),
        }
    }
}

/// A clock moved by hand, for tests: [`TestClock::clock`] is the [`Clock`] that reads it.
/// It runs with the system clock, ahead of it by what [`TestClock::advance`] added, so
/// that time keeps flowing between jumps for a running server whose callers also read the
/// system clock. Domain tests that want a time standing still pass a `Timestamp` instead.
#[derive(Clone, Default)]
pub struct TestClock(Arc<TestTime>);

/// Seconds ahead of the system clock.
#[derive(Default)]
struct TestTime(AtomicI64);

impl TestTime {
    fn now(&self) -> Timestamp {
        Timestamp::now().plus_seconds(self.0.load(Ordering::SeqCst))
    }
}

impl TestClock {
    /// The system clock's time, until advanced.
    pub fn following_system() -> TestClock {
        TestClock::default()
    }

    /// The [`Clock`] that reads this one.
    pub fn clock(&self) -> Clock {
        Clock {
            test: Some(self.0.clone()),
        }
    }

    /// The time now, by this clock.
    pub fn now(&self) -> Timestamp {
        self.0.now()
    }

    /// Moves the clock forward by `by` (whole seconds).
    pub fn advance(&self, by: Duration) {
        let seconds = whole_seconds(by);
        let _ = self
            .0
             .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| {
                Some(v.saturating_add(seconds))
            });
    }
}

impl fmt::Debug for TestClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TestClock({:?})", self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_following_test_clock_runs_ahead_of_the_system_clock() {
        let test = TestClock::following_system();
        let before = Timestamp::now();
        let read = test.clock().now();
        assert!(read >= before && read <= Timestamp::now());
        test.advance(Duration::from_secs(3_600));
        let read = test.now();
        assert!(read >= before.plus(Duration::from_secs(3_600)));
        assert!(read <= Timestamp::now().plus(Duration::from_secs(3_600)));
    }

    #[test]
    fn the_system_clock_reads_the_wall_clock() {
        let before = Timestamp::now();
        let read = Clock::system().now();
        assert!(read >= before && read <= Timestamp::now());
    }
}
