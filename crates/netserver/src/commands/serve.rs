//! `netserver serve`: bind the port, open (and migrate) the store, make the first
//! administrator of an empty store, and serve HTTP until interrupted.

use accounts::{Timestamp, DEFAULT_TENANT};

use crate::cli::Resolved;
use crate::wiring;

pub async fn run(cfg: Resolved) -> Result<(), String> {
    // Held to the end of `run`: dropping it flushes the lines still queued.
    let _log_flush = init_logging();
    let server_config = cfg.file.server()?;
    // The port first: one in use must stop `serve` before it creates or migrates a store
    // or prints an administrator's password.
    let listener = wiring::bind(&cfg.listen).await?;
    let accounts = cfg.accounts().await?;
    if let Some((admin, password)) = accounts
        .bootstrap_admin(DEFAULT_TENANT, Timestamp::now())
        .await
        .map_err(|e| e.to_string())?
    {
        // Printed once, to the operator's terminal only; it never reaches the log.
        println!(
            "Created associate '{}' (id {}) with right admin-all.",
            admin.name, admin.id
        );
        println!("Its password, shown only now: {}", password.expose());
        println!(
            "Change it with: netserver client set-password --url http://{}/Remote/Services88/User.svc --ticket <ticket> --associate-id {}",
            cfg.listen, admin.id
        );
    }
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
