//! One module per subcommand group; each ends in a [`CliError`] when it fails.
//! `dispatch` first resolves the shared settings each subcommand reads (see `cli::shared`).

mod app;
mod audit;
pub mod bootstrap;
mod client;
mod password;
mod policy;
mod serve;
mod store;
mod tenant;
mod user;

use crate::cli::{
    Cli, CliError, Command, Global, Resolved, Slot, StoreFlags, TenantCommand, Wants,
};

pub async fn dispatch(cli: Cli) -> Result<(), CliError> {
    let g = &cli.global;
    match cli.command {
        Command::Serve(args) => {
            let wants = Wants {
                listen: Slot::Used(args.listen.listen),
                tenant: Slot::Unused {
                    why: "it serves every tenant, each under /NAME/Remote/Services88/",
                    given: args.no_tenant.tenant,
                },
                ..on_store("serve", args.store)
            };
            serve::run(g.resolve(wants)?).await
        }
        Command::User(args) => {
            let cfg = in_tenant(g, "user", args.store, args.tenant.tenant)?;
            user::run(cfg, args.command).await
        }
        Command::App(args) => {
            let cfg = in_tenant(g, "app", args.store, args.tenant.tenant)?;
            app::run(cfg, args.command).await
        }
        Command::Audit(args) => {
            let cfg = in_tenant(g, "audit", args.store.clone(), args.tenant.tenant.clone())?;
            audit::run(cfg, args).await
        }
        Command::Tenant(args) => {
            let wants = match &args.command {
                TenantCommand::Add { listen, .. } => Wants {
                    listen: Slot::Used(listen.listen.clone()),
                    tenant: Slot::Unused {
                        why: "name the new tenant as its argument",
                        given: None,
                    },
                    ..on_store("tenant add", args.store)
                },
                TenantCommand::List { no_tenant } => Wants {
                    tenant: Slot::Unused {
                        why: "it lists every tenant",
                        given: no_tenant.tenant.clone(),
                    },
                    ..on_store("tenant list", args.store)
                },
            };
            tenant::run(g.resolve(wants)?, args.command).await
        }
        Command::Client(cmd) => {
            let why = "the client talks to the server at --url (a tenant's URL ends in /TENANT)";
            g.resolve(Wants {
                command: "client",
                config: unused(why),
                database: unused(why),
                listen: unused(why),
                tenant: unused(why),
            })?;
            client::run(cmd).await
        }
        Command::Policy(args) => {
            let why = "the password policy comes from the configuration file alone";
            let cfg = g.resolve(Wants {
                command: "policy",
                config: Slot::Used(args.config.config),
                database: unused(why),
                listen: unused(why),
                tenant: Slot::Unused {
                    why: "the password policy is the same for every tenant",
                    given: args.no_tenant.tenant,
                },
            })?;
            policy::run(cfg, args.command)
        }
        Command::Store(args) => {
            let wants = Wants {
                tenant: Slot::Unused {
                    why: "a store copy takes every tenant",
                    given: args.no_tenant.tenant,
                },
                ..on_store("store", args.store)
            };
            store::run(g.resolve(wants)?, args.command).await
        }
    }
}

/// A subcommand on the store, outside any tenant and not listening.
fn on_store(command: &'static str, flags: StoreFlags) -> Wants {
    Wants {
        command,
        config: Slot::Used(flags.config.config),
        database: Slot::Used(flags.database),
        listen: unused("only serve listens"),
        tenant: unused("it works outside tenants"),
    }
}

/// A subcommand on the store inside one tenant (`--tenant`).
fn in_tenant(
    g: &Global,
    command: &'static str,
    flags: StoreFlags,
    tenant: Option<String>,
) -> Result<Resolved, CliError> {
    g.resolve(Wants {
        tenant: Slot::Used(tenant),
        ..on_store(command, flags)
    })
}

fn unused<T>(why: &'static str) -> Slot<T> {
    Slot::Unused { why, given: None }
}
