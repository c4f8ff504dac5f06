//! The settings several subcommands share: `--config`, `--database`, `--listen` and
//! `--tenant`. Each subcommand takes (and lists in its `--help`) only those it reads; the
//! same flags are also accepted before the subcommand (`netserver --config F serve`), where
//! one the subcommand does not read is refused instead of silently ignored. The
//! `NETSERVER_*` variables are read only by the subcommands that take the flag.

use std::path::PathBuf;
use std::sync::Arc;

use accounts::Store;

use clap::Args;

use crate::cli::CliError;
use crate::config::{FileConfig, DEFAULT_DATABASE, DEFAULT_LISTEN};

/// The flags as given before the subcommand. Their ids differ from the subcommands'
/// flags: clap copies the value of a `global` flag up to a parent's flag of the same id,
/// and "given before" must stay distinguishable from "given after".
#[derive(Debug, Args)]
pub struct Global {
    /// TOML configuration file, for the subcommands that read one (also after the
    /// subcommand) [env: NETSERVER_CONFIG]
    #[arg(long = "config", id = "config_before_subcommand")]
    pub config: Option<PathBuf>,
    /// Store URL, for the subcommands that use the store (also after the subcommand)
    /// [env: NETSERVER_DATABASE]
    #[arg(long = "database", id = "database_before_subcommand")]
    pub database: Option<String>,
    /// Address to listen on, for serve (also after it) [env: NETSERVER_LISTEN]
    #[arg(long = "listen", id = "listen_before_subcommand")]
    pub listen: Option<String>,
    /// The tenant that user, app and audit work on (also after them) [env: NETSERVER_TENANT]
    #[arg(long = "tenant", id = "tenant_before_subcommand")]
    pub tenant: Option<String>,
}

/// `--config` and `--database`, for the subcommands that open the store.
#[derive(Debug, Clone, Args)]
pub struct StoreFlags {
    #[command(flatten)]
    pub config: ConfigFlag,
    /// Store URL: sqlite://PATH (the file is created if missing, its directory must exist)
    /// or postgres://USER[:PASSWORD]@HOST[:PORT]/DB [env: NETSERVER_DATABASE] [default:
    /// sqlite://netserver.db]
    #[arg(long, global = true)]
    pub database: Option<String>,
}

/// `--config` alone, for the subcommands that read the configuration but no store.
#[derive(Debug, Clone, Args)]
pub struct ConfigFlag {
    /// TOML configuration file [env: NETSERVER_CONFIG]
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
}

/// `--tenant`, for the subcommands that work inside one tenant.
#[derive(Debug, Args)]
pub struct TenantFlag {
    /// The tenant (customer) to work on [env: NETSERVER_TENANT] [default: the default
    /// tenant, which serves paths without a customer segment]
    #[arg(long, global = true)]
    pub tenant: Option<String>,
}

/// A hidden `--tenant` on the subcommands it means nothing to, so that it is refused
/// with the reason rather than with clap's "unexpected argument".
#[derive(Debug, Args)]
pub struct NoTenant {
    #[arg(long, hide = true, global = true)]
    pub tenant: Option<String>,
}

/// `--listen`.
#[derive(Debug, Args)]
pub struct ListenFlag {
    /// Address to listen on [env: NETSERVER_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long)]
    pub listen: Option<String>,
}

/// Whether a subcommand reads a setting, with the value given after the subcommand.
pub enum Slot<T> {
    Used(Option<T>),
    /// Not read; `why` tells the user what the subcommand does instead, `given` is a
    /// value given after the subcommand through a hidden flag.
    Unused {
        why: &'static str,
        given: Option<T>,
    },
}

/// What one subcommand reads of the shared settings.
pub struct Wants {
    /// The subcommand as typed, for messages (`user list`).
    pub command: &'static str,
    pub config: Slot<PathBuf>,
    pub database: Slot<String>,
    pub listen: Slot<String>,
    pub tenant: Slot<String>,
}

/// Resolved shared options: flag (before or after the subcommand) or environment, then
/// the configuration file, then the default.
pub struct Resolved {
    pub listen: String,
    pub database: String,
    pub file: FileConfig,
    /// `--tenant`, if given.
    pub tenant: Option<String>,
}

impl Resolved {
    /// The domain service over the configured store, with the configured KDF and policy.
    pub async fn accounts(&self) -> Result<accounts::Accounts, CliError> {
        let store = self.store().await?;
        self.domain(store)
    }

    /// The configured store, opened (and migrated) with the configured options.
    pub async fn store(&self) -> Result<Arc<dyn Store>, CliError> {
        let options = self.file.store_options()?;
        Ok(crate::wiring::open_store(&self.database, &options).await?)
    }

    /// As [`Resolved::accounts`], for commands that only read: a SQLite file is opened
    /// read-only (it must exist; nothing is created or migrated).
    pub async fn accounts_read_only(&self) -> Result<accounts::Accounts, CliError> {
        let options = self.file.store_options()?;
        let store = crate::wiring::open_store_read_only(&self.database, &options).await?;
        self.domain(store)
    }

    /// The domain service over `store`, with the configured KDF and policy.
    pub fn domain(&self, store: Arc<dyn Store>) -> Result<accounts::Accounts, CliError> {
        Ok(crate::wiring::domain(
            store,
            self.file.kdf()?,
            self.file.kdf_workers()?,
            self.file.settings()?,
        )?)
    }

    /// The tenant `--tenant` names (the default tenant without it); an unknown name is an error.
    pub async fn tenant(
        &self,
        accounts: &accounts::Accounts,
    ) -> Result<accounts::TenantId, CliError> {
        Ok(accounts.resolve_tenant(self.tenant.as_deref()).await?)
    }
}

impl Global {
    pub fn resolve(&self, wants: Wants) -> Result<Resolved, CliError> {
        let cmd = wants.command;
        let config = pick(
            cmd,
            "config",
            "NETSERVER_CONFIG",
            &self.config,
            wants.config,
        )?;
        let database = pick(
            cmd,
            "database",
            "NETSERVER_DATABASE",
            &self.database,
            wants.database,
        )?;
        let listen = pick(
            cmd,
            "listen",
            "NETSERVER_LISTEN",
            &self.listen,
            wants.listen,
        )?;
        let tenant = pick(
            cmd,
            "tenant",
            "NETSERVER_TENANT",
            &self.tenant,
            wants.tenant,
        )?;
        let file = match &config {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        Ok(Resolved {
            listen: listen
                .or_else(|| file.listen.clone())
                .unwrap_or_else(|| DEFAULT_LISTEN.to_owned()),
            database: database
                .or_else(|| file.database.clone())
                .unwrap_or_else(|| DEFAULT_DATABASE.to_owned()),
            file,
            tenant,
        })
    }
}

/// One setting: the flag before or after the subcommand (not both), else the variable;
/// refused when the subcommand does not read it.
fn pick<T: Clone + From<String>>(
    command: &str,
    flag: &str,
    variable: &str,
    before: &Option<T>,
    slot: Slot<T>,
) -> Result<Option<T>, CliError> {
    match slot {
        Slot::Unused { why, given } => match before.is_some() || given.is_some() {
            true => Err(CliError::Failed(format!(
                "--{flag} means nothing to `netserver {command}`: {why}"
            ))),
            false => Ok(None),
        },
        Slot::Used(after) => match (before, after) {
            (Some(_), Some(_)) => Err(CliError::Failed(format!(
                "--{flag} is given twice, before and after `{command}`; give it once"
            ))),
            (Some(v), None) => Ok(Some(v.clone())),
            (None, Some(v)) => Ok(Some(v)),
            (None, None) => Ok(std::env::var(variable)
                .ok()
                .filter(|v| !v.is_empty())
                .map(T::from)),
        },
    }
}
