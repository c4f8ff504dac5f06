//! The command line: `serve`, `user …` and `app …` (administration on the store), `audit`
//! (the audit trail), `client …`
//! (a SOAP client of a running server), `policy …` (the configured password policy) and
//! `store copy` (move an installation to another store). The flags several of them share
//! (`--config`, `--database`, `--listen`, `--tenant`) live in `shared`.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::commands;

mod error;
mod shared;

pub use error::CliError;
pub use shared::{
    ConfigFlag, Global, ListenFlag, NoTenant, Resolved, Slot, StoreFlags, TenantFlag, Wants,
};

#[derive(Debug, Parser)]
#[command(
    name = "netserver",
    version,
    about = "A SuperOffice NetServer Services88 compatible SOAP server"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server
    Serve(ServeArgs),
    /// Manage associates in the store
    User(UserArgs),
    /// Register, list and revoke applications (their tokens are required in Online mode)
    App(AppArgs),
    /// Add and list tenants (the customers of an Online installation)
    Tenant(TenantArgs),
    /// Talk SOAP to a running server
    #[command(subcommand)]
    Client(ClientCommand),
    /// Print the audit trail, newest first
    Audit(AuditArgs),
    /// Try passwords against the configured password policy, or show it
    Policy(PolicyArgs),
    /// Work on whole stores: copy an installation into another store
    Store(StoreArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreFlags,
    #[command(flatten)]
    pub listen: ListenFlag,
    #[command(flatten)]
    pub no_tenant: NoTenant,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub store: StoreFlags,
    #[command(flatten)]
    pub tenant: TenantFlag,
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Args)]
pub struct AppArgs {
    #[command(flatten)]
    pub store: StoreFlags,
    #[command(flatten)]
    pub tenant: TenantFlag,
    #[command(subcommand)]
    pub command: AppCommand,
}

#[derive(Debug, Args)]
pub struct TenantArgs {
    #[command(flatten)]
    pub store: StoreFlags,
    #[command(subcommand)]
    pub command: TenantCommand,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub config: ConfigFlag,
    #[command(flatten)]
    pub no_tenant: NoTenant,
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Args)]
pub struct StoreArgs {
    #[command(flatten)]
    pub store: StoreFlags,
    #[command(flatten)]
    pub no_tenant: NoTenant,
    #[command(subcommand)]
    pub command: StoreCommand,
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy everything an installation has (tenants, associates with their password
    /// hashes, rights and lock state, password history, applications, the audit trail;
    /// tickets with --with-tickets) into another store, keeping every id, e.g. from the
    /// embedded SQLite file to PostgreSQL. The copy is one transaction on the target and
    /// ends by comparing the row counts of each table.
    Copy(CopyArgs),
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The store to copy from [default: the configured --database]
    #[arg(long)]
    pub from: Option<String>,
    /// The store to copy into (sqlite://PATH or postgres://…); created and migrated as
    /// needed. It must hold no data unless --force is given
    #[arg(long, env = "NETSERVER_COPY_TO", hide_env_values = true)]
    pub to: String,
    /// Copy log-in tickets too, so that users stay logged in (by default they log in
    /// again on the new store)
    #[arg(long)]
    pub with_tickets: bool,
    /// Replace whatever the target holds: its tables are emptied inside the copy's
    /// transaction, so a failed copy still leaves them as they were
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only records at or after this time: seconds since 1970 or RFC 3339
    /// (2024-05-01T12:00:00Z)
    #[arg(long)]
    pub since: Option<String>,
    /// Only records whose actor or target is the associate with this log-in name
    #[arg(long)]
    pub associate: Option<String>,
    /// At most this many records
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// One JSON object per line instead of a table
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub store: StoreFlags,
    #[command(flatten)]
    pub tenant: TenantFlag,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Read one password from standard input and print `accepted` (exit status 0) or
    /// `rejected: <reason>` (exit status 1)
    Check {
        /// The log-in name of the user the password is for (the name rule looks at it)
        #[arg(long)]
        user: Option<String>,
        /// The user's full name (the name rule looks at each part)
        #[arg(long)]
        full_name: Option<String>,
    },
    /// Print the effective password policy as a `[password]` configuration section
    Show,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an associate
    Add {
        /// The log-in name
        name: String,
        /// The associate's full name [default: the log-in name]
        #[arg(long)]
        full_name: Option<String>,
        /// Comma-separated functional rights: admin-all, admin-users
        #[arg(long, default_value = "")]
        rights: String,
        /// internal, resource, external or system
        #[arg(long = "type", default_value = "internal")]
        user_type: String,
        /// Read the password from standard input instead of a prompt
        #[arg(long)]
        password_stdin: bool,
        /// Create the associate without a password
        #[arg(long, conflicts_with = "password_stdin")]
        no_password: bool,
        /// The associate must change its password at the next log-in
        #[arg(long)]
        must_change: bool,
    },
    /// List associates
    List,
    /// Retire an associate and revoke its tickets
    Retire {
        /// The associate's log-in name
        name: String,
    },
    /// Forget an associate's failed log-ins and lift its lock
    Unlock {
        /// The associate's log-in name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Add a tenant, reached at /NAME/Remote/Services88/…, with its first administrator
    /// `admin`, whose password is printed only this once
    Add {
        /// The tenant's name, its services' first path segment (e.g. Cust12345)
        name: String,
        /// The address the server listens on, for the services' URL printed
        #[command(flatten)]
        listen: ListenFlag,
    },
    /// List tenants
    List {
        #[command(flatten)]
        no_tenant: NoTenant,
    },
}

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Register an application and print its new token (shown only this once)
    Add {
        /// The application's name
        name: String,
        /// Allow the app to use the User agent; without it the app is a partner app
        #[arg(long)]
        user_management: bool,
    },
    /// List applications
    List,
    /// Revoke an application: its token stops working at once
    Revoke {
        /// The application's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Log in with AuthenticateUsernamePassword and print the ticket
    Login {
        /// The server: its base URL (http://127.0.0.1:8080, or http://HOST/TENANT for a tenant) or any of its …/Services88/NAME.svc addresses
        #[arg(long)]
        url: String,
        /// The log-in name
        #[arg(long)]
        user: String,
        /// Read the password from standard input instead of a prompt
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        soap: SoapArgs,
    },
    /// Call ChangeOwnPassword (the ticket's owner changes its own password, giving the
    /// current one; the way out of must-change) and print the answer
    ChangePassword {
        #[arg(long)]
        url: String,
        #[arg(long, env = "NETSERVER_TICKET")]
        ticket: String,
        /// Read the current password, then the new one, one a line, from standard input
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        soap: SoapArgs,
    },
    /// Call SetPassword and print the answer
    SetPassword {
        /// The server: its base URL (http://127.0.0.1:8080, or http://HOST/TENANT for a tenant) or any of its …/Services88/NAME.svc addresses
        #[arg(long)]
        url: String,
        /// The caller's ticket, as `client login` prints it
        #[arg(long, env = "NETSERVER_TICKET", hide_env_values = true)]
        ticket: String,
        /// The id of the associate whose password is set (see `user list`)
        #[arg(long, allow_hyphen_values = true)]
        associate_id: i32,
        /// Read the new password from standard input instead of a prompt
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        soap: SoapArgs,
    },
}

#[derive(Debug, Args, Clone)]
pub struct SoapArgs {
    /// Speak SOAP 1.2 instead of 1.1
    #[arg(long)]
    pub soap12: bool,
    /// Application token header to send (required in Online mode)
    #[arg(long, env = "NETSERVER_APP_TOKEN", hide_env_values = true)]
    pub app_token: Option<String>,
}

impl SoapArgs {
    /// The envelope to speak.
    pub fn version(&self) -> soap::SoapVersion {
        if self.soap12 {
            soap::SoapVersion::V12
        } else {
            soap::SoapVersion::V11
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::dispatch(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(message) = e.message() {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}
