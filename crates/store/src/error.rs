//! Errors from opening a store. Each message says what went wrong (URL, path, migration)
//! and never echoes a full database URL, only its scheme.

use std::path::PathBuf;

/// The URL forms [`crate::open`] understands, for error messages.
pub(crate) const SUPPORTED: &str =
    "supported: sqlite://PATH, sqlite::memory:, postgres://USER[:PASSWORD]@HOST[:PORT]/DB";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the database URL has no scheme ({SUPPORTED})")]
    MissingScheme,
    #[error("unsupported database URL scheme '{0}' ({SUPPORTED})")]
    UnsupportedScheme(String),
    #[error("malformed sqlite URL: {0} ({SUPPORTED})")]
    BadSqliteUrl(&'static str),
    #[error("malformed postgres URL ({SUPPORTED})")]
    BadPostgresUrl,
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(String),
    #[error("cannot create the directory {path}: {detail}")]
    CreateDir { path: PathBuf, detail: String },
    #[error("cannot open the SQLite database {path}: {detail}")]
    Open { path: PathBuf, detail: String },
    #[error("cannot configure the SQLite database {path}: {detail}")]
    Configure { path: PathBuf, detail: String },
    #[error("schema migration {version:04} failed: {detail}")]
    Migration { version: i64, detail: String },
    #[error(
        "the database schema is at version {found}, newer than this build knows ({known}); \
         upgrade netserver"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("the task opening the database failed: {0}")]
    Task(String),
}
