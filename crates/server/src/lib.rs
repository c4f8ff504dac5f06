//! The HTTP face of netserver: the accept loop, the SOAP agents (`User.svc`,
//! `SoPrincipal.svc`) as thin adapters soap → accounts → soap, the served WSDL and info
//! pages, and health. Knows nothing of SQL: it talks to the domain's `Accounts` only.

mod agents;
mod client_addr;
mod errors;
mod handler;
mod health;
mod public_url;
mod routes;
pub mod wsdl;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use accounts::Accounts;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

pub use client_addr::TrustedProxies;
pub use public_url::{is_plain_host, PublicUrl};
pub use routes::{parse_path, Endpoint};

/// Protocol settings of the HTTP/SOAP layer.
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    pub limits: soap::Limits,
    /// Answer application errors with SOAP faults instead of NetServer's default
    /// `Succeeded=false` + `ExceptionInfo` headers (`WrapExceptions=false`).
    pub faults: bool,
    /// The address the WSDL and info pages name; `None`: the request's plain `Host`.
    pub public_url: Option<PublicUrl>,
    /// Peers whose `Forwarded` / `X-Forwarded-For` name the client (see `client_addr`).
    pub trusted_proxies: TrustedProxies,
}

/// Shared by every request.
pub struct AppState {
    pub accounts: Accounts,
    pub config: ServerConfig,
    /// The latest readiness probe, shared by concurrent `/health/ready` requests.
    pub(crate) readiness: health::Readiness,
}

/// Serves HTTP/1.1 on `listener` until the future is dropped: one task per connection,
/// keep-alive, every request to [`handler::handle`]. Plain hyper rather than a web
/// framework's server and router: there is one handler, and on the protocol path the
/// framework's layers were a measurable share of a request's work.
pub async fn serve(
    listener: TcpListener,
    accounts: Accounts,
    config: ServerConfig,
) -> std::io::Result<()> {
    let state = Arc::new(AppState {
        accounts,
        config,
        readiness: health::Readiness::default(),
    });
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                tokio::spawn(connection(stream, peer, state.clone()));
            }
            Err(e) => accept_failed(e).await,
        }
    }
}

/// Serves one connection; its errors (a client that went away mid-request) end it.
async fn connection(stream: TcpStream, peer: SocketAddr, state: Arc<AppState>) {
    // Answers go out in one write each; do not hold them back for the client's ACK.
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let state = state.clone();
        async move {
            let request = request.map(Body::new);
            Ok::<_, Infallible>(handler::handle(&state, peer, request).await)
        }
    });
    if let Err(e) = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}

/// A failed accept: a connection that died in the backlog is skipped; anything else
/// (out of file descriptors, say) is logged and retried after a pause instead of spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "cannot accept connections; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};
    use std::time::Instant;

    #[tokio::test]
    async fn a_connection_lost_in_the_backlog_is_skipped_other_accept_errors_pause() {
        let started = Instant::now();
        for kind in [
            ErrorKind::ConnectionAborted,
            ErrorKind::ConnectionReset,
            ErrorKind::ConnectionRefused,
        ] {
            accept_failed(Error::from(kind)).await;
        }
        assert!(started.elapsed() < Duration::from_millis(500));
        let started = Instant::now();
        accept_failed(Error::other("too many open files")).await;
        assert!(started.elapsed() >= Duration::from_secs(1));
    }
}
