//! The command line: `serve`, `user …` and `app …` (administration on the store), `audit`
//! (the audit trail), `client …`
//! (a SOAP client of a running server), `policy …` (the configured password policy) and
//! `store copy` (move an installation to another store).
//! `--listen`, `--database` and `--config` are shared by all and also read from
//! `NETSERVER_LISTEN`, `NETSERVER_DATABASE`, `NETSERVER_CONFIG`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::commands;
use crate::config::{FileConfig, DEFAULT_DATABASE, DEFAULT_LISTEN};

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

#[derive(Debug, Args)]
pub struct Global {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, global = true, env = "NETSERVER_LISTEN")]
    pub listen: Option<String>,
    /// Store URL, e.g. sqlite://netserver.db [default: sqlite://netserver.db]
    // `--help` must not show the variable's value: the URL may hold a password.
    #[arg(
        long,
        global = true,
        env = "NETSERVER_DATABASE",
        hide_env_values = true
    )]
    pub database: Option<String>,
    /// TOML configuration file
    #[arg(long, global = true, env = "NETSERVER_CONFIG")]
    pub config: Option<PathBuf>,
    /// The customer (tenant) that `user` and `app` commands work on [default: the default
    /// tenant, which serves paths without a customer segment]
    #[arg(long, global = true, env = "NETSERVER_TENANT")]
    pub tenant: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server
    Serve,
    /// Manage associates in the store
    #[command(subcommand)]
    User(UserCommand),
    /// Register, list and revoke applications (their tokens are required in Online mode)
    #[command(subcommand)]
    App(AppCommand),
    /// Add and list tenants (the customers of an Online installation)
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Talk SOAP to a running server
    #[command(subcommand)]
    Client(ClientCommand),
    /// Print the audit trail, newest first
    Audit(AuditArgs),
    /// Try passwords against the configured password policy, or show it
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Work on whole stores: copy an installation into another store
    #[command(subcommand)]
    Store(StoreCommand),
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
        name: String,
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
    Retire { name: String },
    /// Forget an associate's failed log-ins and lift its lock
    Unlock { name: String },
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Add a tenant, reached at /NAME/Remote/Services88/…, with its first administrator
    /// `admin`, whose password is printed only this once
    Add { name: String },
    /// List tenants
    List,
}

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Register an application and print its new token (shown only this once)
    Add {
        name: String,
        /// Allow the app to use the User agent; without it the app is a partner app
        #[arg(long)]
        user_management: bool,
    },
    /// List applications
    List,
    /// Revoke an application: its token stops working at once
    Revoke { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Log in with AuthenticateUsernamePassword and print the ticket
    Login {
        #[arg(long)]
        url: String,
        #[arg(long)]
        user: String,
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        soap: SoapArgs,
    },
    /// Call SetPassword and print the answer
    SetPassword {
        #[arg(long)]
        url: String,
        #[arg(long, env = "NETSERVER_TICKET")]
        ticket: String,
        #[arg(long, allow_hyphen_values = true)]
        associate_id: i32,
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
    /// Application token header to send
    #[arg(long, env = "NETSERVER_APP_TOKEN")]
    pub app_token: Option<String>,
}

/// Resolved shared options: flag or environment, then the file, then the default.
pub struct Resolved {
    pub listen: String,
    pub database: String,
    pub file: FileConfig,
    /// `--tenant`, if given.
    pub tenant: Option<String>,
}

impl Resolved {
    /// The domain service over the configured store, with the configured KDF and policy.
    pub async fn accounts(&self) -> Result<accounts::Accounts, String> {
        let settings = self.file.settings()?;
        let store = crate::wiring::open_store(&self.database, &self.file.store_options()?).await?;
        crate::wiring::domain(store, self.file.kdf()?, self.file.kdf_workers()?, settings)
    }

    /// The tenant `--tenant` names (the default tenant without it); an unknown name is an error.
    pub async fn tenant(
        &self,
        accounts: &accounts::Accounts,
    ) -> Result<accounts::TenantId, String> {
        accounts
            .resolve_tenant(self.tenant.as_deref())
            .await
            .map_err(|e| e.public_message())
    }
}

impl Global {
    pub fn resolve(&self) -> Result<Resolved, String> {
        let file = match &self.config {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        let listen = self
            .listen
            .clone()
            .or_else(|| file.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
        let database = self
            .database
            .clone()
            .or_else(|| file.database.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE.to_owned());
        Ok(Resolved {
            listen,
            database,
            file,
            tenant: self.tenant.clone(),
        })
    }
}

/// The error a command returns when it has already told the user why it failed: the
/// process exits with status 1 without printing anything more.
pub const ALREADY_REPORTED: &str = "";

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
        Err(message) if message == ALREADY_REPORTED => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
