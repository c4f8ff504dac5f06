//! Puts the pieces together: store from its URL, the Argon2id pool, the domain service,
//! and the HTTP server on a bound listener.

use std::net::SocketAddr;
use std::sync::Arc;

use accounts::{Accounts, Hasher, KdfParams, Settings, Store};

pub use crate::redact::redact_url;
pub use crate::sweeper::{
    audit_cutoff, spawn_sweeper, sweep, sweep_audit, sweep_tickets, Swept, SWEEP_BATCH, SWEEP_EVERY,
};
use store::StoreOptions;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

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

/// Opens the store named by `database` for a command that only reads (a SQLite file
/// read-only: it must exist, and nothing is created or migrated).
pub async fn open_store_read_only(
    database: &str,
    options: &StoreOptions,
) -> Result<Arc<dyn Store>, String> {
    store::open_read_only(database, options)
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
    let hasher = Hasher::bounded(kdf, kdf_workers, Some(settings.hash_queue_max_wait))?;
    Ok(Accounts::new(store, Arc::new(hasher), settings))
}

/// A running server: its address and the task serving it.
pub struct Running {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Sending on it stops the server gracefully (the task then ends); dropping it unsent
    /// does not.
    pub stop: oneshot::Sender<()>,
}

/// Binds `listen` and serves until stopped through [`Running::stop`], or until the task
/// is dropped or aborted.
pub async fn start(
    listen: &str,
    accounts: Accounts,
    config: server::ServerConfig,
) -> Result<Running, String> {
    serve_on(bind(listen).await?, accounts, config)
}

/// Binds `listen`; `serve` does this before anything else, so that a port in use stops
/// it before a store is created or an administrator's password printed.
pub async fn bind(listen: &str) -> Result<TcpListener, String> {
    TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))
}

/// Serves on a bound listener until stopped through [`Running::stop`], or until the task
/// is dropped or aborted.
pub fn serve_on(
    listener: TcpListener,
    accounts: Accounts,
    config: server::ServerConfig,
) -> Result<Running, String> {
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    let (stop, stopped) = oneshot::channel();
    let stopped = async {
        if stopped.await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let task = tokio::spawn(server::serve_until(listener, accounts, config, stopped));
    Ok(Running { addr, task, stop })
}
