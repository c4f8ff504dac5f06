//! What opening a SQLite file checks: its directory exists (the file is created, never
//! a directory: a mistyped path must not quietly become a new, empty installation), the
//! process may write the file and its directory (WAL mode keeps `-wal` and `-shm` files
//! beside the database) or, for commands that only read, a read-only open of an existing
//! file at this build's schema, which writes nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, DatabaseName, ErrorCode};

use super::error::describe;
use super::pool::{self, Access, Pool};
use super::{migrate, SqliteStore};
use crate::error::OpenError;

impl SqliteStore {
    /// Opens an existing file read-only: nothing is created, migrated or written (every
    /// write through the store fails), so a write-protected file or directory still serves
    /// the commands that only read. The file must be at this build's schema.
    ///
    /// Blocking: from async code use [`crate::open_read_only`].
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, OpenError> {
        directory(path)?;
        if !path.exists() {
            return Err(OpenError::NoDatabase {
                path: path.to_path_buf(),
            });
        }
        let opened = match first_read(path, Access::ReadOnly) {
            // A WAL database needs its `-shm` file even to be read; where it cannot be
            // created (a write-protected directory) and no `-wal` holds changes yet to be
            // copied into the file, the file alone is the whole database.
            Err(e) if refused_a_write(&e) && !companion(path, "-wal").exists() => {
                first_read(path, Access::Immutable).map(|c| (c, Access::Immutable))
            }
            other => other.map(|c| (c, Access::ReadOnly)),
        };
        let (conn, access) = opened.map_err(|e| OpenError::Open {
            path: path.to_path_buf(),
            detail: describe(&e),
        })?;
        migrate::check_current(&conn)?;
        Ok(SqliteStore {
            pool: Arc::new(Pool::file(
                path.to_path_buf(),
                conn,
                pool::MAX_FILE_CONNECTIONS,
                access,
            )),
        })
    }
}

/// A read-only connection that has read the schema once (the first read is where a
/// missing `-shm` shows).
fn first_read(path: &Path, access: Access) -> rusqlite::Result<Connection> {
    let conn = pool::connect_with(path, access)?;
    conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}

/// `PATH-wal` or `PATH-shm`.
fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The directory the file lives in, which must exist.
pub(super) fn directory(path: &Path) -> Result<PathBuf, OpenError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => Err(OpenError::NotADirectory { dir }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(OpenError::NoDirectory { dir }),
        Err(e) => Err(OpenError::Open {
            path: path.to_path_buf(),
            detail: format!("cannot read the directory {}: {e}", dir.display()),
        }),
    }
}

/// SQLite opens a write-protected file read-only without a word; a store opened for
/// writing must not start like that.
pub(super) fn check_writable(conn: &Connection, path: &Path, dir: &Path) -> Result<(), OpenError> {
    if conn.is_readonly(DatabaseName::Main).unwrap_or(false) {
        return Err(OpenError::NotWritable {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            detail: "the file is write-protected".into(),
        });
    }
    Ok(())
}

/// The error for a failed step of a read-write open: [`OpenError::NotWritable`] when
/// SQLite was refused a write (file or directory), else the step's own error.
pub(super) fn failed(
    path: &Path,
    dir: &Path,
    e: rusqlite::Error,
    step: impl FnOnce(PathBuf, String) -> OpenError,
) -> OpenError {
    if refused_a_write(&e) {
        OpenError::NotWritable {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            detail: describe(&e),
        }
    } else {
        step(path.to_path_buf(), describe(&e))
    }
}

fn refused_a_write(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}
