//! `netserver tenant add|list`: the customers of an Online installation.

use accounts::Timestamp;

use crate::cli::{CliError, Resolved, TenantCommand};
use crate::output::outln;
use crate::utc;

pub async fn run(cfg: Resolved, cmd: TenantCommand) -> Result<(), CliError> {
    let accounts = match cmd {
        TenantCommand::List { .. } => cfg.accounts_read_only().await?,
        TenantCommand::Add { .. } => cfg.accounts().await?,
    };
    match cmd {
        TenantCommand::Add { name, .. } => {
            let (tenant, admin, password) = accounts.add_tenant(&name, Timestamp::now()).await?;
            outln!("Created tenant '{}' (id {}).", tenant.name, tenant.id);
            outln!(
                "Created its associate '{}' (id {}) with right admin-all.",
                admin.name,
                admin.id
            );
            // Printed once, to the operator's terminal only; it never reaches the log.
            outln!("Its password, shown only now: {}", password.expose());
            outln!(
                "Its services: http://{}/{}/Remote/Services88/User.svc (and SoPrincipal.svc)",
                cfg.listen,
                tenant.name
            );
            Ok(())
        }
        TenantCommand::List { .. } => {
            let all = accounts.list_tenants().await?;
            outln!("{:>6}  {:<24} CREATED", "ID", "NAME");
            for t in all {
                outln!("{:>6}  {:<24} {}", t.id, t.name, utc::table(t.created_at.0));
            }
            Ok(())
        }
    }
}
