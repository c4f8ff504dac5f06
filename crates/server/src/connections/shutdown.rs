//! The graceful stop: once the accept loop has stopped (and dropped the listener, so new
//! connections are refused by the system), every connection is asked to close: idle ones
//! close at once, one with a request under way answers it first (hyper then closes it
//! instead of keeping it alive). The stop waits for them up to the grace; connections
//! still open then are dropped with the runtime.

use std::time::Duration;

use tokio::time::Instant;

use super::registry::Registry;

pub async fn drain(registry: &Registry, grace: Duration) {
    registry.close_all();
    let open = registry.len();
    if open > 0 {
        tracing::info!(
            open,
            grace_seconds = grace.as_secs(),
            "stopped accepting; waiting for requests under way"
        );
    }
    let deadline = Instant::now() + grace;
    loop {
        let room = registry.room.notified();
        let open = registry.len();
        if open == 0 {
            tracing::info!("all connections closed");
            return;
        }
        if tokio::time::timeout_at(deadline, room).await.is_err() {
            tracing::warn!(
                open = registry.len(),
                "shutdown grace expired; dropping the connections still open"
            );
            return;
        }
    }
}
