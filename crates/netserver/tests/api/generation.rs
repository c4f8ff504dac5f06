//! SetGeneratedPassword under a policy no generated password can meet, over real HTTP:
//! the specific error (not a panic, not a dropped connection), nothing changed, and the
//! server serves on.
//!
//! The policy passes the configuration's checks (64 characters, all of them digits, names
//! refused), and the target's full name lists every three-digit string as a name part,
//! so every 64-digit password contains one of them.

use accounts::{NewUser, PasswordPolicy, Right, Secret, Settings, Timestamp, UserType};
use netserver::wiring;
use server::ServerConfig;

use crate::helpers::*;

const DANA_PW: &str = "osprey-lantern-kite";

fn digits_only() -> PasswordPolicy {
    PasswordPolicy {
        min_len: 64,
        max_len: 64,
        min_digits: 64,
        refuse_names: true,
        ..PasswordPolicy::default()
    }
}

fn user(name: &str, full_name: String, rights: &[Right], password: &str) -> NewUser {
    NewUser {
        name: name.into(),
        full_name,
        user_type: UserType::Internal,
        rights: rights.to_vec(),
        password: Some(Secret::new(password)),
        must_change: false,
    }
}

/// A server with the digits-only policy on a store whose users were made under the
/// default one (no password they could log in with meets the strict policy).
/// Answers the node, Dana's id and the administrator's.
async fn strict_server(dir: &tempfile::TempDir, config: ServerConfig) -> (Node, String, String) {
    let url = format!("sqlite://{}", dir.path().join("gen.db").display());
    let store = wiring::open_store(&url, &Default::default()).await.unwrap();
    let kdf = accounts::KdfParams::insecure_for_tests();
    let setup = wiring::domain(store.clone(), kdf, 1, Settings::default()).unwrap();
    let tenant = accounts::DEFAULT_TENANT;
    let now = Timestamp::now();
    let admin = user(
        "admin",
        "Ada Admin".into(),
        &[Right::AdminAll],
        ADMIN_PASSWORD,
    );
    let admin = setup.add_user(tenant, admin, now).await.unwrap().id;
    let every_triple = (0..1000).map(|n| format!("{n:03}")).collect::<Vec<_>>();
    let dana = user("dana", every_triple.join(" "), &[], DANA_PW);
    let dana = setup.add_user(tenant, dana, now).await.unwrap().id;

    let settings = Settings {
        policy: digits_only(),
        ..Settings::default()
    };
    let strict = wiring::domain(store, kdf, 2, settings).unwrap();
    let running = wiring::start("127.0.0.1:0", strict, config).await.unwrap();
    (
        Node::new(format!("http://{}", running.addr)),
        dana.to_string(),
        admin.to_string(),
    )
}

fn generate(id: &str) -> String {
    format!("<SetGeneratedPassword xmlns=\"{NS}\"><AssociateId>{id}</AssociateId></SetGeneratedPassword>")
}

#[tokio::test]
async fn a_policy_no_generated_password_meets_answers_the_error_and_the_server_serves_on() {
    let dir = tempfile::tempdir().unwrap();
    let (node, dana, admin) = strict_server(&dir, ServerConfig::default()).await;
    let ticket = node.admin_ticket().await;

    let reply = node
        .soap11(
            "User",
            "SetGeneratedPassword",
            &generate(&dana),
            Some(&ticket),
        )
        .await;
    let answer = Answer::read(&reply);
    answer.assert_exception_nil("SoPasswordGenerationException");
    let message = answer.message.unwrap_or_default();
    assert!(
        message.contains("no generated password can meet the password policy")
            && message.contains("must not contain the user's name"),
        "{message}"
    );
    assert!(
        reply.body.contains("password_generation_failed"),
        "{}",
        reply.body
    );
    // Nothing was set: Dana's password is the one she had.
    assert!(node.login("dana", DANA_PW).await.is_some());

    // The same server answers the next calls, a generation that can succeed among them.
    let reply = node
        .soap11(
            "User",
            "SetGeneratedPassword",
            &generate(&admin),
            Some(&ticket),
        )
        .await;
    let answer = Answer::read(&reply);
    assert_eq!(answer.succeeded.as_deref(), Some("true"), "{}", answer.body);
    let generated = answer.response.unwrap();
    assert_eq!(generated.len(), 64);
    assert!(generated.bytes().all(|b| b.is_ascii_digit()), "{generated}");
    assert!(node.login("admin", &generated).await.is_some());
}

#[tokio::test]
async fn in_fault_mode_the_failed_generation_is_a_server_fault() {
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        faults: true,
        ..ServerConfig::default()
    };
    let (node, dana, _) = strict_server(&dir, config).await;
    let ticket = node.admin_ticket().await;
    let reply = node
        .soap12(
            "User",
            "SetGeneratedPassword",
            &generate(&dana),
            Some(&ticket),
        )
        .await;
    let answer = Answer::read(&reply);
    answer.assert_fault(500, "no generated password can meet the password policy");
    assert_eq!(
        answer.fault_code.as_deref(),
        Some("s:Receiver"),
        "{}",
        answer.body
    );
    assert_eq!(
        answer.exception_type.as_deref(),
        Some("SoPasswordGenerationException")
    );
    assert!(node.login("dana", DANA_PW).await.is_some());
}
