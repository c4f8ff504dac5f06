//! Who may read the SQLite files: the store holds password hashes, application-token
//! digests and the audit trail, so its files are the owner's alone (0600).
//!
//! A new database file is created here, exclusively and with mode 0600, before SQLite
//! opens it; SQLite then gives the `-wal` and `-shm` files it creates the main file's
//! mode (it copies the permissions of the database file for its companions). An existing
//! file is left as the operator set it, with a warning when group or others may read it.

use std::path::{Path, PathBuf};

/// The mode of every file of a new store.
pub(crate) const STORE_FILE_MODE: u32 = 0o600;

/// Creates `path` empty with mode 0600 unless it exists (another process may create it
/// at the same moment: then that one's file is used). Warns about an existing file, or
/// companion, that group or others can read. A file that cannot be created here cannot
/// be created by SQLite either: its open, which follows, says why.
pub(crate) fn prepare(path: &Path) {
    match create_private(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => warn_if_shared(path),
        Err(e) => {
            tracing::debug!(path = %path.display(), error = %e, "cannot create the store file")
        }
    }
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(STORE_FILE_MODE)
        .open(path)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private(_path: &Path) -> std::io::Result<()> {
    // No Unix modes to set: SQLite creates the file itself.
    Ok(())
}

/// The files of the store at `path` (the database and the companions that exist) that
/// group or others may read, with their modes.
#[cfg(unix)]
pub(crate) fn shared_files(path: &Path) -> Vec<(PathBuf, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        files.push(PathBuf::from(companion));
    }
    files
        .into_iter()
        .filter_map(|file| {
            let mode = std::fs::metadata(&file).ok()?.permissions().mode() & 0o777;
            (mode & 0o077 != 0).then_some((file, mode))
        })
        .collect()
}

#[cfg(not(unix))]
pub(crate) fn shared_files(_path: &Path) -> Vec<(PathBuf, u32)> {
    Vec::new()
}

fn warn_if_shared(path: &Path) {
    for (file, mode) in shared_files(path) {
        tracing::warn!(
            file = %file.display(),
            mode = format_args!("{mode:04o}"),
            "the store file is readable by other local users; restrict it with chmod 600"
        );
    }
}
