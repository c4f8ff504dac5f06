//! `netserver user add|list|retire|unlock`: administration straight on the store.

use accounts::{parse_rights, Accounts, NewUser, TenantId, Timestamp, UserType};

use crate::cli::{Resolved, UserCommand};
use crate::commands::password;

pub async fn run(cfg: Resolved, cmd: UserCommand) -> Result<(), String> {
    let accounts = cfg.accounts().await?;
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
            let user = NewUser {
                must_change,
                full_name: full_name.unwrap_or_else(|| name.clone()),
                name,
                user_type: user_type.parse::<UserType>()?,
                rights: parse_rights(&rights)?,
                password: if no_password {
                    None
                } else {
                    Some(password::read(password_stdin, "Password: ", true)?)
                },
            };
            let created = accounts
                .add_user(tenant, user, Timestamp::now())
                .await
                .map_err(|e| e.public_message())?;
            println!(
                "Created associate '{}' with id {}.",
                created.name, created.id
            );
            Ok(())
        }
        UserCommand::List => list(&accounts, tenant).await,
        UserCommand::Unlock { name } => {
            let now = Timestamp::now();
            let was = accounts
                .unlock_user(tenant, &name, now)
                .await
                .map_err(|e| e.public_message())?;
            let state = if was.lock.is_locked(now) {
                "was locked; it may log in again"
            } else {
                "was not locked; its failed log-ins are forgotten"
            };
            println!("Associate '{}' (id {}) {state}.", was.name, was.id);
            Ok(())
        }
        UserCommand::Retire { name } => {
            let retired = accounts
                .retire_user(tenant, &name, Timestamp::now())
                .await
                .map_err(|e| e.public_message())?;
            println!(
                "Retired associate '{}' (id {}); its tickets are revoked.",
                retired.name, retired.id
            );
            Ok(())
        }
    }
}

async fn list(accounts: &Accounts, tenant: TenantId) -> Result<(), String> {
    let all = accounts
        .store()
        .list_associates(tenant)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{:>6}  {:<20} {:<24} {:<9} {:<8} RIGHTS",
        "ID", "NAME", "FULL NAME", "TYPE", "STATUS"
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
        println!(
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
