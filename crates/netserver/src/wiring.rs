//! Puts the pieces together: store from its URL, the Argon2id pool, the domain service,
//! and the HTTP server on a bound listener.

use std::net::SocketAddr;
use std::sync::Arc;

use accounts::{Accounts, Hasher, KdfParams, Settings};
use tokio::net::TcpListener;

/// Drops any `user:password@` part of a database URL before it is shown or logged.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://<redacted>@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Opens the store named by `database` and builds the domain service over it.
pub async fn accounts(
    database: &str,
    kdf: KdfParams,
    kdf_workers: usize,
    settings: Settings,
) -> Result<Accounts, String> {
    let store = store::open(database)
        .await
        .map_err(|e| format!("cannot open the store {}: {e}", redact_url(database)))?;
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
