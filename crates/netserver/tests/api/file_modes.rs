//! The SQLite store's files (database, `-wal`, `-shm`) are created readable by their
//! owner only, and `serve` warns about an existing store others can read.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use crate::support::{err, serve_to, Env};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn companion(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[test]
fn user_add_creates_the_store_owner_only() {
    let env = Env::new();
    let o = env.run(
        &["user", "add", "bob", "--password-stdin"],
        "b-secret-pw-1\n",
    );
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(mode(&env.db()), 0o600);
}

#[test]
fn serve_creates_the_store_and_its_wal_files_owner_only() {
    let env = Env::new();
    let (server, _url, _) = serve_to(&env, Stdio::null(), "warn");
    // While it runs the write-ahead log and its index exist beside the database.
    for file in [
        env.db(),
        companion(&env.db(), "-wal"),
        companion(&env.db(), "-shm"),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    drop(server);
}

#[test]
fn serve_warns_about_a_store_others_can_read() {
    let env = Env::new();
    let o = env.run(
        &["user", "add", "bob", "--password-stdin"],
        "b-secret-pw-1\n",
    );
    assert!(o.status.success(), "{}", err(&o));
    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (server, _url, _) = serve_to(&env, Stdio::from(log), "warn");
    drop(server);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("readable by other local users") && log.contains("0644"),
        "{log}"
    );
    assert!(log.contains(&env.db().display().to_string()), "{log}");
    // The operator's choice is reported, not overridden.
    assert_eq!(mode(&env.db()), 0o644);
}
