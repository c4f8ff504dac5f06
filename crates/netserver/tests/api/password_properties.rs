//! Property test over the real server: any password the policy accepts, set by an
//! administrator over SOAP 1.1 and over SOAP 1.2, logs in (in the same version) with
//! exactly that password and with its NFKC form, and with no NFKC-distinct variant of it.
//! Few cases (each is a score of HTTP exchanges), generated from markup characters,
//! compatibility characters NFKC folds, combining marks, non-BMP characters and white
//! space XML might normalise.

use accounts::{normalize, LockoutSettings, Secret, Settings, Subject};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use server::ServerConfig;

use crate::helpers::*;

const USER: &str = "prop";
const FULL_NAME: &str = "prop Testsson";

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9]{1,4}",
        2 => prop::sample::select(vec![
            "&", "<", ">", "\"", "'", "]]>", "&amp;", " ", "\t", "\r\n", "\r", "#", "%",
            // Compatibility characters NFKC folds: fullwidth A, the fi ligature,
            // superscript two, the Angstrom sign, circled one, a non-breaking space.
            "\u{FF21}", "\u{FB01}", "\u{B2}", "\u{212B}", "\u{2460}", "\u{A0}",
            // A combining acute accent (composes with the letter before it), CJK, Greek.
            "e\u{301}", "\u{6F22}\u{5B57}", "\u{3A9}\u{3C9}",
        ])
        .prop_map(str::to_owned),
        1 => prop::char::range('\u{10000}', '\u{1FFFF}')
            .prop_filter("assigned-looking", |c| !('\u{1FFFE}'..).contains(c))
            .prop_map(String::from),
    ]
}

/// Passwords the server's policy (the default settings') accepts for `USER`.
fn accepted_password() -> impl Strategy<Value = String> {
    let policy = Settings::default().policy;
    prop::collection::vec(piece(), 4..16)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("accepted by the policy", move |p| {
            let subject = Subject {
                name: USER,
                full_name: FULL_NAME,
            };
            policy
                .verdict(&normalize(&Secret::new(p.as_str())), Some(&subject))
                .is_ok()
        })
}

/// Passwords that differ from `password` after NFKC on both sides.
fn distinct_variants(password: &str) -> Vec<String> {
    let mut chars: Vec<char> = password.chars().collect();
    let mut variants = vec![
        format!("{password}x"),
        format!(" {password}"),
        format!("{password} "),
        password.to_uppercase(),
        password.to_lowercase(),
        chars[..chars.len() - 1].iter().collect(),
    ];
    chars[0] = if chars[0] == 'a' { 'b' } else { 'a' };
    variants.push(chars.iter().collect());
    let nfkc = |p: &str| normalize(&Secret::new(p)).expose().to_owned();
    let own = nfkc(password);
    variants.retain(|v| nfkc(v) != own);
    variants
}

fn xml_escaped(value: &str) -> String {
    let mut out = String::new();
    soap::escape_into(&mut out, value);
    out
}

async fn set(app: &TestApp, version: u8, ticket: &str, id: i32, password: &str) -> Answer {
    let body = format!(
        "<SetPassword xmlns=\"{NS}\"><AssociateId>{id}</AssociateId><Password>{}</Password></SetPassword>",
        xml_escaped(password)
    );
    let reply = match version {
        11 => app.soap11("User", "SetPassword", &body, Some(ticket)).await,
        _ => app.soap12("User", "SetPassword", &body, Some(ticket)).await,
    };
    Answer::read(&reply)
}

async fn logs_in(app: &TestApp, version: u8, password: &str) -> bool {
    let body = format!(
        "<AuthenticateUsernamePassword xmlns=\"{NS}\"><UserName>{USER}</UserName><Password>{}</Password></AuthenticateUsernamePassword>",
        xml_escaped(password)
    );
    let op = "AuthenticateUsernamePassword";
    let reply = match version {
        11 => app.soap11("SoPrincipal", op, &body, None).await,
        _ => app.soap12("SoPrincipal", op, &body, None).await,
    };
    assert_eq!(reply.status, 200, "{}", reply.body);
    let doc = roxmltree::Document::parse(&reply.body).unwrap();
    text(&doc, "AuthenticationSucceeded").as_deref() == Some("true")
}

async fn case(app: &TestApp, ticket: &str, id: i32, password: &str) -> Result<(), TestCaseError> {
    let nfkc = normalize(&Secret::new(password)).expose().to_owned();
    let wrong = distinct_variants(password);
    for version in [11, 12] {
        let answer = set(app, version, ticket, id, password).await;
        prop_assert_eq!(answer.succeeded.as_deref(), Some("true"), "{}", answer.body);
        prop_assert!(
            logs_in(app, version, password).await,
            "SOAP {version}: exact"
        );
        prop_assert!(
            logs_in(app, version, &nfkc).await,
            "SOAP {version}: NFKC form"
        );
        for other in &wrong {
            prop_assert!(
                !logs_in(app, version, other).await,
                "SOAP {version}: an NFKC-distinct variant logged in"
            );
        }
    }
    Ok(())
}

#[test]
fn accepted_passwords_log_in_exactly_and_only_so() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Many failed log-ins from one address on purpose: no lockout, no rate limit.
    let settings = Settings {
        lockout: LockoutSettings {
            threshold: 0,
            ..LockoutSettings::default()
        },
        login_rate_per_minute: 0,
        ..Settings::default()
    };
    let app = runtime.block_on(spawn_app_with(ServerConfig::default(), settings));
    let id = runtime.block_on(app.add_user(USER, &[], "first-Pw-4711-x"));
    let ticket = runtime.block_on(app.admin_ticket());
    let config = Config {
        cases: 16,
        max_shrink_iters: 64,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    runner
        .run(&accepted_password(), |password| {
            runtime.block_on(case(&app, &ticket, id, &password))
        })
        .unwrap();
}
