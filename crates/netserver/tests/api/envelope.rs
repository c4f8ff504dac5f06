//! One meaning per message, over real HTTP: every envelope two readers could take apart
//! differently is refused in both SOAP versions with a fault of the request's version
//! (HTTP 500) naming the problem, and nothing of it is executed: the SetPassword each one
//! carries leaves the target's password as it was. The unambiguous shapes still work.

use accounts::{AuditFilter, Right};
use server::contract::Service;

use crate::helpers::*;

const OLD: &str = "amber-lantern-41";
const NEW: &str = "copper-violet-72";
const OTHER: &str = "silver-meadow-93";

/// A server, an associate `bob` with password [`OLD`], and a valid administrator ticket.
struct Fixture {
    app: TestApp,
    bob: String,
    admin: String,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], OLD).await.to_string();
    let admin = app.admin_ticket().await;
    Fixture { app, bob, admin }
}

impl Fixture {
    /// Posts `inner` (the envelope's content) as a SetPassword call in `env_ns`'s version.
    async fn post(&self, env_ns: &str, inner: &str) -> Answer {
        post_op(&self.app, "User", "SetPassword", env_ns, inner).await
    }

    /// bob's password is still [`OLD`]: the new one fails first (a failure the old one's
    /// success then clears, so checks can repeat without locking bob).
    async fn assert_unchanged(&self) {
        for pw in [NEW, OTHER] {
            assert!(self.app.login("bob", pw).await.is_none(), "{pw} works");
        }
        assert!(
            self.app.login("bob", OLD).await.is_some(),
            "old one refused"
        );
    }

    fn set(&self, pw: &str) -> String {
        set_password_body(&self.bob, pw)
    }
}

/// The Services88 `Credentials` block carrying `ticket`.
fn creds(ticket: &str) -> String {
    format!("<Credentials xmlns=\"{NS}\"><Ticket>{ticket}</Ticket></Credentials>")
}

fn body(op: &str) -> String {
    format!("<s:Body>{op}</s:Body>")
}

async fn post_op(app: &TestApp, agent: &str, op: &str, env_ns: &str, inner: &str) -> Answer {
    let xml = format!("<s:Envelope xmlns:s=\"{env_ns}\">{inner}</s:Envelope>");
    let path = format!("/Remote/Services88/{agent}.svc");
    let action = format!("{NS}/{agent}/{op}");
    let reply = if env_ns == SOAP11 {
        let quoted = format!("\"{action}\"");
        let headers = [
            ("Content-Type", "text/xml; charset=utf-8"),
            ("SOAPAction", quoted.as_str()),
        ];
        app.post(&path, &headers, xml).await
    } else {
        let ct = format!("application/soap+xml; charset=utf-8; action=\"{action}\"");
        app.post(&path, &[("Content-Type", &ct)], xml).await
    };
    Answer::read(&reply)
}

/// A refusal: HTTP 500, a Client/Sender fault of the request's version, this reason.
#[track_caller]
fn assert_refused(a: &Answer, env_ns: &str, reason: &str) {
    a.assert_fault(500, reason);
    assert_eq!(a.envelope_ns, env_ns, "{}", a.body);
    let code = a.fault_code.as_deref().unwrap_or("");
    let expected = if env_ns == SOAP11 { "Client" } else { "Sender" };
    assert!(code.ends_with(expected), "{code}");
}

#[tokio::test]
async fn two_credentials_with_two_valid_tickets_are_refused_and_neither_applied() {
    let f = fixture().await;
    f.app
        .add_user("carol", &[Right::AdminUsers], "harbor-quill-58")
        .await;
    let carol = f.app.login("carol", "harbor-quill-58").await.unwrap();
    let (a, c) = (creds(&f.admin), creds(&carol));
    for ns in [SOAP11, SOAP12] {
        let placements = [
            format!("<s:Header>{a}{c}</s:Header>{}", body(&f.set(NEW))),
            format!("<s:Header>{c}{a}</s:Header>{}", body(&f.set(NEW))),
            format!("{a}<s:Header>{c}</s:Header>{}", body(&f.set(NEW))),
            format!("{c}{a}{}", body(&f.set(NEW))),
        ];
        for inner in &placements {
            let answer = f.post(ns, inner).await;
            assert_refused(&answer, ns, "Credentials header appears twice");
            assert!(!answer.body.contains(&f.admin) && !answer.body.contains(&carol));
        }
    }
    f.assert_unchanged().await;
    let all = AuditFilter {
        since: None,
        associate_id: None,
        limit: 1_000,
    };
    let events = &f.app.store;
    let events = events
        .audit_query(accounts::DEFAULT_TENANT, all)
        .await
        .unwrap();
    assert!(
        events.iter().all(|e| e.operation != "SetPassword"),
        "{events:?}"
    );
    // Each ticket alone is valid, and the very same message with one copy is applied.
    for (ticket, pw) in [(&c, OTHER), (&a, NEW)] {
        let inner = format!("<s:Header>{ticket}</s:Header>{}", body(&f.set(pw)));
        f.post(SOAP11, &inner).await.assert_success();
    }
    assert!(f.app.login("bob", NEW).await.is_some());
}

#[tokio::test]
async fn two_bodies_are_refused() {
    let f = fixture().await;
    for ns in [SOAP11, SOAP12] {
        let inner = format!(
            "<s:Header>{}</s:Header>{}<!-- between -->{}",
            creds(&f.admin),
            body(&f.set(NEW)),
            body(&f.set(OTHER))
        );
        let answer = f.post(ns, &inner).await;
        assert_refused(&answer, ns, "the envelope has two Body elements");
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn two_operations_in_one_body_are_refused() {
    let f = fixture().await;
    for ns in [SOAP11, SOAP12] {
        let ops = format!("{}\n{}", f.set(NEW), f.set(OTHER));
        let inner = format!("<s:Header>{}</s:Header>{}", creds(&f.admin), body(&ops));
        let answer = f.post(ns, &inner).await;
        assert_refused(
            &answer,
            ns,
            "the Body holds two elements ('SetPassword', then 'SetPassword')",
        );
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn a_header_after_the_body_is_refused() {
    let f = fixture().await;
    for ns in [SOAP11, SOAP12] {
        let inner = format!(
            "{}<s:Header>{}</s:Header>",
            body(&f.set(NEW)),
            creds(&f.admin)
        );
        let answer = f.post(ns, &inner).await;
        assert_refused(&answer, ns, "the Header comes after the Body");
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn two_headers_are_refused() {
    let f = fixture().await;
    for ns in [SOAP11, SOAP12] {
        let inner = format!(
            "<s:Header>{}</s:Header><s:Header/>{}",
            creds(&f.admin),
            body(&f.set(NEW))
        );
        let answer = f.post(ns, &inner).await;
        assert_refused(&answer, ns, "the envelope has two Header elements");
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn an_element_after_the_body_is_refused() {
    let f = fixture().await;
    for ns in [SOAP11, SOAP12] {
        // The documentation's header style, but after the Body instead of before it.
        let inner = format!("{}{}", body(&f.set(NEW)), creds(&f.admin));
        let answer = f.post(ns, &inner).await;
        assert_refused(
            &answer,
            ns,
            &format!("element {{{NS}}}Credentials follows the Body"),
        );
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn two_application_tokens_are_refused() {
    let f = fixture().await;
    let token = |t: &str| format!("<ApplicationToken xmlns=\"{NS}\">{t}</ApplicationToken>");
    for ns in [SOAP11, SOAP12] {
        let inner = format!(
            "{}<s:Header>{}{}</s:Header>{}",
            token("app-one"),
            token("app-two"),
            creds(&f.admin),
            body(&f.set(NEW))
        );
        let answer = f.post(ns, &inner).await;
        assert_refused(&answer, ns, "ApplicationToken header appears twice");
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn two_time_zones_are_refused() {
    let f = fixture().await;
    let tz =
        |id: u32| format!("<TimeZone xmlns=\"{NS}\"><SoTimeZoneId>{id}</SoTimeZoneId></TimeZone>");
    for ns in [SOAP11, SOAP12] {
        let inner = format!(
            "<s:Header>{}{}{}</s:Header>{}",
            tz(1),
            creds(&f.admin),
            tz(2),
            body(&f.set(NEW))
        );
        let answer = f.post(ns, &inner).await;
        assert_refused(&answer, ns, "TimeZone header appears twice");
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn two_tickets_in_one_credentials_are_refused() {
    let f = fixture().await;
    f.app
        .add_user("carol", &[Right::AdminUsers], "harbor-quill-58")
        .await;
    let carol = f.app.login("carol", "harbor-quill-58").await.unwrap();
    for ns in [SOAP11, SOAP12] {
        let inner = format!(
            "<s:Header><Credentials xmlns=\"{NS}\"><Ticket>{}</Ticket><Ticket>{carol}</Ticket></Credentials></s:Header>{}",
            f.admin,
            body(&f.set(NEW))
        );
        let answer = f.post(ns, &inner).await;
        assert_refused(
            &answer,
            ns,
            "Ticket appears twice in the Credentials header",
        );
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn a_time_zone_field_twice_is_refused() {
    let f = fixture().await;
    for ns in [SOAP11, SOAP12] {
        let inner = format!(
            "<s:Header>{}<TimeZone xmlns=\"{NS}\"><SoTimeZoneLocationCode>UTC</SoTimeZoneLocationCode>\
             <SoTimeZoneLocationCode>CET</SoTimeZoneLocationCode></TimeZone></s:Header>{}",
            creds(&f.admin),
            body(&f.set(NEW))
        );
        let answer = f.post(ns, &inner).await;
        assert_refused(
            &answer,
            ns,
            "SoTimeZoneLocationCode appears twice in the TimeZone header",
        );
    }
    f.assert_unchanged().await;
}

#[tokio::test]
async fn a_parameter_twice_is_refused() {
    let f = fixture().await;
    let bob = &f.bob;
    let admin_id = f.app.admin_id;
    let cases = [
        (
            "Password",
            format!("<AssociateId>{bob}</AssociateId><Password>{NEW}</Password><Password>{OTHER}</Password>"),
        ),
        (
            "AssociateId",
            format!("<AssociateId>{bob}</AssociateId><Password>{NEW}</Password><AssociateId>{admin_id}</AssociateId>"),
        ),
    ];
    for (name, params) in &cases {
        for ns in [SOAP11, SOAP12] {
            let op = format!("<SetPassword xmlns=\"{NS}\">{params}</SetPassword>");
            let inner = format!("<s:Header>{}</s:Header>{}", creds(&f.admin), body(&op));
            let answer = f.post(ns, &inner).await;
            assert_refused(
                &answer,
                ns,
                &format!("parameter {name} appears twice in SetPassword"),
            );
        }
    }
    f.assert_unchanged().await;
    assert!(f.app.login("admin", NEW).await.is_none());
    assert!(f.app.login("admin", ADMIN_PASSWORD).await.is_some());
}

#[tokio::test]
async fn every_declared_parameter_of_every_operation_at_most_once() {
    // Without a ticket: the refusal comes before authentication, whatever the operation.
    let app = spawn_app().await;
    for service in Service::ALL {
        let agent = service.port_type();
        for op in service
            .known_operations()
            .iter()
            .filter(|o| o.implemented())
        {
            for param in op.params {
                let mut params: String = op
                    .params
                    .iter()
                    .map(|p| format!("<{0}>1</{0}>", p.name))
                    .collect();
                params.push_str(&format!("<{0}>2</{0}>", param.name));
                let xml = format!("<{0} xmlns=\"{NS}\">{params}</{0}>", op.name);
                for ns in [SOAP11, SOAP12] {
                    let answer = post_op(&app, agent, op.name, ns, &body(&xml)).await;
                    let reason = format!("parameter {} appears twice in {}", param.name, op.name);
                    assert_refused(&answer, ns, &reason);
                }
            }
        }
    }
    // A log-in whose second Password is the right one gets no ticket either.
    let xml = format!(
        "<AuthenticateUsernamePassword xmlns=\"{NS}\"><UserName>admin</UserName>\
         <Password>wrong</Password><Password>{ADMIN_PASSWORD}</Password></AuthenticateUsernamePassword>"
    );
    let answer = post_op(
        &app,
        "SoPrincipal",
        "AuthenticateUsernamePassword",
        SOAP12,
        &body(&xml),
    )
    .await;
    assert_refused(&answer, SOAP12, "parameter Password appears twice");
    assert!(!answer.body.contains("7T:"), "{}", answer.body);
}

#[tokio::test]
async fn whitespace_comments_pis_and_unknown_extras_stay_fine() {
    let f = fixture().await;
    let op = format!(
        "<SetPassword xmlns=\"{NS}\">\n <!-- id --> <AssociateId>{}</AssociateId> <?pi x?>\n\
         <Password>{NEW}</Password><Extra>1</Extra><Extra>2</Extra>\n</SetPassword>",
        f.bob
    );
    let inner = format!(
        "\n <!-- a --> <?pi one?>\n<s:Header> <!-- b --> {} <?pi two?>\n</s:Header>\n<!-- c -->\
         <s:Body> <!-- d --> {op} <?pi three?>\n</s:Body>\n <!-- e --> <?pi four?>\n",
        creds(&f.admin)
    );
    f.post(SOAP12, &inner).await.assert_success();
    assert!(f.app.login("bob", NEW).await.is_some());
    // The documentation's style: headers directly under Envelope, no Header at all.
    let docs = format!("{} {}", creds(&f.admin), body(&f.set(OTHER)));
    f.post(SOAP11, &docs).await.assert_success();
    assert!(f.app.login("bob", OTHER).await.is_some());
}
