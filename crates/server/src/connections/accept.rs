//! The accept loop: one task per connection, at most `max_connections` open. At the cap
//! the connection idle the longest (kept alive after its answers, or silent since its
//! accept; for at least [`MIN_IDLE`]) is asked to close to make room, so a client that
//! opens sockets and sends nothing cannot lock others out; when none is idle, new
//! connections wait in the listen backlog until one ends. Either is logged at most once per
//! [`CAP_LOG_EVERY`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use super::connection::{self, Shared};
use super::framing::HeadLimits;
use super::guarded::Timeouts;
use super::registry::Registry;
use super::{shutdown, HttpSettings};
use crate::AppState;

/// At most one log line about the cap per this interval.
const CAP_LOG_EVERY: Duration = Duration::from_secs(10);
/// A connection is closed to make room only once idle this long: one accepted or
/// answered a moment ago is most likely about to send its request.
const MIN_IDLE: Duration = Duration::from_secs(1);
/// While at the cap with nothing idle long enough, look again this often.
const RECHECK: Duration = Duration::from_millis(250);
/// hyper's own head limits sit this far above ours: ours refuse first, with a text.
const HEAD_SLACK: usize = 1024;
/// hyper's default header count, kept on its faster (stack) path when it is ours too.
const HYPER_MAX_HEADERS: usize = 100;

/// Serves HTTP/1.1 on `listener` until `stop` completes, then stops gracefully (see
/// `shutdown`).
pub async fn serve_until(
    listener: TcpListener,
    state: Arc<AppState>,
    settings: HttpSettings,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let registry = Registry::new();
    let shared = Arc::new(Shared {
        state,
        builder: builder(&settings),
        limits: HeadLimits {
            max_bytes: settings.max_header_bytes,
            max_headers: settings.max_headers,
        },
        timeouts: Timeouts {
            head: settings.header_timeout,
            body: settings.body_timeout,
            keep_alive: settings.keep_alive,
        },
        registry: registry.clone(),
    });
    let mut log = CapLog::default();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            biased;
            () = &mut stop => break,
            (stream, peer) = accept(&listener, &registry, settings.max_connections, &mut log) => {
                let registration = registry.register();
                tokio::spawn(connection::serve(shared.clone(), stream, peer, registration));
            }
        }
    }
    drop(listener);
    shutdown::drain(&registry, settings.shutdown_grace).await;
    Ok(())
}

fn builder(settings: &HttpSettings) -> http1::Builder {
    let mut builder = http1::Builder::new();
    let head = settings.max_header_bytes + HEAD_SLACK;
    // The read buffer holds at most one head (and read-ahead of the same size).
    builder.max_header_size(head).max_buf_size(head.max(8192));
    if settings.max_headers != HYPER_MAX_HEADERS {
        builder.max_headers(settings.max_headers);
    }
    builder
}

async fn accept(
    listener: &TcpListener,
    registry: &Registry,
    cap: usize,
    log: &mut CapLog,
) -> (TcpStream, std::net::SocketAddr) {
    loop {
        make_room(registry, cap, log).await;
        match listener.accept().await {
            Ok(accepted) => return accepted,
            Err(e) => accept_failed(e).await,
        }
    }
}

/// Returns once fewer than `cap` connections are open, closing idle ones (oldest first)
/// or waiting for one to end.
async fn make_room(registry: &Registry, cap: usize, log: &mut CapLog) {
    loop {
        let room = registry.room.notified();
        let open = registry.len();
        if open < cap {
            return;
        }
        let needed = open + 1 - cap;
        let mut closing = registry.closing();
        let mut evicted = 0;
        let idle_by = registry
            .millis(Instant::now())
            .saturating_sub(MIN_IDLE.as_millis() as u64);
        while closing < needed && registry.evict_oldest_idle(idle_by) {
            closing += 1;
            evicted += 1;
        }
        log.at_cap(open, cap, evicted, closing >= needed);
        // A connection ending makes room; one becoming idle long enough may too.
        let _ = tokio::time::timeout(RECHECK, room).await;
    }
}

/// Counts what happened at the cap between two log lines.
#[derive(Default)]
struct CapLog {
    last: Option<Instant>,
    evicted: u64,
    waited: u64,
}

impl CapLog {
    fn at_cap(&mut self, open: usize, cap: usize, evicted: usize, room_coming: bool) {
        self.evicted += evicted as u64;
        self.waited += u64::from(!room_coming);
        if self.last.is_some_and(|t| t.elapsed() < CAP_LOG_EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        if self.waited > 0 {
            tracing::warn!(
                open,
                max_connections = cap,
                closed_idle = self.evicted,
                "connection cap reached and no connection idle: new connections wait in the listen backlog"
            );
        } else {
            tracing::warn!(
                open,
                max_connections = cap,
                closed_idle = self.evicted,
                "connection cap reached: closing the longest idle connections to make room"
            );
        }
        self.evicted = 0;
        self.waited = 0;
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
