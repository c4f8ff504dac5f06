//! The background sweeps of `serve`: work that keeps tables from growing forever, done
//! at start and then on a fixed interval, never on a request's path.

use std::sync::Arc;

use accounts::{Store, Timestamp};

/// How often `serve` sweeps the audit trail.
pub const AUDIT_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(3_600);

/// The oldest time an audit record may have at `now` and be kept; `None` keeps all
/// (`retention_days = 0`).
pub fn audit_cutoff(now: Timestamp, retention_days: u32) -> Option<Timestamp> {
    (retention_days > 0).then(|| Timestamp(now.0 - i64::from(retention_days) * 86_400))
}

/// One retention sweep at `now`: deletes the audit records older than the retention and
/// answers how many it deleted.
pub async fn sweep_audit(
    store: &Arc<dyn Store>,
    retention_days: u32,
    now: Timestamp,
) -> Result<u64, accounts::StoreError> {
    match audit_cutoff(now, retention_days) {
        Some(cutoff) => store.purge_audit_before(cutoff).await,
        None => Ok(0),
    }
}

/// The background sweep of `serve`: once at start, then every [`AUDIT_SWEEP_EVERY`].
pub fn spawn_audit_sweeper(
    store: Arc<dyn Store>,
    retention_days: u32,
) -> Option<tokio::task::JoinHandle<()>> {
    if retention_days == 0 {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut every = tokio::time::interval(AUDIT_SWEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match sweep_audit(&store, retention_days, Timestamp::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, retention_days, "audit records swept"),
                Err(e) => tracing::error!(error = %e, "could not sweep the audit trail"),
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use accounts::Timestamp;

    #[test]
    fn the_audit_cutoff_is_retention_days_before_now() {
        let now = Timestamp(1_000_000);
        assert_eq!(
            super::audit_cutoff(now, 2),
            Some(Timestamp(1_000_000 - 2 * 86_400))
        );
        assert_eq!(super::audit_cutoff(now, 0), None);
    }
}
