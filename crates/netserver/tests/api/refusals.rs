//! Malformed or hostile messages: each gets a SOAP fault of the request's version with
//! HTTP 500 (413 when too large) and a reason naming what was wrong.

use server::ServerConfig;

use crate::helpers::*;

async fn post11(app: &TestApp, body: impl Into<reqwest::Body>) -> Answer {
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[("Content-Type", "text/xml; charset=utf-8")],
            body,
        )
        .await;
    Answer::read(&reply)
}

async fn post12(app: &TestApp, body: impl Into<reqwest::Body>) -> Answer {
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[("Content-Type", "application/soap+xml; charset=utf-8")],
            body,
        )
        .await;
    Answer::read(&reply)
}

#[tokio::test]
async fn malformed_xml() {
    let app = spawn_app().await;
    let a = post11(
        &app,
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>",
    )
    .await;
    a.assert_fault(500, "well-formed");
    assert_eq!(a.envelope_ns, SOAP11);
    let b = post12(&app, "not xml at all").await;
    b.assert_fault(500, "well-formed");
    assert_eq!(b.envelope_ns, SOAP12);
}

#[tokio::test]
async fn any_dtd_is_refused() {
    let app = spawn_app().await;
    let body = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>{}",
        envelope(SOAP11, None, &set_password_body("1", "&b;"))
    );
    post11(&app, body).await.assert_fault(500, "document type");
}

#[tokio::test]
async fn too_large_is_413() {
    let app = spawn_app().await;
    let big = "x".repeat(70 * 1024);
    let a = post11(&app, envelope(SOAP11, None, &set_password_body("1", &big))).await;
    a.assert_fault(413, "65536");
}

#[tokio::test]
async fn the_size_limit_is_a_setting() {
    let mut config = ServerConfig::default();
    config.limits.max_bytes = 1024;
    let app = spawn_app_with(config, Default::default()).await;
    let a = post11(
        &app,
        envelope(SOAP11, None, &set_password_body("1", &"y".repeat(2000))),
    )
    .await;
    a.assert_fault(413, "1024");
}

#[tokio::test]
async fn too_deep_and_too_many_nodes() {
    let app = spawn_app().await;
    let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
    let body = envelope(
        SOAP11,
        None,
        &format!("<SetPassword xmlns=\"{NS}\"><AssociateId>1</AssociateId>{deep}</SetPassword>"),
    );
    post11(&app, body).await.assert_fault(500, "deep");
    let wide = "<b/>".repeat(6000);
    let body = envelope(
        SOAP11,
        None,
        &format!("<SetPassword xmlns=\"{NS}\">{wide}</SetPassword>"),
    );
    post11(&app, body).await.assert_fault(500, "nodes");
}

#[tokio::test]
async fn no_body_and_empty_body() {
    let app = spawn_app().await;
    let no_body = format!("<s:Envelope xmlns:s=\"{SOAP11}\"><s:Header/></s:Envelope>");
    post11(&app, no_body).await.assert_fault(500, "Body");
    let empty = format!("<s:Envelope xmlns:s=\"{SOAP12}\"><s:Body>  </s:Body></s:Envelope>");
    let a = post12(&app, empty).await;
    a.assert_fault(500, "Body");
    assert_eq!(a.envelope_ns, SOAP12);
}

#[tokio::test]
async fn unknown_operation() {
    let app = spawn_app().await;
    let body = envelope(
        SOAP11,
        None,
        &format!("<GetContact xmlns=\"{NS}\"><ContactId>1</ContactId></GetContact>"),
    );
    post11(&app, body).await.assert_fault(500, "GetContact");
    // Right name, wrong namespace.
    let body = envelope(
        SOAP11,
        None,
        "<SetPassword xmlns=\"urn:other\"><AssociateId>1</AssociateId></SetPassword>",
    );
    post11(&app, body).await.assert_fault(500, "urn:other");
    // An operation of the other service.
    let body = envelope(SOAP11, None, &auth_body("admin", "x"));
    post11(&app, body)
        .await
        .assert_fault(500, "AuthenticateUsernamePassword");
}

#[tokio::test]
async fn associate_id_must_be_an_xs_int() {
    let app = spawn_app().await;
    let ticket = app.admin_ticket().await;
    for bad in ["abc", "1.5", "99999999999", "", "0x10"] {
        let body = envelope(
            SOAP11,
            Some(&ticket),
            &set_password_body(bad, "new-password-1"),
        );
        let a = post11(&app, body).await;
        a.assert_fault(500, "AssociateId");
        assert!(a.fault_code.unwrap().ends_with("Client"));
    }
}

#[tokio::test]
async fn wrong_envelope_namespace() {
    let app = spawn_app().await;
    let body = "<s:Envelope xmlns:s=\"urn:not-soap\"><s:Body/></s:Envelope>";
    let a = post11(&app, body).await;
    a.assert_fault(500, "urn:not-soap");
    assert!(a.fault_code.unwrap().ends_with("VersionMismatch"));
}

#[tokio::test]
async fn must_understand_on_a_foreign_header() {
    let app = spawn_app().await;
    let body = format!(
        "<s:Envelope xmlns:s=\"{SOAP11}\"><s:Header><x:Secure xmlns:x=\"urn:x\" s:mustUnderstand=\"1\">y</x:Secure></s:Header><s:Body>{}</s:Body></s:Envelope>",
        set_password_body("1", "new-password-1")
    );
    let a = post11(&app, body).await;
    a.assert_fault(500, "Secure");
    assert!(a.fault_code.unwrap().ends_with("MustUnderstand"));
    // mustUnderstand on our own header is fine.
    let body = format!(
        "<s:Envelope xmlns:s=\"{SOAP12}\"><s:Header><Credentials xmlns=\"{NS}\" s:mustUnderstand=\"true\"><Ticket>7T:x</Ticket></Credentials></s:Header><s:Body>{}</s:Body></s:Envelope>",
        set_password_body("1", "new-password-1")
    );
    post12(&app, body)
        .await
        .assert_exception("SoInvalidTicketException");
}

#[tokio::test]
async fn a_contradicting_action_is_a_fault() {
    let app = spawn_app().await;
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[
                ("Content-Type", "text/xml; charset=utf-8"),
                ("SOAPAction", &format!("\"{NS}/User/ChangePassword\"")),
            ],
            envelope(SOAP11, None, &set_password_body("1", "new-password-1")),
        )
        .await;
    Answer::read(&reply).assert_fault(500, "ChangePassword");
    let ct = format!("application/soap+xml; action=\"{NS}/User/GetUser\"");
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[("Content-Type", &ct)],
            envelope(SOAP12, None, &set_password_body("1", "x")),
        )
        .await;
    let a = Answer::read(&reply);
    a.assert_fault(500, "GetUser");
    assert_eq!(a.envelope_ns, SOAP12);
}

#[tokio::test]
async fn other_media_types_are_refused() {
    let app = spawn_app().await;
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[("Content-Type", "application/json")],
            "{}",
        )
        .await;
    assert_eq!(reply.status, 415);
    Answer::read(&reply).assert_fault(415, "application/json");
}
