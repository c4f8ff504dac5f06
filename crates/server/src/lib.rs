//! The HTTP face of netserver: routes, the SOAP agents (`User.svc`, `SoPrincipal.svc`) as
//! thin adapters soap → accounts → soap, the served WSDL and info pages, and health.
//! Knows nothing of SQL: it talks to the domain's `Accounts` only.
#![deny(clippy::unwrap_used)]

mod agents;
mod errors;
mod handler;
mod routes;
pub mod wsdl;

use std::net::SocketAddr;
use std::sync::Arc;

use accounts::Accounts;
use axum::Router;
use tokio::net::TcpListener;

pub use routes::{parse_path, Endpoint};

/// Protocol settings of the HTTP/SOAP layer.
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    pub limits: soap::Limits,
    /// Answer application errors with SOAP faults instead of NetServer's default
    /// `Succeeded=false` + `ExceptionInfo` headers (`WrapExceptions=false`).
    pub faults: bool,
}

/// Shared by every request.
pub struct AppState {
    pub accounts: Accounts,
    pub config: ServerConfig,
}

/// The whole application as an axum router.
pub fn app(accounts: Accounts, config: ServerConfig) -> Router {
    let state = Arc::new(AppState { accounts, config });
    Router::new().fallback(handler::handle).with_state(state)
}

/// Serves on `listener` until the future is dropped.
pub async fn serve(
    listener: TcpListener,
    accounts: Accounts,
    config: ServerConfig,
) -> std::io::Result<()> {
    let app = app(accounts, config);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
