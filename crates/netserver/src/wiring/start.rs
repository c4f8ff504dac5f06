//! The HTTP server on a bound listener, running as a task until told to stop.
//!
//! Binding is a step of its own: `serve` binds first, so that a port in use stops it
//! before a store is created or an administrator's password printed.

use std::net::SocketAddr;

use accounts::Accounts;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

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

/// Binds `listen`.
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

#[cfg(test)]
mod tests {
    use accounts::{KdfParams, Settings};

    use super::*;

    async fn accounts() -> Accounts {
        let options = store::StoreOptions::default();
        let store = super::super::open_store("sqlite::memory:", &options)
            .await
            .unwrap();
        let params = KdfParams::insecure_for_tests();
        super::super::domain(store, params, 1, Settings::default()).unwrap()
    }

    #[tokio::test]
    async fn a_port_in_use_is_refused_with_its_address() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let listen = taken.local_addr().unwrap().to_string();
        let Err(e) = bind(&listen).await else {
            panic!("bound a port in use");
        };
        assert!(
            e.starts_with(&format!("cannot listen on {listen}: ")),
            "{e}"
        );
    }

    #[tokio::test]
    async fn the_server_answers_until_stopped_and_then_ends() {
        let running = start("127.0.0.1:0", accounts().await, Default::default())
            .await
            .unwrap();
        let mut conn = tokio::net::TcpStream::connect(running.addr).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        conn.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        running.stop.send(()).unwrap();
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), running.task).await;
        assert!(matches!(ended, Ok(Ok(Ok(())))), "{ended:?}");
    }
}
