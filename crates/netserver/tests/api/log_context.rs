//! The operation id in the log: a line the domain writes while it serves a SOAP call names
//! that call's operation id (from the call's span), as the call's `soap call` line, its
//! `X-Operation-Id` header and its audit record do.

use std::process::Stdio;

use crate::helpers::*;
use crate::support::{err, serve_to, Env};

#[tokio::test]
async fn a_domain_log_line_names_the_operation_id_of_its_call() {
    // One failed log-in locks, and the domain warns of the lock.
    let env = Env::with_config("[kdf]\nmemory_kib = 8\niterations = 1\n[lockout]\nthreshold = 1\n");
    let add = env.run(
        &["user", "add", "bob", "--password-stdin"],
        "first-secret-phrase-7\n",
    );
    assert!(add.status.success(), "{}", err(&add));
    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (server, url, _) = serve_to(&env, Stdio::from(log), "info");
    let node = Node::new(url);
    let body = auth_body("bob", "wrong-secret-phrase-9");
    let response = node
        .soap11_response("SoPrincipal", "AuthenticateUsernamePassword", &body, None)
        .await;
    assert_eq!(response.status(), 200);
    let id = response.headers()["x-operation-id"]
        .to_str()
        .unwrap()
        .to_owned();
    drop(server);

    let log = std::fs::read_to_string(&log_path).unwrap();
    let locked = log
        .lines()
        .find(|l| l.contains("associate locked after repeated failed log-ins"))
        .unwrap_or_else(|| panic!("no lock warning: {log}"));
    assert!(locked.contains(" accounts::"), "a domain line: {locked}");
    assert!(locked.contains(&format!("op_id={id}")), "{locked}");
    let call = log
        .lines()
        .find(|l| l.contains("soap call"))
        .unwrap_or_else(|| panic!("no call line: {log}"));
    assert!(call.contains(&format!("op_id={id}")), "{call}");
}
