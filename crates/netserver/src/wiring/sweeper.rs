//! The background sweeper of `serve`: work that keeps tables from growing forever, done
//! at start and then hourly, never on a request's path.
//!
//! One task deletes expired tickets and, when a retention is set, audit records past it.
//! Each runs as a series of small deletes ([`SWEEP_BATCH`] rows each, one short statement
//! apiece) until a batch comes back short, so that a large backlog (the first sweep
//! after an upgrade, a day of log-ins) never holds the store's write lock for long and
//! requests interleave between batches. The time is passed in: [`sweep`] at a given `now`
//! is what the task does each hour at the clock's time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use accounts::{AuditStore, StoreError, TicketStore, Timestamp};

/// How often `serve` sweeps (the first sweep is at start).
pub const SWEEP_EVERY: Duration = Duration::from_secs(3_600);

/// Rows one delete removes at most: a statement holds its locks for milliseconds, and a
/// backlog of a million rows clears in a thousand of them.
pub const SWEEP_BATCH: u32 = 1_000;

/// What one sweep deleted, each part on its own: a failing audit sweep does not keep
/// expired tickets, and the other way round.
#[derive(Debug)]
pub struct Swept {
    pub tickets: Result<u64, StoreError>,
    /// `Ok(0)` when audit records are kept forever (`retention_days = 0`).
    pub audit: Result<u64, StoreError>,
}

/// The oldest time an audit record may have at `now` and be kept; `None` keeps all
/// (`retention_days = 0`).
pub fn audit_cutoff(now: Timestamp, retention_days: u32) -> Option<Timestamp> {
    (retention_days > 0).then(|| Timestamp(now.0 - i64::from(retention_days) * 86_400))
}

/// One sweep at `now`: expired tickets, then audit records older than the retention, in
/// batches of `batch` rows.
pub async fn sweep<S: TicketStore + AuditStore + ?Sized>(
    store: &S,
    retention_days: u32,
    now: Timestamp,
    batch: u32,
) -> Swept {
    Swept {
        tickets: sweep_tickets(store, now, batch).await,
        audit: sweep_audit(store, retention_days, now, batch).await,
    }
}

/// Deletes every ticket expired before `now`, `batch` at a time; answers how many.
pub async fn sweep_tickets<S: TicketStore + ?Sized>(
    store: &S,
    now: Timestamp,
    batch: u32,
) -> Result<u64, StoreError> {
    in_batches(batch, |limit| store.purge_expired_tickets(now, limit)).await
}

/// Deletes the audit records older than the retention at `now`, `batch` at a time;
/// answers how many (none when `retention_days` is 0).
pub async fn sweep_audit<S: AuditStore + ?Sized>(
    store: &S,
    retention_days: u32,
    now: Timestamp,
    batch: u32,
) -> Result<u64, StoreError> {
    match audit_cutoff(now, retention_days) {
        Some(cutoff) => in_batches(batch, |limit| store.purge_audit_before(cutoff, limit)).await,
        None => Ok(0),
    }
}

/// Calls `delete(limit)` until it deletes fewer than `limit` rows, yielding between
/// calls so that other work on this runtime (and on the store) gets its turn.
async fn in_batches<F, Fut>(batch: u32, mut delete: F) -> Result<u64, StoreError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<u64, StoreError>>,
{
    // A zero limit would delete nothing, forever.
    let limit = batch.max(1);
    let mut total = 0u64;
    loop {
        let deleted = delete(limit).await?;
        total = total.saturating_add(deleted);
        if deleted < u64::from(limit) {
            return Ok(total);
        }
        tokio::task::yield_now().await;
    }
}

/// The sweeper task of `serve`: a sweep at start, then every [`SWEEP_EVERY`], each at the
/// clock's time. Logs what it deleted (counts only) and what failed.
pub fn spawn_sweeper<S>(store: Arc<S>, retention_days: u32) -> tokio::task::JoinHandle<()>
where
    S: TicketStore + AuditStore + ?Sized,
{
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let swept = sweep(&*store, retention_days, Timestamp::now(), SWEEP_BATCH).await;
            report(&swept, retention_days);
        }
    })
}

fn report(swept: &Swept, retention_days: u32) {
    match &swept.tickets {
        Ok(n) => tracing::info!(deleted = n, "expired tickets swept"),
        Err(e) => tracing::error!(error = %e, "could not sweep the expired tickets"),
    }
    match &swept.audit {
        Ok(0) => {}
        Ok(n) => tracing::info!(deleted = n, retention_days, "audit records swept"),
        Err(e) => tracing::error!(error = %e, "could not sweep the audit trail"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use accounts::{StoreError, Timestamp};

    #[test]
    fn the_audit_cutoff_is_retention_days_before_now() {
        let now = Timestamp(1_000_000);
        assert_eq!(
            super::audit_cutoff(now, 2),
            Some(Timestamp(1_000_000 - 2 * 86_400))
        );
        assert_eq!(super::audit_cutoff(now, 0), None);
    }

    /// A table of `rows` rows that deletes up to the limit it is asked for.
    async fn drain(rows: u64, batch: u32) -> (Result<u64, StoreError>, Vec<u32>) {
        let left = AtomicU64::new(rows);
        let mut limits = Vec::new();
        let total = super::in_batches(batch, |limit| {
            limits.push(limit);
            let n = left.load(Ordering::SeqCst).min(u64::from(limit));
            left.fetch_sub(n, Ordering::SeqCst);
            async move { Ok(n) }
        })
        .await;
        (total, limits)
    }

    #[tokio::test]
    async fn batches_repeat_until_one_comes_back_short() {
        let (total, limits) = drain(2_500, 1_000).await;
        assert_eq!(total.unwrap(), 2_500);
        assert_eq!(limits, [1_000, 1_000, 1_000]);
        let (total, limits) = drain(2_000, 1_000).await;
        assert_eq!(total.unwrap(), 2_000);
        assert_eq!(limits.len(), 3, "a full batch is followed by one more look");
        let (total, limits) = drain(3, 0).await;
        assert_eq!(total.unwrap(), 3);
        assert_eq!(limits, [1, 1, 1, 1], "a zero batch still makes progress");
    }

    #[tokio::test]
    async fn a_failing_batch_stops_the_sweep_with_its_error() {
        let mut calls = 0;
        let result = super::in_batches(10, |_| {
            calls += 1;
            let answer = if calls == 1 {
                Ok(10)
            } else {
                Err(StoreError::Unavailable("down".into()))
            };
            async move { answer }
        })
        .await;
        assert!(matches!(result, Err(StoreError::Unavailable(_))));
        assert_eq!(calls, 2);
    }
}
