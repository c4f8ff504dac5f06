//! The first administrator `serve` makes on an empty store, when standard output is not
//! a terminal (a pipe here, as under systemd or `serve > log`): its password goes to a
//! file readable by the owner only and never to standard output or the log, it must be
//! changed at the first log-in, and the two commands printed do that as printed.

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use crate::support::{bootstrap_password, err, out, serve_to, Env};

/// Runs one printed `netserver client …` line (whose `--url` must be `url`), `ticket` for
/// the ticket placeholder, and the file after `<` (if any) plus `stdin` as standard input.
fn run_printed(
    env: &Env,
    line: &str,
    url: &str,
    ticket: &str,
    stdin: &str,
) -> std::process::Output {
    let (command, redirect) = match line.split_once(" < ") {
        Some((command, file)) => (command, Some(file.trim())),
        None => (line, None),
    };
    let command = command.replace("<the ticket the first command printed>", ticket);
    let mut words: Vec<String> = command
        .split_whitespace()
        .skip(1) // `netserver`
        .map(str::to_owned)
        .collect();
    let at = words.iter().position(|w| w == "--url").unwrap() + 1;
    assert_eq!(words[at], url, "the printed URL is the one served: {line}");
    let mut input = redirect.map_or_else(String::new, |f| std::fs::read_to_string(f).unwrap());
    input.push_str(stdin);
    if redirect.is_none() && !words.iter().any(|w| w == "--password-stdin") {
        words.push("--password-stdin".into());
    }
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    env.run(&args, &input)
}

#[test]
fn the_password_goes_to_an_owner_only_file_and_must_be_changed_first() {
    let env = Env::new();
    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (server, url, lines) = serve_to(&env, Stdio::from(log), "info");
    let file = env.password_file();
    let password = bootstrap_password(&file, &lines);
    assert!(password.len() >= 20, "{password}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        !lines.iter().any(|l| l.contains(&password)),
        "the password reached standard output: {lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("must change its password")),
        "{lines:?}"
    );

    // The printed commands, run as printed: log in, then change the password.
    let commands: Vec<&String> = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("netserver client"))
        .collect();
    assert_eq!(commands.len(), 2, "{lines:?}");
    assert!(commands[0].contains(" login ") && commands[1].contains(" change-password "));
    assert!(
        !commands.iter().any(|c| c.contains("--app-token")),
        "{commands:?}"
    );
    let login = run_printed(&env, commands[0], &url, "", "");
    assert!(login.status.success(), "{}", err(&login));
    let ticket = out(&login).trim().to_owned();

    // Until it changes its password, the administrator can do nothing else.
    let set = env.set_password(&url, &ticket, "1", &[], "Granite-choice-44\n");
    assert!(!set.status.success());
    assert!(
        err(&set).contains("SoPasswordChangeRequiredException"),
        "{}",
        err(&set)
    );
    let new = "my-own-Password-31";
    let change = run_printed(
        &env,
        commands[1],
        &url,
        &ticket,
        &format!("{password}\n{new}\n"),
    );
    assert!(change.status.success(), "{}", err(&change));
    assert!(out(&change).contains("Response: true"), "{}", out(&change));
    let set = env.set_password(&url, &ticket, "1", &[], "Granite-choice-44\n");
    assert!(set.status.success(), "{}", err(&set));

    drop(server);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(!log.contains(&password), "the password reached the log");
    assert!(
        log.contains("password was written to a file") && log.contains(&file.display().to_string()),
        "{log}"
    );
}

#[test]
fn a_password_file_left_from_an_earlier_start_stops_serve_before_anything_is_made() {
    let env = Env::new();
    std::fs::write(env.password_file(), "old\n").unwrap();
    let o = env.run(&["serve", "--listen", "127.0.0.1:0"], "");
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.contains(&env.password_file().display().to_string()) && e.contains("already exists"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(env.password_file()).unwrap(),
        "old\n"
    );
    let list = out(&env.run(&["user", "list"], ""));
    assert!(!list.contains("admin"), "no administrator was made: {list}");
}

/// On a terminal (a pseudo-terminal from util-linux `script`) the password is shown there,
/// once, with the commands for a terminal (prompts, no file), and no file is written.
#[test]
fn on_a_terminal_the_password_is_shown_and_no_file_is_written() {
    use std::io::{BufRead, BufReader};
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(std::env::var_os("CI").is_none(), "`script` is needed");
        eprintln!("skipped: no `script` to give serve a terminal");
        return;
    }
    let env = Env::new();
    let serve = format!(
        "{} serve --listen 127.0.0.1:0",
        env!("CARGO_BIN_EXE_netserver")
    );
    let child = std::process::Command::new("script")
        .args(["-qefc", &serve, "/dev/null"])
        .current_dir(env.dir.path())
        .env("NETSERVER_CONFIG", env.dir.path().join("netserver.toml"))
        .env(
            "NETSERVER_DATABASE",
            format!("sqlite://{}", env.db().display()),
        )
        .env("NETSERVER_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = crate::support::Server(child);
    let mut reader = BufReader::new(server.0.stdout.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "serve exited: {lines:?}"
        );
        let line = line.trim_end().to_owned();
        let done = line.starts_with("netserver listening on ");
        lines.push(line);
        if done {
            break;
        }
    }
    drop(server);
    let password = lines
        .iter()
        .find_map(|l| l.strip_prefix("Its password, shown only now: "))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(password.len() >= 20, "{lines:?}");
    assert!(!env.password_file().exists());
    let login = lines
        .iter()
        .find(|l| l.contains("netserver client login"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(!login.contains("--password-stdin"), "{login}");
}
