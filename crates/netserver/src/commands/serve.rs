//! `netserver serve`: bind the port, open (and migrate) the store, make the first
//! administrator of an empty store, and serve HTTP until interrupted.

use crate::cli::Resolved;
use crate::commands::bootstrap;
use crate::wiring;

pub async fn run(cfg: Resolved) -> Result<(), String> {
    // Held to the end of `run`: dropping it flushes the lines still queued.
    let _log_flush = init_logging();
    let server_config = cfg.file.server()?;
    // The port first: one in use must stop `serve` before it creates or migrates a store
    // or prints an administrator's password.
    let listener = wiring::bind(&cfg.listen).await?;
    let accounts = cfg.accounts().await?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    bootstrap::first_admin(&cfg, &accounts, &format!("http://{bound}")).await?;
    let _sweeper =
        wiring::spawn_sweeper(accounts.store().clone(), cfg.file.audit_retention_days()?);
    let running = wiring::serve_on(listener, accounts, server_config)?;
    tracing::info!(address = %running.addr, database = %wiring::redact_url(&cfg.database), "netserver listening");
    println!("netserver listening on http://{}", running.addr);
    tokio::select! {
        joined = running.task => match joined {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("the server stopped: {e}")),
            Err(e) => Err(format!("the server task failed: {e}")),
        },
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("interrupted; stopping");
            Ok(())
        }
    }
}

fn init_logging() -> crate::logging::LogGuard {
    crate::logging::init(crate::logging::filter_from_env())
}
