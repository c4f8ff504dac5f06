//! `netserver serve`: bind the port, open (and migrate) the store, make the first
//! administrator of an empty store, and serve HTTP until SIGTERM or SIGINT; then stop
//! gracefully (no new connections, requests under way answered within
//! `[http] shutdown_grace_seconds`, the log flushed) and exit 0.

use crate::cli::{CliError, Resolved};
use crate::commands::bootstrap;
use crate::wiring;

pub async fn run(cfg: Resolved) -> Result<(), CliError> {
    // Held to the end of `run`: dropping it flushes the lines still queued.
    let _log_flush = init_logging();
    let open_files = raise_open_file_limit();
    let mut server_config = cfg.file.server()?;
    server_config.http.max_connections =
        fit_connections(server_config.http.max_connections, open_files);
    // The port first: one in use must stop `serve` before it creates or migrates a store
    // or prints an administrator's password.
    let listener = wiring::bind(&cfg.listen).await?;
    let store = cfg.store().await?;
    let accounts = cfg.domain(store.clone())?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    bootstrap::first_admin(&cfg, &accounts, &format!("http://{bound}")).await?;
    let _sweeper = wiring::spawn_sweeper(store, cfg.file.audit_retention_days()?);
    let running = wiring::serve_on(listener, accounts, server_config)?;
    tracing::info!(address = %running.addr, database = %wiring::redact_url(&cfg.database), "netserver listening");
    // Installed before the line that says it is listening: a signal sent as soon as that
    // line is read must stop it gracefully, not kill it with its log unwritten.
    let mut signals = StopSignals::install()?;
    println!("netserver listening on http://{}", running.addr);
    let wiring::Running { mut task, stop, .. } = running;
    tokio::select! {
        joined = &mut task => return finished(joined),
        signal = signals.next() => tracing::info!(signal, "stopping"),
    }
    let _ = stop.send(());
    finished(task.await)
}

fn finished(joined: Result<std::io::Result<()>, tokio::task::JoinError>) -> Result<(), CliError> {
    match joined {
        Ok(Ok(())) => {
            tracing::info!("stopped");
            Ok(())
        }
        Ok(Err(e)) => Err(CliError::Failed(format!("the server stopped: {e}"))),
        Err(e) => Err(CliError::Failed(format!("the server task failed: {e}"))),
    }
}

/// SIGTERM (how service managers stop a service) and SIGINT (Ctrl-C), caught from
/// [`StopSignals::install`] on.
#[cfg(unix)]
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn install() -> Result<StopSignals, CliError> {
        use tokio::signal::unix::{signal, SignalKind};
        let catch = |kind: SignalKind, name: &str| {
            signal(kind).map_err(|e| format!("cannot catch {name}: {e}"))
        };
        Ok(StopSignals {
            term: catch(SignalKind::terminate(), "SIGTERM")?,
            int: catch(SignalKind::interrupt(), "SIGINT")?,
        })
    }

    /// The name of the first of them to arrive.
    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }
}

/// Ctrl-C where there are no Unix signals.
#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn install() -> Result<StopSignals, CliError> {
        Ok(StopSignals)
    }

    async fn next(&mut self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

/// Raises the open-file limit to its hard limit and reports it; `None` when it cannot be
/// read (the cap is then left as configured).
fn raise_open_file_limit() -> Option<u64> {
    match crate::fdlimit::raise() {
        Ok(limit) => {
            tracing::info!(open_files = limit, "open-file limit");
            Some(limit)
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read or raise the open-file limit");
            None
        }
    }
}

/// `[http] max_connections`, lowered (with a warning) to fit under the open-file limit.
fn fit_connections(wanted: usize, open_files: Option<u64>) -> usize {
    let Some(limit) = open_files else {
        return wanted;
    };
    let (cap, warning) = crate::fdlimit::fit(wanted, limit);
    if let Some(warning) = warning {
        tracing::warn!("{warning}");
    }
    cap
}

fn init_logging() -> crate::logging::LogGuard {
    crate::logging::init(crate::logging::filter_from_env())
}
