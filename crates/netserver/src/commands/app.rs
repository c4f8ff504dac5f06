//! `netserver app add|list|revoke`: registered applications.

use accounts::{Accounts, TenantId, Timestamp};

use crate::cli::{AppCommand, CliError, Resolved};
use crate::output::outln;
use crate::utc;

pub async fn run(cfg: Resolved, cmd: AppCommand) -> Result<(), CliError> {
    let accounts = match cmd {
        AppCommand::List => cfg.accounts_read_only().await?,
        _ => cfg.accounts().await?,
    };
    let tenant = cfg.tenant(&accounts).await?;
    match cmd {
        AppCommand::Add {
            name,
            user_management,
        } => {
            let (app, token) = accounts
                .add_app(tenant, &name, user_management, Timestamp::now())
                .await?;
            let kind = if app.user_management {
                "with user management"
            } else {
                "a partner app, without user management"
            };
            // The token alone goes to standard output, so that a script can capture it;
            // it is shown only now and stored only as a digest.
            eprintln!("Registered application '{}' ({kind}).", app.name);
            eprintln!("Its application token follows; it is shown only now:");
            outln!("{}", token.expose());
            Ok(())
        }
        AppCommand::List => list(&accounts, tenant).await,
        AppCommand::Revoke { name } => {
            let revoked = accounts.revoke_app(tenant, &name, Timestamp::now()).await?;
            if revoked {
                outln!(
                    "Revoked application '{}'; its token no longer works.",
                    name.trim()
                );
            } else {
                outln!(
                    "Application '{}' was already revoked; nothing changed.",
                    name.trim()
                );
            }
            Ok(())
        }
    }
}

async fn list(accounts: &Accounts, tenant: TenantId) -> Result<(), CliError> {
    let all = accounts.list_apps(tenant).await?;
    outln!(
        "{:<24} {:<15} {:<20} REVOKED",
        "NAME",
        "USER MANAGEMENT",
        "CREATED"
    );
    for app in all {
        let revoked = app
            .revoked_at
            .map_or_else(|| "-".to_owned(), |t| utc::table(t.0));
        outln!(
            "{:<24} {:<15} {:<20} {}",
            app.name,
            if app.user_management { "yes" } else { "no" },
            utc::table(app.created_at.0),
            revoked
        );
    }
    Ok(())
}
