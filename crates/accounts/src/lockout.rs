//! Brute-force protection: the per-associate soft lock and the per-address rate limit.
//!
//! **Soft lock.** Each associate carries a [`LockState`] in the store. A failed log-in
//! (or a wrong old password) moves it with [`LockState::after_failure`]; a backend applies
//! that function inside one write transaction, so concurrent failures on several server
//! nodes sharing one database all count. The rule:
//!
//! - failures count within `window` of the first one; after a quiet `window` the count
//!   starts again;
//! - the `threshold`-th failure locks the associate for `base_delay`, and each further
//!   failure after a lock ran out locks it again for twice as long as the last time, up to
//!   `max_delay`; once locked, the count only starts again after a quiet `window` following
//!   the end of the last lock;
//! - attempts while the lock holds are refused and change nothing, so a user retrying with
//!   the right password does not lengthen the lock;
//! - a successful log-in, a proven old password, an administrator's password set and
//!   `netserver user unlock` clear it.
//!
//! **Rate limit.** [`RateLimiter`] counts events per key in a fixed window, in this
//! process's memory: log-in attempts per client address (a minute), and an
//! administrator's password sets refused as reused (an hour; see `ops::password`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::time::Timestamp;

/// The lock settings. `threshold = 0` turns the soft lock off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockoutSettings {
    /// Failed log-ins within `window` that lock the associate.
    pub threshold: u32,
    /// How long failures are remembered towards the threshold.
    pub window: Duration,
    /// The first lock's length; each further one doubles it.
    pub base_delay: Duration,
    /// The longest lock.
    pub max_delay: Duration,
}

impl Default for LockoutSettings {
    fn default() -> Self {
        LockoutSettings {
            threshold: 5,
            window: Duration::from_secs(15 * 60),
            base_delay: Duration::from_secs(60),
            max_delay: Duration::from_secs(3600),
        }
    }
}

impl LockoutSettings {
    pub fn enabled(&self) -> bool {
        self.threshold > 0
    }

    /// The lock length after `failures` failures (at least `threshold`).
    pub fn delay_for(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(self.threshold);
        if doublings >= 31 {
            return self.max_delay;
        }
        self.base_delay
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// An associate's failed log-ins, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockState {
    /// Failures counted since `first_failure_at`.
    pub failed_logins: u32,
    /// When the current count started; `None` when it is 0.
    pub first_failure_at: Option<Timestamp>,
    /// Log-ins are refused before this time.
    pub locked_until: Option<Timestamp>,
}

/// What recording one failure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureRecorded {
    pub before: LockState,
    pub after: LockState,
}

impl FailureRecorded {
    /// Whether this failure locked (or locked again) the associate.
    pub fn locked_now(&self) -> bool {
        self.after.locked_until != self.before.locked_until && self.after.locked_until.is_some()
    }
}

/// How a refused proof of a password ended, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    /// A wrong password (or an unknown name).
    Failed,
    /// Refused because the associate was locked; the password was not judged.
    Locked,
    /// This failure locked the associate.
    LockedNow,
}

impl LoginRefusal {
    /// What counting the failure did (`recorded`, `None` when nothing was counted) and
    /// whether the associate was locked before. Pure, so that a store writing the audit
    /// record in the same transaction as the count names it as the domain does.
    pub fn of(recorded: Option<&FailureRecorded>, locked: bool) -> LoginRefusal {
        match recorded {
            Some(r) if r.locked_now() => LoginRefusal::LockedNow,
            _ if locked => LoginRefusal::Locked,
            _ => LoginRefusal::Failed,
        }
    }

    /// The audit outcome's stable code.
    pub fn code(self) -> &'static str {
        match self {
            LoginRefusal::Failed => "login_failed",
            LoginRefusal::Locked => "login_locked",
            LoginRefusal::LockedNow => "account_locked",
        }
    }

    /// The audit outcome.
    pub fn outcome(self) -> crate::audit::Outcome {
        crate::audit::Outcome::Failure(self.code().into())
    }
}

impl LockState {
    /// Whether log-ins are refused at `now`.
    pub fn is_locked(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// Whether there is anything to clear.
    pub fn is_clear(&self) -> bool {
        self.failed_logins == 0 && self.locked_until.is_none()
    }

    /// The state after one more failed log-in at `now`. Pure, so that every backend
    /// applies the same rule inside its own transaction.
    pub fn after_failure(&self, now: Timestamp, settings: &LockoutSettings) -> LockState {
        if !settings.enabled() || self.is_locked(now) {
            return *self;
        }
        let stale = match (self.locked_until, self.first_failure_at) {
            // Once locked, the count lives on until a quiet window after the lock ended.
            (Some(until), _) => now >= until.plus(settings.window),
            (None, Some(first)) => now >= first.plus(settings.window),
            (None, None) => true,
        };
        let (failed_logins, first_failure_at) = if stale || self.failed_logins == 0 {
            (1, now)
        } else {
            (
                self.failed_logins.saturating_add(1),
                self.first_failure_at.unwrap_or(now),
            )
        };
        let locked_until = if failed_logins >= settings.threshold {
            Some(now.plus(settings.delay_for(failed_logins)))
        } else if stale {
            None
        } else {
            self.locked_until
        };
        LockState {
            failed_logins,
            first_failure_at: Some(first_failure_at),
            locked_until,
        }
    }
}

/// How many events (log-in attempts of a client address, say) each key may have per
/// window, counted in this process's memory: several server nodes behind a balancer each
/// allow the full rate (the limit is not shared between nodes; the per-associate lock,
/// kept in the store, is).
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window_secs: i64,
    state: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    by_address: HashMap<String, Window>,
    last_prune: i64,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    count: u32,
}

impl RateLimiter {
    /// At most `per_minute` events per key and minute; 0 allows everything.
    pub fn new(per_minute: u32) -> Self {
        Self::per_window(per_minute, Duration::from_secs(60))
    }

    /// At most `limit` events per key within `window` of the key's first; 0 allows
    /// everything.
    pub fn per_window(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window_secs: i64::try_from(window.as_secs()).unwrap_or(i64::MAX).max(1),
            state: Mutex::new(Windows::default()),
        }
    }

    /// Counts one attempt from `address` at `now`; false when it is over the limit.
    pub fn allow(&self, address: &str, now: Timestamp) -> bool {
        self.limit == 0
            || self.with_window(address, now, |w| {
                w.count = w.count.saturating_add(1);
                w.count
            }) <= self.limit
    }

    /// Whether `key` already had its `limit` events in its current window (counts nothing).
    pub fn exhausted(&self, key: &str, now: Timestamp) -> bool {
        self.limit > 0 && self.with_window(key, now, |w| w.count) >= self.limit
    }

    /// Counts one event of `key` at `now`; answers whether that used up its window.
    pub fn note(&self, key: &str, now: Timestamp) -> bool {
        self.limit > 0
            && self.with_window(key, now, |w| {
                w.count = w.count.saturating_add(1);
                w.count
            }) >= self.limit
    }

    /// Runs `f` on `key`'s window at `now` (a fresh one when the last ran out), pruning
    /// windows that ran out at most once per window length.
    fn with_window(&self, key: &str, now: Timestamp, f: impl FnOnce(&mut Window) -> u32) -> u32 {
        let span = self.window_secs;
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = now.0;
        if now - state.last_prune >= span {
            state.by_address.retain(|_, w| (now - w.start).abs() < span);
            state.last_prune = now;
        }
        let window = state.by_address.entry(key.to_owned()).or_insert(Window {
            start: now,
            count: 0,
        });
        if now - window.start >= span {
            *window = Window {
                start: now,
                count: 0,
            };
        }
        f(window)
    }

    /// How many addresses are being tracked (for tests of the pruning).
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .by_address
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> LockoutSettings {
        LockoutSettings {
            threshold: 3,
            window: Duration::from_secs(900),
            base_delay: Duration::from_secs(60),
            max_delay: Duration::from_secs(300),
        }
    }

    #[test]
    fn the_threshold_locks_and_the_delay_doubles_to_the_max() {
        let s = settings();
        let mut st = LockState::default();
        let mut t = 1_000;
        for _ in 0..2 {
            st = st.after_failure(Timestamp(t), &s);
            assert!(!st.is_locked(Timestamp(t)));
            t += 1;
        }
        st = st.after_failure(Timestamp(t), &s);
        assert_eq!(st.failed_logins, 3);
        assert_eq!(st.locked_until, Some(Timestamp(t + 60)));
        // While locked nothing changes.
        assert_eq!(st.after_failure(Timestamp(t + 59), &s), st);
        let mut expected = [120, 240, 300, 300].into_iter();
        t += 60;
        for _ in 0..4 {
            let d = expected.next().unwrap();
            st = st.after_failure(Timestamp(t), &s);
            assert_eq!(st.locked_until, Some(Timestamp(t + d)), "{st:?}");
            t += d;
        }
        // A quiet window after the lock ended starts the count again.
        st = st.after_failure(Timestamp(t + 900), &s);
        assert_eq!(st.failed_logins, 1);
        assert_eq!(st.locked_until, None);
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let s = settings();
        let st = LockState::default()
            .after_failure(Timestamp(0), &s)
            .after_failure(Timestamp(10), &s)
            .after_failure(Timestamp(900), &s);
        assert_eq!(st.failed_logins, 1);
        assert_eq!(st.first_failure_at, Some(Timestamp(900)));
        assert!(!st.is_locked(Timestamp(900)));
    }

    #[test]
    fn a_zero_threshold_never_locks() {
        let s = LockoutSettings {
            threshold: 0,
            ..settings()
        };
        let mut st = LockState::default();
        for t in 0..100 {
            st = st.after_failure(Timestamp(t), &s);
        }
        assert!(st.is_clear());
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let s = settings();
        assert_eq!(s.delay_for(u32::MAX), s.max_delay);
        assert_eq!(s.delay_for(40), s.max_delay);
        assert_eq!(s.delay_for(3), s.base_delay);
    }

    #[test]
    fn the_rate_limit_counts_per_address_and_recovers() {
        let r = RateLimiter::new(2);
        assert!(r.allow("a", Timestamp(100)));
        assert!(r.allow("a", Timestamp(110)));
        assert!(!r.allow("a", Timestamp(120)));
        assert!(r.allow("b", Timestamp(120)));
        assert!(r.allow("a", Timestamp(160)));
        // Old windows are pruned.
        assert!(r.allow("c", Timestamp(1_000)));
        assert_eq!(r.tracked(), 1);
        let off = RateLimiter::new(0);
        for _ in 0..1000 {
            assert!(off.allow("a", Timestamp(0)));
        }
    }

    #[test]
    fn an_hourly_counter_is_exhausted_at_its_limit_and_recovers() {
        let r = RateLimiter::per_window(3, Duration::from_secs(3600));
        assert!(!r.exhausted("7", Timestamp(0)));
        assert!(!r.note("7", Timestamp(0)));
        assert!(!r.note("7", Timestamp(100)));
        assert!(r.note("7", Timestamp(200)));
        assert!(r.exhausted("7", Timestamp(3599)));
        assert!(!r.exhausted("8", Timestamp(3599)));
        assert!(!r.exhausted("7", Timestamp(3600)));
        let off = RateLimiter::per_window(0, Duration::from_secs(3600));
        for _ in 0..100 {
            assert!(!off.note("7", Timestamp(0)));
        }
        assert!(!off.exhausted("7", Timestamp(0)));
    }
}
