//! The HTTP/1.1 layer under the handler: the accept loop and the connection cap
//! (`accept`), each connection's limits (`guarded`, `framing`: head, body and keep-alive
//! deadlines, head size and count, framing refusals), the register of open connections
//! (`registry`) and the graceful stop (`shutdown`). Plain hyper, no web framework: every
//! request goes straight to the one handler, with no router or middleware in between.

mod accept;
mod connection;
mod framing;
mod guarded;
mod registry;
mod shutdown;

use std::time::Duration;

pub use accept::serve_until;

/// How connections are treated (`[http]` in the configuration file).
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Time for a request's head to arrive, from its first byte (and for the first
    /// request, from the accept).
    pub header_timeout: Duration,
    /// Time for a request's body to arrive, from the end of its head.
    pub body_timeout: Duration,
    /// How long a connection may stay idle between requests.
    pub keep_alive: Duration,
    /// Open connections at most; at the cap the oldest idle one is closed to make room,
    /// and when none is idle new connections wait in the listen backlog.
    pub max_connections: usize,
    /// Bytes of one request head (request line and headers); also bounds what hyper
    /// buffers per connection.
    pub max_header_bytes: usize,
    /// Header lines in one request head.
    pub max_headers: usize,
    /// How long a stop waits for requests under way.
    pub shutdown_grace: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            keep_alive: Duration::from_secs(60),
            max_connections: 4096,
            max_header_bytes: 16 * 1024,
            max_headers: 100,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}
