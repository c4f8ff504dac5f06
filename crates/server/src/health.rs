//! `/health` (the process is alive) and `/health/ready` (a request would get through now).
//!
//! Readiness asks the store the way a write does ([`accounts::Store::ping`]: its locks,
//! its timeouts, its pool), so a node whose database is locked or stalled answers 503 while
//! its calls would fail with `store_unavailable`, and 200 again once they would not. One
//! probe runs at a time: a readiness request that arrives while a probe is running waits
//! for that probe's answer instead of starting another, so probes from several load
//! balancers never pile up on a stalled store.

use std::time::Instant;

use http::StatusCode;
use tokio::sync::Mutex;

use crate::respond::{json, Response};
use crate::AppState;

/// The latest probe: when it finished and whether the store was ready.
#[derive(Default)]
pub struct Readiness {
    last: Mutex<Option<(Instant, bool)>>,
}

impl Readiness {
    /// Whether the store is ready, from a probe that finished after `asked`.
    async fn probe(&self, state: &AppState, asked: Instant) -> bool {
        let mut last = self.last.lock().await;
        if let Some((finished, ready)) = *last {
            if finished >= asked {
                return ready; // the probe that ran while this request waited
            }
        }
        let ready = match state.accounts.ready().await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(code = e.code(), "not ready");
                false
            }
        };
        *last = Some((Instant::now(), ready));
        ready
    }
}

pub fn alive() -> Response {
    json(StatusCode::OK, "{\"status\":\"ok\"}")
}

/// 200 when the store would take a write now, else 503.
pub async fn ready(state: &AppState) -> Response {
    if state.readiness.probe(state, Instant::now()).await {
        json(StatusCode::OK, "{\"status\":\"ready\"}")
    } else {
        json(
            StatusCode::SERVICE_UNAVAILABLE,
            "{\"status\":\"not ready\",\"reason\":\"store unavailable\"}",
        )
    }
}
