//! The HTTP face of netserver: connections (`connections`), the contract of the agents
//! (`contract`: one table of operations per agent), the SOAP agents (`User.svc`,
//! `SoPrincipal.svc`) as thin adapters soap → accounts → soap, the served WSDL and info
//! pages, and health. Knows nothing of SQL: it talks to the domain's `Accounts` only.
//!
//! A SOAP call goes top to bottom: `handler` (route) → `soap_call` (operation id, span,
//! log line) → `read` (content type, body, envelope, tenant, action → the call) →
//! `agents` (the operation's entry names the action; its adapter calls the domain) →
//! `respond` (the answer). Each module uses only the ones after it.

mod agents;
mod client_addr;
mod connections;
pub mod contract;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod handler;
mod health;
pub mod openapi;
mod public_url;
mod read;
mod respond;
mod routes;
mod soap_call;
pub mod wsdl;

use std::future::Future;
use std::sync::Arc;

use accounts::Accounts;

pub use client_addr::TrustedProxies;
pub use connections::HttpSettings;
pub use public_url::PublicUrl;

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
pub(crate) struct AppState {
    pub(crate) accounts: Accounts,
    pub(crate) config: ServerConfig,
    /// The latest readiness probe, shared by concurrent `/health/ready` requests.
    pub(crate) readiness: health::Readiness,
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
    connections::serve_until(listener, state, settings, stop).await
}
