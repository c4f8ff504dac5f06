//! `netserver user add|list|retire|unlock`: the associates of one tenant.

use accounts::{parse_rights, AccountError, Accounts, NewUser, TenantId, Timestamp, UserType};

use crate::cli::{CliError, Resolved, UserCommand};
use crate::commands::password;
use crate::output::outln;

pub async fn run(cfg: Resolved, cmd: UserCommand) -> Result<(), CliError> {
    let accounts = match cmd {
        UserCommand::List => cfg.accounts_read_only().await?,
        _ => cfg.accounts().await?,
    };
    let tenant = cfg.tenant(&accounts).await?;
    match cmd {
        UserCommand::Add {
            name,
            full_name,
            rights,
            user_type,
            password_stdin,
            no_password,
            must_change,
        } => {
            // Everything but the password is checked before it is asked for.
            let user_type = user_type.parse::<UserType>()?;
            let rights = parse_rights(&rights)?;
            check_name_free(&accounts, tenant, &name).await?;
            let user = NewUser {
                must_change,
                full_name: full_name.unwrap_or_else(|| name.clone()),
                name,
                user_type,
                rights,
                password: if no_password {
                    None
                } else {
                    Some(password::read(password_stdin, "Password: ", true)?)
                },
            };
            let created = accounts.add_user(tenant, user, Timestamp::now()).await?;
            outln!(
                "Created associate '{}' with id {}.",
                created.name,
                created.id
            );
            Ok(())
        }
        UserCommand::List => list(&accounts, tenant).await,
        UserCommand::Unlock { name } => {
            let now = Timestamp::now();
            let was = accounts.unlock_user(tenant, &name, now).await?;
            let state = if was.lock.is_locked(now) {
                "was locked; it may log in again"
            } else {
                "was not locked; its failed log-ins are forgotten"
            };
            outln!("Associate '{}' (id {}) {state}.", was.name, was.id);
            Ok(())
        }
        UserCommand::Retire { name } => {
            let was = accounts
                .retire_user(tenant, &name, Timestamp::now())
                .await?;
            if was.retired {
                outln!(
                    "Associate '{}' (id {}) was already retired; nothing changed.",
                    was.name,
                    was.id
                );
            } else {
                outln!(
                    "Retired associate '{}' (id {}); its tickets are revoked.",
                    was.name,
                    was.id
                );
            }
            Ok(())
        }
    }
}

/// The name is not empty and not taken in the tenant (the store still refuses a clash
/// that appears meanwhile).
async fn check_name_free(
    accounts: &Accounts,
    tenant: TenantId,
    name: &str,
) -> Result<(), CliError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AccountError::ArgumentMissing("name").into());
    }
    let found = accounts.user_named(tenant, name).await?;
    match found {
        Some(_) => Err(AccountError::AssociateNameTaken(name.to_owned()).into()),
        None => Ok(()),
    }
}

async fn list(accounts: &Accounts, tenant: TenantId) -> Result<(), CliError> {
    let all = accounts.list_users(tenant).await?;
    outln!(
        "{:>6}  {:<20} {:<24} {:<9} {:<8} RIGHTS",
        "ID",
        "NAME",
        "FULL NAME",
        "TYPE",
        "STATUS"
    );
    let now = Timestamp::now();
    for a in all {
        let rights: Vec<&str> = a.rights.iter().map(|r| r.as_str()).collect();
        let status = if a.retired {
            "retired"
        } else if a.lock.is_locked(now) {
            "locked"
        } else {
            "active"
        };
        outln!(
            "{:>6}  {:<20} {:<24} {:<9} {:<8} {}",
            a.id,
            a.name,
            a.full_name,
            a.user_type.as_str(),
            status,
            rights.join(",")
        );
    }
    Ok(())
}
