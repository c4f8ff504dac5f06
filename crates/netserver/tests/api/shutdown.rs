//! The graceful stop of a real `netserver serve` process: SIGTERM in the middle of a
//! storm of password changes. Every change answered `true` is applied and every applied
//! change was answered (the audit records, written in the change's own transaction, carry
//! the operation ids the answers carried), the stored password is the last applied one,
//! the log says it stopped, and the process exits 0.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use argon2::{Argon2, PasswordHash, PasswordVerifier};

use crate::helpers::*;
use crate::support::{err, serve_to, Env};

const ADMIN_PW: &str = "storm-chief-secret-1";

/// One SetPassword as the client saw it.
#[derive(Debug)]
enum Seen {
    /// Answered `Response=true`, with the operation id of the answer.
    Applied { op_id: String, password: String },
    /// Answered otherwise (a refusal).
    Refused(String),
    /// No answer: the connection was refused or closed.
    Unanswered,
}

async fn change(client: &reqwest::Client, url: &str, ticket: &str, password: &str) -> Seen {
    let sent = client
        .post(format!("{url}/Remote/Services88/User.svc"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", format!("\"{NS}/User/SetPassword\""))
        .body(envelope(
            SOAP11,
            Some(ticket),
            &set_password_body("2", password),
        ))
        .send()
        .await;
    let Ok(resp) = sent else {
        return Seen::Unanswered;
    };
    let status = resp.status().as_u16();
    let op_id = resp
        .headers()
        .get("x-operation-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let Ok(body) = resp.text().await else {
        return Seen::Unanswered;
    };
    let answer = Answer::read(&Reply {
        status,
        content_type: String::new(),
        body,
    });
    match (answer.response.as_deref(), op_id) {
        (Some("true"), Some(op_id)) => Seen::Applied {
            op_id,
            password: password.to_owned(),
        },
        _ => Seen::Refused(answer.body),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_during_a_set_password_storm_answers_what_it_applies_and_exits_0() {
    // Hashing costly enough that changes are under way when the signal comes.
    let env = Env::with_config(
        "[kdf]\nmemory_kib = 2048\niterations = 2\nworkers = 2\n[lockout]\nthreshold = 0\n[http]\nshutdown_grace_seconds = 10\n",
    );
    for (name, pw, rights) in [
        ("admin", ADMIN_PW, &["--rights", "admin-all"][..]),
        ("target", "storm-first-secret-1", &[][..]),
    ] {
        let mut args = vec!["user", "add", name, "--password-stdin"];
        args.extend_from_slice(rights);
        let o = env.run(&args, &format!("{pw}\n"));
        assert!(o.status.success(), "{}", err(&o));
    }
    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (mut server, url, _) = serve_to(&env, Stdio::from(log), "info");
    let node = Node::new(url.clone());
    let ticket = node.login("admin", ADMIN_PW).await.expect("admin log-in");

    let mut storm = Vec::new();
    for k in 0..8 {
        let (url, ticket) = (url.clone(), ticket.clone());
        storm.push(tokio::spawn(async move {
            // One client each: several connections, each kept alive between changes.
            let client = reqwest::Client::new();
            let mut seen = Vec::new();
            for i in 0.. {
                let outcome = change(&client, &url, &ticket, &format!("storm-{k}-{i}-Pw9")).await;
                let stop = matches!(outcome, Seen::Unanswered);
                seen.push(outcome);
                if stop {
                    break;
                }
            }
            seen
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let term = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let mut seen = Vec::new();
    for task in storm {
        seen.extend(
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .expect("every client stops once the server is gone")
                .unwrap(),
        );
    }
    let status = tokio::task::spawn_blocking(move || {
        let status = server.0.wait().unwrap();
        // Reaped: its pid may be reused, so no signal from `Drop` must reach it.
        std::mem::forget(server);
        status
    })
    .await
    .unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");

    let refused: Vec<&String> = seen
        .iter()
        .filter_map(|s| match s {
            Seen::Refused(body) => Some(body),
            _ => None,
        })
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    let applied: Vec<(&str, &str)> = seen
        .iter()
        .filter_map(|s| match s {
            Seen::Applied { op_id, password } => Some((op_id.as_str(), password.as_str())),
            _ => None,
        })
        .collect();
    assert!(
        applied.len() >= 8,
        "the storm was under way: {}",
        applied.len()
    );
    let answered: BTreeSet<&str> = applied.iter().map(|(id, _)| *id).collect();

    // What the store applied: its audit records (same transaction as each change).
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let mut audited = db
        .prepare(
            "SELECT operation_id FROM audit WHERE operation = 'SetPassword' AND outcome = 'success' ORDER BY id",
        )
        .unwrap();
    let audited: Vec<String> = audited
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let audited_set: BTreeSet<&str> = audited.iter().map(String::as_str).collect();
    assert_eq!(audited.len(), audited_set.len());
    assert_eq!(
        audited_set, answered,
        "changes applied without an answer, or answered without being applied"
    );

    // The stored password is the one of the last change applied.
    let last = audited.last().unwrap();
    let (_, password) = applied.iter().find(|(id, _)| id == last).unwrap();
    let hash: String = db
        .query_row(
            "SELECT password_hash FROM associates WHERE name_key = 'target'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let parsed = PasswordHash::new(&hash).unwrap();
    assert!(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok());

    let log = std::fs::read_to_string(&log_path).unwrap();
    let stopping = log
        .lines()
        .position(|l| l.contains("stopping") && l.contains("SIGTERM"))
        .unwrap_or_else(|| panic!("no stop line: {log}"));
    // Changes under way when the signal came were finished and answered…
    assert!(
        log.lines()
            .skip(stopping)
            .any(|l| l.contains("operation=\"SetPassword\"") && l.contains("outcome=\"success\"")),
        "{log}"
    );
    // …and the log was flushed to its last line.
    assert!(
        log.lines().last().unwrap_or("").contains("stopped"),
        "{log}"
    );
}
