//! One module per subcommand group; each returns `Err(message)` for the user to read.

mod app;
mod audit;
mod client;
mod password;
mod policy;
mod serve;
mod store;
mod tenant;
mod user;

use crate::cli::{Cli, Command};

pub async fn dispatch(cli: Cli) -> Result<(), String> {
    let resolved = cli.global.resolve()?;
    match cli.command {
        Command::Serve => serve::run(resolved).await,
        Command::User(cmd) => user::run(resolved, cmd).await,
        Command::App(cmd) => app::run(resolved, cmd).await,
        Command::Audit(args) => audit::run(resolved, args).await,
        Command::Tenant(cmd) => tenant::run(resolved, cmd).await,
        Command::Client(cmd) => client::run(cmd).await,
        Command::Policy(cmd) => policy::run(resolved, cmd),
        Command::Store(cmd) => store::run(resolved, cmd).await,
    }
}
