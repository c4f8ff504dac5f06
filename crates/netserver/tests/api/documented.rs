//! What README.md and docs/errors.md promise, checked over the real interfaces: the
//! README's administration and client examples work as printed on a new store, and the
//! error codes the errors page names appear where it says they do.

use std::path::Path;
use std::process::{Command, Stdio};

use accounts::Right;

use crate::helpers::*;
use crate::support::{bootstrap_password, err, out, run_with_stdin, serve_to, Env};

const README: &str = include_str!("../../../../README.md");

/// The first fenced block after the heading `section`.
fn block_after(section: &str) -> &'static str {
    let from = README.find(section).expect("the section") + section.len();
    let open = from + README[from..].find("```").expect("a fenced block");
    let body = open + README[open..].find('\n').expect("its first line") + 1;
    let close = body + README[body..].find("\n```").expect("its end");
    &README[body..close]
}

/// A command line of the README's block as arguments to the binary: comment dropped,
/// `$(…)` unwrapped, the example address and `$TICKET` replaced.
fn arguments(line: &str, url: &str, ticket: &str) -> Vec<String> {
    let line = line.split("  #").next().unwrap().trim();
    let line = match line.find("$(") {
        Some(at) => line[at + 2..].trim_end_matches(')'),
        None => line,
    };
    line.split_whitespace()
        .skip(1) // `netserver`
        .map(|a| {
            a.trim_matches('"')
                .replace("$TICKET", ticket)
                .replace("http://127.0.0.1:8080", url)
        })
        .collect()
}

/// Runs the README command `line` (its prompt answered on standard input) and returns
/// what it printed; it must succeed.
fn run_readme_line(env: &Env, line: &str, url: &str, ticket: &str, stdin: &str) -> String {
    let mut args = arguments(line, url, ticket);
    args.push("--password-stdin".into()); // each of them prompts
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = env.run(&args, stdin);
    assert!(
        done.status.success(),
        "{line}\n{}{}",
        out(&done),
        err(&done)
    );
    out(&done)
}

/// The "Administer users" block as a shell runs it, `netserver` being the binary under
/// test; a command that prompts reads its password from standard input instead.
fn administer_as_printed(env: &Env) {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_netserver")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for line in block_after("## Administer users").lines() {
        let (command, comment) = line.split_once("  #").unwrap_or((line, ""));
        let mut command = command.trim().to_owned();
        if comment.contains("prompts") {
            command.push_str(" --password-stdin");
        }
        let shell = env.cmd();
        let mut sh = Command::new("sh");
        sh.current_dir(env.dir.path()).env("PATH", &path);
        for (key, value) in shell.get_envs() {
            match value {
                Some(value) => sh.env(key, value),
                None => sh.env_remove(key),
            };
        }
        let done = run_with_stdin(sh.args(["-c", &command]), "tulip-harbour-first-8\n");
        assert!(done.status.success(), "{command}\n{}", err(&done));
    }
}

#[test]
fn the_readmes_examples_work_as_printed_on_a_new_store() {
    let env = Env::new();
    let (_server, url, lines) = serve_to(&env, Stdio::null(), "info");
    let first = bootstrap_password(&env.password_file(), &lines);
    administer_as_printed(&env);

    let block = block_after("## Be a client");
    let commands: Vec<&str> = block.lines().filter(|l| l.contains("netserver ")).collect();
    assert_eq!(commands.len(), 3, "{block}");
    assert!(commands[0].contains("client login"), "{block}");
    let ticket = run_readme_line(&env, commands[0], &url, "", &format!("{first}\n"));
    let ticket = ticket.trim().to_owned();
    assert!(commands[1].contains("client change-password"), "{block}");
    run_readme_line(
        &env,
        commands[1],
        &url,
        &ticket,
        &format!("{first}\nreadme-own-password-6\n"),
    );
    assert!(commands[2].contains("client set-password"), "{block}");
    let set = run_readme_line(&env, commands[2], &url, &ticket, "readme-new-password-7\n");
    assert!(set.contains("Response: true"), "{set}");

    // The curl example after it, with the same ticket.
    let curl = block_after("With `curl`");
    let path = curl
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://127.0.0.1:8080"))
        .expect("the curl URL");
    let headers: Vec<(&str, &str)> = curl
        .split("-H '")
        .skip(1)
        .map(|h| h.split('\'').next().unwrap().split_once(": ").unwrap())
        .collect();
    let start = curl.find("<<XML\n").expect("the here-document") + "<<XML\n".len();
    let end = start + curl[start..].find("\nXML").expect("its end");
    let envelope = curl[start..end].replace("$TICKET", &ticket);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let reply = runtime.block_on(async {
        let mut request = reqwest::Client::new()
            .post(format!("{url}{path}"))
            .body(envelope);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send().await.unwrap().text().await.unwrap()
    });
    assert!(
        reply.contains(">true</Succeeded>") && reply.contains("<Response>true</Response>"),
        "{reply}"
    );
}

fn from_name(op: &str, fields: &[(&str, &str)]) -> String {
    let inner: String = fields
        .iter()
        .map(|(k, v)| format!("<{k}>{v}</{k}>"))
        .collect();
    format!("<{op} xmlns=\"{NS}\">{inner}</{op}>")
}

#[tokio::test]
async fn soap_answers_associate_name_not_found_for_the_from_name_operations() {
    let app = spawn_app().await;
    let ticket = app.admin_ticket().await;
    for (op, fields) in [
        (
            "SetPasswordFromName",
            &[("AssociateName", "nobody"), ("Password", "fresh-secret-2")][..],
        ),
        (
            "ChangePasswordFromName",
            &[
                ("AssociateName", "nobody"),
                ("OldPassword", "old-secret-3"),
                ("NewPassword", "fresh-secret-4"),
            ][..],
        ),
        (
            "SetGeneratedPasswordFromName",
            &[("AssociateName", "nobody")][..],
        ),
    ] {
        let reply = app
            .soap11("User", op, &from_name(op, fields), Some(&ticket))
            .await;
        let answer = Answer::read(&reply);
        assert_eq!(
            answer.exception_type.as_deref(),
            Some("SoNotFoundException"),
            "{op}: {}",
            answer.body
        );
        assert!(
            answer
                .body
                .contains("<Value>associate_name_not_found</Value>"),
            "{op}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn caller_retired_answers_a_ticket_that_outlived_its_owners_retirement() {
    let app = spawn_app().await;
    app.add_user("carol", &[Right::AdminUsers], "c-secret-pw-1")
        .await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let ticket = app.login("carol", "c-secret-pw-1").await.unwrap();
    // Retired outside `user retire`, which would have revoked the ticket with it.
    let db = rusqlite::Connection::open(&app.db_path).unwrap();
    db.execute("UPDATE associates SET retired = 1 WHERE name = 'carol'", [])
        .unwrap();
    let answer = app
        .set_password(Some(&ticket), &bob, "fresh-secret-5")
        .await;
    answer.assert_exception("SoInvalidTicketException");
    assert!(
        answer.body.contains("<Value>caller_retired</Value>"),
        "{}",
        answer.body
    );
    // Through the store's own retirement the ticket goes with its owner: ticket_invalid.
    let dave = app
        .add_user("dave", &[Right::AdminUsers], "d-secret-pw-1")
        .await;
    let ticket = app.login("dave", "d-secret-pw-1").await.unwrap();
    let tenant = accounts::DEFAULT_TENANT;
    app.accounts
        .retire_user(tenant, "dave", accounts::Timestamp::now())
        .await
        .unwrap();
    let answer = app
        .set_password(Some(&ticket), &bob, "fresh-secret-6")
        .await;
    answer.assert_exception("SoInvalidTicketException");
    assert!(
        answer.body.contains("<Value>ticket_invalid</Value>"),
        "{} (dave {dave})",
        answer.body
    );
}
