//! `netserver app add|list|revoke`: registered applications, straight on the store.

use accounts::{Accounts, TenantId, Timestamp};

use crate::cli::{AppCommand, CliError, Resolved};
use crate::output::outln;

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
            let revoked = accounts
                .revoke_app(tenant, &name, Timestamp::now())
                .await?;
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
    let all = accounts
        .store()
        .list_apps(tenant)
        .await?;
    outln!(
        "{:<24} {:<15} {:<20} REVOKED",
        "NAME",
        "USER MANAGEMENT",
        "CREATED"
    );
    for app in all {
        let revoked = app.revoked_at.map_or_else(|| "-".to_owned(), |t| utc(t.0));
        outln!(
            "{:<24} {:<15} {:<20} {}",
            app.name,
            if app.user_management { "yes" } else { "no" },
            utc(app.created_at.0),
            revoked
        );
    }
    Ok(())
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, from seconds since the Unix epoch.
pub(crate) fn utc(secs: i64) -> String {
    let mut out = String::with_capacity(19);
    let _ = crate::civil::Civil::from_unix(secs).write(&mut out, ' ');
    out
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn times_print_as_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20");
    }
}
