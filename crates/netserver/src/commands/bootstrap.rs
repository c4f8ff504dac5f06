//! The first administrator of an empty store, made by `serve`: `admin` with `admin-all`,
//! a random password, and must-change, so that the password shown once is never the
//! one in use.
//!
//! Where the password goes depends on who reads standard output. A terminal is the
//! operator: it is printed there. Anything else (systemd's journal, `serve > log`, a
//! pipe) may be kept and read by others, so the password goes to a file readable by this
//! user only (mode 0600, created exclusively, never overwritten), and standard output and
//! the log name only the file: beside a SQLite store `<database file>.admin-password`,
//! for PostgreSQL or an in-memory store `netserver-admin-password` in the working
//! directory. Then come the two commands that change it, for the mode in force.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use accounts::{Accounts, Associate, Mode, Secret, Timestamp, DEFAULT_TENANT};

use crate::cli::{CliError, Resolved};
use crate::output::outln;

/// The password file's name in the working directory when the store is not a file.
pub const PASSWORD_FILE: &str = "netserver-admin-password";

/// Makes the first administrator if the store has no users, and tells the operator how
/// to reach it; `url` is the server's base address for the printed commands.
pub async fn first_admin(cfg: &Resolved, accounts: &Accounts, url: &str) -> Result<(), CliError> {
    let to_terminal = std::io::stdout().is_terminal();
    let relative = password_file(&cfg.database);
    // Named absolutely: the operator reads the path elsewhere than in our directory.
    let file = std::path::absolute(&relative).unwrap_or(relative);
    if !to_terminal && file.exists() && store_is_empty(accounts).await? {
        // Left by an earlier first start: refuse before anything is created.
        return Err(CliError::Failed(format!(
            "{} already exists, from an earlier first start: read it, then move or delete it, and start again",
            file.display()
        )));
    }
    let Some((admin, password)) = accounts
        .bootstrap_admin(DEFAULT_TENANT, Timestamp::now(), true)
        .await?
    else {
        return Ok(());
    };
    outln!(
        "Created associate '{}' (id {}) with right admin-all; it must change its password at its first log-in.",
        admin.name, admin.id
    );
    if to_terminal {
        // Printed once, to the operator's terminal only; it never reaches the log.
        outln!("Its password, shown only now: {}", password.expose());
    } else {
        write_password(&file, &password).map_err(|e| {
            CliError::Failed(format!(
                "the first administrator '{}' was made, but its password could not be written to {}: {e}",
                admin.name,
                file.display()
            ))
        })?;
        tracing::info!(file = %file.display(), "the first administrator's password was written to a file");
        outln!(
            "Its password is in {} (readable by this user only); delete the file once read.",
            file.display()
        );
    }
    let from_file = (!to_terminal).then_some(file.as_path());
    let steps = next_steps(
        &admin,
        cfg.file.settings()?.mode,
        user_agent_on(cfg)?,
        url,
        from_file,
    );
    for line in steps {
        outln!("{line}");
    }
    Ok(())
}

async fn store_is_empty(accounts: &Accounts) -> Result<bool, CliError> {
    Ok(accounts.user_count(DEFAULT_TENANT).await? == 0)
}

fn user_agent_on(cfg: &Resolved) -> Result<bool, CliError> {
    Ok(cfg.file.settings()?.user_agent_enabled)
}

/// Where the password goes when standard output is not a terminal (see the module doc).
pub fn password_file(database: &str) -> PathBuf {
    match store::sqlite_file(database) {
        Some(db) => {
            let mut name = db.into_os_string();
            name.push(".admin-password");
            name.into()
        }
        None => PathBuf::from(PASSWORD_FILE),
    }
}

/// Creates `file` (it must not exist) readable and writable by this user only, with the
/// password and a newline, so that `--password-stdin < file` reads it.
fn write_password(file: &Path, password: &Secret) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(file)?;
    writeln!(f, "{}", password.expose())?;
    f.sync_all()
}

/// The commands that log in and change the password, as they work in `mode`; the log-in
/// reads the password from `file` when it went there.
fn next_steps(
    admin: &Associate,
    mode: Mode,
    user_agent_on: bool,
    url: &str,
    file: Option<&Path>,
) -> Vec<String> {
    let token = match mode {
        Mode::Onsite => "",
        Mode::Online => " --app-token <token>",
    };
    let from = file.map_or_else(String::new, |f| {
        format!(
            " --password-stdin < {}",
            shell_word(&f.display().to_string())
        )
    });
    let mut lines = vec![
        "Log in, then change the password (the second command asks for the current password and a new one):".to_owned(),
        format!("  netserver client login --url {url} --user {}{token}{from}", admin.name),
        format!(
            "  netserver client change-password --url {url} --ticket <the ticket the first command printed>{token}"
        ),
    ];
    if mode == Mode::Online {
        lines.push(
            "In Online mode both need the token of an application with user management; \
             `netserver app add NAME --user-management` makes one."
                .to_owned(),
        );
        if !user_agent_on {
            lines.push(
                "The User agent is off: set [online] user_agent_enabled = true, or the second command is refused."
                    .to_owned(),
            );
        }
    }
    lines
}

/// `word` as one shell word: as it is when it holds only safe characters, else quoted.
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_file_sits_beside_a_sqlite_store_else_in_the_working_directory() {
        assert_eq!(
            password_file("sqlite:///var/lib/ns/netserver.db"),
            PathBuf::from("/var/lib/ns/netserver.db.admin-password")
        );
        assert_eq!(
            password_file("postgres://u@db/ns"),
            PathBuf::from(PASSWORD_FILE)
        );
        assert_eq!(
            password_file("sqlite::memory:"),
            PathBuf::from(PASSWORD_FILE)
        );
    }

    #[test]
    fn paths_are_quoted_for_the_shell_when_needed() {
        assert_eq!(
            shell_word("/a/b.db.admin-password"),
            "/a/b.db.admin-password"
        );
        assert_eq!(shell_word("/my dir/x"), "'/my dir/x'");
        assert_eq!(shell_word("/it's"), "'/it'\\''s'");
    }
}
