//! The `netserver` binary as an operator uses it: admin verbs on a store, `serve`, and
//! the SOAP client subcommands against the served port.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_netserver");

/// A working directory with a configuration file, in which the binary runs.
pub(crate) struct Env {
    pub dir: tempfile::TempDir,
    /// The store's URL; a SQLite file in `dir` unless set.
    pub database: Option<String>,
}

impl Env {
    pub fn new() -> Env {
        // Cheap hashing for tests only; the server's defaults are OWASP's.
        Env::with_config("[kdf]\nmemory_kib = 8\niterations = 1\n")
    }

    pub fn with_config(config: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("netserver.toml"), config).unwrap();
        Env {
            dir,
            database: None,
        }
    }

    pub(crate) fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.current_dir(self.dir.path())
            .env_remove("NETSERVER_LISTEN")
            .env_remove("NETSERVER_DATABASE")
            .env("NETSERVER_CONFIG", self.dir.path().join("netserver.toml"))
            .env(
                "NETSERVER_DATABASE",
                self.database
                    .clone()
                    .unwrap_or_else(|| format!("sqlite://{}", self.db().display())),
            );
        c
    }

    pub(crate) fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("store.db")
    }

    /// Where `serve` writes the first administrator's password when its standard output
    /// is not a terminal: beside the SQLite file, else in the working directory.
    pub(crate) fn password_file(&self) -> std::path::PathBuf {
        match &self.database {
            None => self.dir.path().join("store.db.admin-password"),
            Some(_) => self.dir.path().join("netserver-admin-password"),
        }
    }

    /// `netserver client set-password` against `url`, the password on standard input.
    pub fn set_password(
        &self,
        url: &str,
        ticket: &str,
        id: &str,
        extra: &[&str],
        password: impl AsRef<str>,
    ) -> Output {
        let mut args = vec![
            "client",
            "set-password",
            "--url",
            url,
            "--ticket",
            ticket,
            "--associate-id",
            id,
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        self.run(&args, password.as_ref())
    }

    /// `netserver client login` at `url` as `user`, the password on standard input.
    pub fn login(&self, url: &str, user: &str, extra: &[&str], password: &str) -> Output {
        let mut args = vec![
            "client",
            "login",
            "--url",
            url,
            "--user",
            user,
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        self.run(&args, &format!("{password}\n"))
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        run_with_stdin(self.cmd().args(args), stdin)
    }
}

/// Runs `cmd` with `stdin` as its standard input and collects what it printed.
pub(crate) fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    // A command that stops before it reads (a refused configuration, say) closes its end
    // first; what it printed is still the answer to check.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

pub(crate) fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn user_add_list_retire() {
    let env = Env::new();
    let o = env.run(
        &[
            "user",
            "add",
            "bob",
            "--password-stdin",
            "--rights",
            "admin-users",
            "--full-name",
            "Bob Builder",
        ],
        "b-secret-pw-1\n",
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("Created associate 'bob' with id 1"),
        "{}",
        out(&o)
    );
    let list = env.run(&["user", "list"], "");
    let text = out(&list);
    assert!(
        text.contains("bob")
            && text.contains("Bob Builder")
            && text.contains("admin-users")
            && text.contains("active"),
        "{text}"
    );
    let o = env.run(&["user", "retire", "BOB"], "");
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&env.run(&["user", "list"], "")).contains("retired"));
    assert!(!std::fs::read(env.db())
        .unwrap()
        .windows(b"b-secret-pw-1".len())
        .any(|w| w == b"b-secret-pw-1"));
}

#[test]
fn user_errors_are_specific() {
    let env = Env::new();
    assert!(env
        .run(
            &["user", "add", "bob", "--password-stdin"],
            "b-secret-pw-1\n"
        )
        .status
        .success());
    let dup = env.run(
        &["user", "add", "BOB", "--password-stdin"],
        "b-secret-pw-1\n",
    );
    assert!(!dup.status.success());
    assert!(err(&dup).contains("already taken"), "{}", err(&dup));
    let short = env.run(&["user", "add", "carl", "--password-stdin"], "short\n");
    assert!(err(&short).contains("shorter than 8"), "{}", err(&short));
    let right = env.run(
        &["user", "add", "dan", "--rights", "root", "--password-stdin"],
        "d-secret-pw-1\n",
    );
    assert!(
        err(&right).contains("unknown functional right 'root'"),
        "{}",
        err(&right)
    );
    let nobody = env.run(&["user", "retire", "nobody"], "");
    assert!(
        err(&nobody).contains("no associate named 'nobody'"),
        "{}",
        err(&nobody)
    );
    let bad_db = env.run(&["user", "list", "--database", "mysql://x"], "");
    assert!(err(&bad_db).contains("mysql"), "{}", err(&bad_db));
}

#[test]
fn a_bad_config_file_is_reported() {
    let env = Env::new();
    std::fs::write(env.dir.path().join("netserver.toml"), "colour = 1\n").unwrap();
    let o = env.run(&["user", "list"], "");
    assert!(!o.status.success());
    assert!(err(&o).contains("colour"), "{}", err(&o));
}

pub(crate) struct Server(pub Child);

/// Stopped as an operator stops it, with SIGINT, so that it flushes its log; killed if it
/// has not stopped within 5 s.
impl Drop for Server {
    fn drop(&mut self) {
        let interrupted = Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if interrupted {
            for _ in 0..100 {
                if matches!(self.0.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` on port 0 and returns the base URL and the first lines it printed.
pub(crate) fn serve(env: &Env) -> (Server, String, Vec<String>) {
    serve_to(env, Stdio::null(), "info")
}

/// As `serve`, logging at `level` to `stderr`.
pub(crate) fn serve_to(env: &Env, stderr: Stdio, level: &str) -> (Server, String, Vec<String>) {
    serve_command(env.cmd(), stderr, level)
}

/// As `serve_to`, with a command prepared by the caller (e.g. another database).
pub(crate) fn serve_command(
    mut cmd: Command,
    stderr: Stdio,
    level: &str,
) -> (Server, String, Vec<String>) {
    let child = cmd
        .env("NETSERVER_LOG", level)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let mut lines = Vec::new();
    let mut reader = BufReader::new(stdout);
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "serve exited: {lines:?}"
        );
        lines.push(line.trim_end().to_owned());
        if let Some(url) = line.trim_end().strip_prefix("netserver listening on ") {
            return (server, url.to_owned(), lines);
        }
    }
}

/// The first administrator's password, from the file `serve` wrote it to (standard
/// output is a pipe here, not a terminal); the lines must name the file.
pub(crate) fn bootstrap_password(file: &Path, lines: &[String]) -> String {
    let shown = file.display().to_string();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Its password is in ") && l.contains(&shown)),
        "{lines:?}"
    );
    std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{shown}: {e}"))
        .trim_end()
        .to_owned()
}

/// `client login` then `client change-password` as the first administrator; returns the
/// new password. `extra` goes to both (e.g. an application token).
pub(crate) fn change_admin_password(env: &Env, url: &str, old: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "client",
        "login",
        "--url",
        url,
        "--user",
        "admin",
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    let login = env.run(&args, &format!("{old}\n"));
    assert!(login.status.success(), "{}", err(&login));
    let ticket = out(&login).trim().to_owned();
    let new = "first-own-Password-5";
    let mut args = vec![
        "client",
        "change-password",
        "--url",
        url,
        "--ticket",
        &ticket,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    let change = env.run(&args, &format!("{old}\n{new}\n"));
    assert!(change.status.success(), "{}", err(&change));
    new.to_owned()
}

#[test]
fn serve_bootstraps_an_admin_and_the_client_subcommands_use_it() {
    let env = Env::new();
    let (_server, url, lines) = serve(&env);
    let password = bootstrap_password(&env.password_file(), &lines);
    assert!(password.len() >= 20);
    let password = change_admin_password(&env, &url, &password, &[]);

    let login = env.login(&url, "admin", &[], &password);
    assert!(login.status.success(), "{}", err(&login));
    let ticket = out(&login).trim().to_owned();
    assert!(ticket.starts_with("7T:"));

    let set = env.set_password(&url, &ticket, "1", &[], "brand-new-password\n");
    assert!(set.status.success(), "{}", err(&set));
    assert!(out(&set).contains("Response: true"));

    let again = env.login(&url, "admin", &["--soap12"], "brand-new-password");
    assert!(again.status.success(), "{}", err(&again));
    let old = env.login(&url, "admin", &[], &password);
    assert!(!old.status.success());
    assert!(err(&old).contains("log-in failed"));

    let bad = env.set_password(&url, "7T:bm9wZQ==", "1", &[], "another-password\n");
    assert!(!bad.status.success());
    assert!(out(&bad).contains("Response: false"));
    assert!(
        err(&bad).contains("SoInvalidTicketException"),
        "{}",
        err(&bad)
    );
}

#[test]
fn a_second_serve_does_not_bootstrap_again() {
    let env = Env::new();
    let o = env.run(
        &["user", "add", "first", "--password-stdin"],
        "f1-secret-pw-9\n",
    );
    assert!(o.status.success());
    let (_server, _url, lines) = serve(&env);
    assert!(
        !lines.iter().any(|l| l.contains("Created associate")),
        "{lines:?}"
    );
    assert!(Path::new(&env.db()).exists());
    assert!(!env.password_file().exists());
}
