//! The client address behind a proxy: taken from `Forwarded` / `X-Forwarded-For` only
//! when the TCP peer is one of `[http] trusted_proxies`, for the per-address log-in
//! limit, the audit trail and the log; from anyone else those headers change nothing.

use std::process::Stdio;

use accounts::{AuditEvent, Settings};
use server::{ServerConfig, TrustedProxies};
use store::conformance::AuditTrail;

use crate::helpers::*;
use crate::support::{err, serve_to, Env};

const PW: &str = "kestrel-harbour-7";

/// A server allowing three log-ins a minute per address, trusting `proxies`.
async fn app(proxies: &[&str]) -> TestApp {
    let config = ServerConfig {
        trusted_proxies: TrustedProxies::parse(proxies).unwrap(),
        ..ServerConfig::default()
    };
    let settings = Settings {
        login_rate_per_minute: 3,
        ..Settings::default()
    };
    let app = spawn_app_with(config, settings).await;
    app.add_user("carl", &[], PW).await;
    app
}

/// A log-in as `name` carrying `headers`; the exception type when refused, or
/// `Ok(true/false)` for whether the password was accepted.
async fn login(
    app: &TestApp,
    name: &str,
    pw: &str,
    headers: &[(&str, &str)],
) -> Result<bool, String> {
    let action = format!("\"{NS}/SoPrincipal/AuthenticateUsernamePassword\"");
    let mut all = vec![
        ("Content-Type", "text/xml; charset=utf-8"),
        ("SOAPAction", action.as_str()),
    ];
    all.extend_from_slice(headers);
    let reply = app
        .post(
            "/Remote/Services88/SoPrincipal.svc",
            &all,
            envelope(SOAP11, None, &auth_body(name, pw)),
        )
        .await;
    let answer = Answer::read(&reply);
    match answer.exception_type {
        Some(e) => Err(e),
        None => {
            let doc = roxmltree::Document::parse(&answer.body).unwrap();
            Ok(text(&doc, "AuthenticationSucceeded").as_deref() == Some("true"))
        }
    }
}

async fn audit(app: &TestApp) -> Vec<AuditEvent> {
    app.store
        .recent_audit(accounts::DEFAULT_TENANT, 100)
        .await
        .unwrap()
}

#[tokio::test]
async fn spoofed_forwarding_headers_from_an_untrusted_peer_are_ignored() {
    let app = app(&[]).await;
    for n in 1..=3 {
        let fake = format!("198.51.100.{n}");
        let forwarded = format!("for={fake}");
        let headers = [
            ("X-Forwarded-For", fake.as_str()),
            ("Forwarded", forwarded.as_str()),
        ];
        assert_eq!(
            login(&app, "carl", "wrong-password", &headers).await,
            Ok(false)
        );
    }
    // A fourth address in the headers does not buy a fourth attempt.
    let headers = [("X-Forwarded-For", "198.51.100.4")];
    assert_eq!(
        login(&app, "carl", PW, &headers).await,
        Err("SoTooManyAttemptsException".into())
    );
    let events = audit(&app).await;
    let soap: Vec<_> = events.iter().filter(|e| e.operation_id.is_some()).collect();
    assert_eq!(soap.len(), 4, "{events:?}");
    assert!(
        soap.iter()
            .all(|e| e.client.as_deref() == Some("127.0.0.1")),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_trusted_proxys_client_address_is_limited_and_audited_on_its_own() {
    // The test connects from 127.0.0.1: here that is the proxy.
    let app = app(&["127.0.0.0/8"]).await;
    let attacker = [("X-Forwarded-For", "6.6.6.6, 203.0.113.5")];
    for _ in 0..3 {
        assert_eq!(
            login(&app, "carl", "wrong-password", &attacker).await,
            Ok(false)
        );
    }
    assert_eq!(
        login(&app, "carl", PW, &attacker).await,
        Err("SoTooManyAttemptsException".into()),
        "the attacker's own address is limited"
    );
    // Another client behind the same proxy is not: the limit is per client, not per proxy.
    let other = [("Forwarded", "for=\"[2001:db8::6]:4711\";proto=https")];
    assert_eq!(login(&app, "carl", PW, &other).await, Ok(true));

    let events = audit(&app).await;
    let clients: Vec<_> = events.iter().filter_map(|e| e.client.as_deref()).collect();
    assert!(clients.contains(&"2001:db8::6"), "{clients:?}");
    assert_eq!(
        clients.iter().filter(|c| **c == "203.0.113.5").count(),
        4,
        "{clients:?}"
    );
    assert!(
        !clients.contains(&"6.6.6.6") && !clients.contains(&"127.0.0.1"),
        "{clients:?}"
    );
}

#[tokio::test]
async fn serve_logs_the_forwarded_client_and_refuses_a_bad_proxy_entry() {
    let env = Env::with_config(
        "[kdf]\nmemory_kib = 8\niterations = 1\n[http]\ntrusted_proxies = [\"127.0.0.1\"]\n",
    );
    let log_path = env.dir.path().join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (server, url, _) = serve_to(&env, Stdio::from(log), "info");
    let action = format!("\"{NS}/SoPrincipal/AuthenticateUsernamePassword\"");
    let reply = Node::new(url)
        .post(
            "/Remote/Services88/SoPrincipal.svc",
            &[
                ("Content-Type", "text/xml; charset=utf-8"),
                ("SOAPAction", &action),
                ("X-Forwarded-For", "203.0.113.77"),
            ],
            envelope(SOAP11, None, &auth_body("nobody", "wrong-password")),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    drop(server);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.contains("client=203.0.113.77"), "{log}");

    let bad = Env::with_config("[http]\ntrusted_proxies = [\"10.0.0.0/40\"]\n");
    let o = bad.run(&["serve", "--listen", "127.0.0.1:0"], "");
    assert!(!o.status.success());
    assert!(
        err(&o).contains("[http] trusted_proxies") && err(&o).contains("10.0.0.0/40"),
        "{}",
        err(&o)
    );
}
