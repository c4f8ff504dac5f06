//! Running the `netserver` binary as an operator does, for the tests that go through
//! it: a working directory with a configuration (`Env`), commands with a given standard
//! input and their output, and `serve` on port 0 with its first administrator.

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
    let login = env.login(url, "admin", extra, old);
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
