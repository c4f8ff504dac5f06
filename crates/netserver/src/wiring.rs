//! Puts the pieces together: store from its URL, the Argon2id pool, the domain service,
//! and the HTTP server on a bound listener.

use std::net::SocketAddr;
use std::sync::Arc;

use accounts::{Accounts, Hasher, KdfParams, Settings, Store, Timestamp};
use store::StoreOptions;
use tokio::net::TcpListener;

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

/// Drops any `user:password@` part of a database URL before it is shown or logged.
pub fn redact_url(url: &str) -> String {
    // Query parameters may carry a password too (`postgres://h/db?password=…`).
    let (url, query) = match url.split_once('?') {
        Some((base, _)) => (base, "?<redacted>"),
        None => (url, ""),
    };
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!(
                "{}://<redacted>@{}{query}",
                &url[..scheme_end],
                &url[at + 1..]
            )
        }
        _ => format!("{url}{query}"),
    }
}

/// Opens the store named by `database` with default store options and builds the domain
/// service over it.
pub async fn accounts(
    database: &str,
    kdf: KdfParams,
    kdf_workers: usize,
    settings: Settings,
) -> Result<Accounts, String> {
    let store = open_store(database, &StoreOptions::default()).await?;
    domain(store, kdf, kdf_workers, settings)
}

/// Opens (and migrates) the store named by `database`; the error never shows credentials.
pub async fn open_store(database: &str, options: &StoreOptions) -> Result<Arc<dyn Store>, String> {
    store::open_with(database, options)
        .await
        .map_err(|e| format!("cannot open the store {}: {e}", redact_url(database)))
}

/// The domain service over an open store.
pub fn domain(
    store: Arc<dyn Store>,
    kdf: KdfParams,
    kdf_workers: usize,
    settings: Settings,
) -> Result<Accounts, String> {
    let hasher = Hasher::new(kdf, kdf_workers)?;
    Ok(Accounts::new(store, Arc::new(hasher), settings))
}

/// A running server: its address and the task serving it.
pub struct Running {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds `listen` and serves until the task is dropped or aborted.
pub async fn start(
    listen: &str,
    accounts: Accounts,
    config: server::ServerConfig,
) -> Result<Running, String> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let task = tokio::spawn(server::serve(listener, accounts, config));
    Ok(Running { addr, task })
}
