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
    /// The address and the cause, never the user or password.
    #[error("cannot connect to PostgreSQL {0}")]
    Connect(String),
    #[error(
        "the database URL asks for TLS (sslmode=require), which netserver does not support \
         yet: connect over a trusted network or a local socket with sslmode=disable or \
         sslmode=prefer"
    )]
    TlsUnsupported,
    #[error(
        "the directory {dir} does not exist: create it first (netserver creates the \
         database file, never directories)"
    )]
    NoDirectory { dir: PathBuf },
    #[error("{dir} is not a directory")]
    NotADirectory { dir: PathBuf },
    #[error(
        "there is no SQLite database at {path} (a command that writes, such as serve, \
         creates it)"
    )]
    NoDatabase { path: PathBuf },
    #[error(
        "cannot write the SQLite database {path} ({detail}): the file and its directory {dir} \
         must be writable (WAL mode keeps its -wal and -shm files beside the database); \
         commands that only read (user list, app list, tenant list, audit) open it read-only"
    )]
    NotWritable {
        path: PathBuf,
        dir: PathBuf,
        detail: String,
    },
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
    #[error(
        "the database schema is at version {found}, older than this build's ({known}); a \
         command that writes (such as serve) upgrades it"
    )]
    SchemaTooOld { found: i64, known: i64 },
    #[error("the task opening the database failed: {0}")]
    Task(String),
}
