//! A small pool of PostgreSQL connections: at most `max` sessions (a client and the
//! statements prepared on it), opened on demand and reused. A checked-out [`Conn`] is used by one task at a time, so a transaction never
//! interleaves with another task's statements; it goes back to the pool when dropped
//! (unless the connection broke, or the work using it was abandoned before it finished,
//! then it is forgotten and the next checkout opens a new one).

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

use accounts::StoreError;
use tokio::sync::{Semaphore, SemaphorePermit};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{Client, Config, NoTls};

use super::dialect::Session;
use super::error::describe;
use crate::error::OpenError;

/// Connections per store (per server node).
pub(crate) const MAX_CONNECTIONS: usize = 8;

pub(crate) struct Pool {
    config: Config,
    idle: Mutex<Vec<Session>>,
    permits: Semaphore,
}

pub(crate) struct Conn<'a> {
    session: Option<Session>,
    /// Set by [`Conn::finished`]: only then may the client serve another task.
    reusable: bool,
    pool: &'a Pool,
    _permit: SemaphorePermit<'a>,
}

/// Where `config` connects (`host:port`, several joined by commas), for error messages:
/// never the user or password.
pub(crate) fn address(config: &Config) -> String {
    let ports = config.get_ports();
    let port = |i: usize| ports.get(i).or(ports.first()).copied().unwrap_or(5432);
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| match host {
            Host::Tcp(name) => format!("{name}:{}", port(i)),
            #[cfg(unix)]
            Host::Unix(dir) => format!("{} (port {})", dir.display(), port(i)),
        })
        .collect();
    if hosts.is_empty() {
        format!("localhost:{}", port(0))
    } else {
        hosts.join(", ")
    }
}

/// Connections are plain TCP: a URL that requires TLS is refused before connecting, so
/// that the operator reads why instead of a failed handshake.
pub(crate) fn refuse_tls(config: &Config) -> Result<(), OpenError> {
    match config.get_ssl_mode() {
        SslMode::Disable | SslMode::Prefer => Ok(()),
        _ => Err(OpenError::TlsUnsupported),
    }
}

/// Opens one connection and drives it on a background task.
pub(crate) async fn connect(config: &Config) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %describe(&e), "PostgreSQL connection ended");
        }
    });
    Ok(client)
}

impl Pool {
    pub(crate) fn new(config: Config, first: Client, max: usize) -> Pool {
        Pool {
            config,
            idle: Mutex::new(vec![Session::new(first)]),
            permits: Semaphore::new(max.max(1)),
        }
    }

    /// Waits for a free slot and hands out an idle client or a newly opened one.
    pub(crate) async fn get(&self) -> Result<Conn<'_>, StoreError> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Backend("the connection pool is closed".into()))?;
        let reused = loop {
            let next = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            match next {
                Some(session) if session.client.is_closed() => continue,
                other => break other,
            }
        };
        let session = match reused {
            Some(session) => session,
            None => connect(&self.config).await.map(Session::new).map_err(|e| {
                StoreError::Unavailable(format!(
                    "connect to PostgreSQL at {}: {}",
                    address(&self.config),
                    describe(&e)
                ))
            })?,
        };
        Ok(Conn {
            session: Some(session),
            reusable: false,
            pool: self,
            _permit: permit,
        })
    }
}

impl Conn<'_> {
    /// The work using this connection ran to its end (successfully or not): it is idle
    /// and may go back to the pool.
    pub(crate) fn finished(mut self) {
        self.reusable = true;
    }
}

impl Deref for Conn<'_> {
    type Target = Session;
    // `session` is an `Option` only so that `drop` can move it back to the pool; it is
    // `Some` from checkout until then, and nothing else takes it.
    #[allow(clippy::expect_used)]
    fn deref(&self) -> &Session {
        self.session
            .as_ref()
            .expect("a checked-out session is present until drop")
    }
}

impl DerefMut for Conn<'_> {
    // `session` is an `Option` only so that `drop` can move it back to the pool; it is
    // `Some` from checkout until then, and nothing else takes it.
    #[allow(clippy::expect_used)]
    fn deref_mut(&mut self) -> &mut Session {
        self.session
            .as_mut()
            .expect("a checked-out session is present until drop")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            if self.reusable && !session.client.is_closed() {
                self.pool
                    .idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(session);
            }
        }
    }
}
