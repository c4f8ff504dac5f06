//! The HTTP face of netserver: connections (`http`), the SOAP agents (`User.svc`,
//! `SoPrincipal.svc`) as thin adapters soap → accounts → soap, the served WSDL and info
//! pages, and health. Knows nothing of SQL: it talks to the domain's `Accounts` only.

mod agents;
mod client_addr;
mod errors;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod handler;
mod health;
pub mod http;
mod public_url;
mod routes;
pub mod wsdl;

use std::future::Future;
use std::sync::Arc;

use accounts::Accounts;

pub use client_addr::TrustedProxies;
pub use http::HttpSettings;
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
    /// Connection limits and the shutdown grace.
    pub http: HttpSettings,
    /// Read once per SOAP call for the time the domain judges it at (ticket expiry,
    /// lockout, audit records): the system clock, or a test's clock.
    pub clock: accounts::Clock,
}

/// Shared by every request.
pub struct AppState {
    pub accounts: Accounts,
    pub config: ServerConfig,
    /// The latest readiness probe, shared by concurrent `/health/ready` requests.
    pub(crate) readiness: health::Readiness,
}

/// Serves HTTP/1.1 on `listener` until the future is dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    accounts: Accounts,
    config: ServerConfig,
) -> std::io::Result<()> {
    serve_until(listener, accounts, config, std::future::pending()).await
}

/// Serves HTTP/1.1 on `listener` until `stop` completes, then stops accepting, lets the
/// requests under way finish (up to the configured grace) and returns.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    accounts: Accounts,
    config: ServerConfig,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let settings = config.http.clone();
    let state = Arc::new(AppState {
        accounts,
        config,
        readiness: health::Readiness::default(),
    });
    http::serve_until(listener, state, settings, stop).await
}
