//! What the server tolerates on the wire, all over real HTTP.

use accounts::Right;

use crate::helpers::*;
use crate::raw::{connect, exchange, read_response, with_body};

#[tokio::test]
async fn entity_references_and_cdata_reach_the_password_intact() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    let body = format!(
        "<SetPassword xmlns=\"{NS}\"><AssociateId>{bob}</AssociateId><Password>a&amp;b<![CDATA[<c>]]>&#x263A;&lt;&quot;</Password></SetPassword>"
    );
    Answer::read(
        &app.soap11("User", "SetPassword", &body, Some(&ticket))
            .await,
    )
    .assert_success();
    assert!(app.login("bob", "a&b<c>\u{263A}<\"").await.is_some());
}

#[tokio::test]
async fn paths_match_case_insensitively_with_a_customer_prefix() {
    let app = spawn_app().await;
    let ticket = app.admin_ticket().await;
    for path in [
        "/remote/services88/user.svc",
        "/Default/Remote/Services88/USER.svc",
        "/Services88/User.svc/soap12",
    ] {
        let reply = app
            .post(
                path,
                &[("Content-Type", "text/xml")],
                envelope(
                    SOAP11,
                    Some(&ticket),
                    &set_password_body("999", "new-password-1"),
                ),
            )
            .await;
        Answer::read(&reply).assert_exception("SoNotFoundException");
    }
    let reply = app
        .post(
            "/Remote/Services88/Nope.svc",
            &[("Content-Type", "text/xml")],
            "x",
        )
        .await;
    assert_eq!(reply.status, 404);
}

#[tokio::test]
async fn bom_prefixes_default_namespaces_xsi_and_timezone_are_tolerated() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await;
    let ticket = app.admin_ticket().await;
    let body = format!(
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<e:Envelope xmlns:e=\"{SOAP12}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n  <e:Header>\n    <q:ApplicationToken xmlns:q=\"{NS}\" xsi:nil=\"true\"/>\n    <Credentials xmlns=\"{NS}\">\n      <Ticket xsi:type=\"xsd:string\">{ticket}</Ticket>\n    </Credentials>\n    <TimeZone xmlns=\"{NS}\"><SoTimeZoneId>3</SoTimeZoneId><SoTimeZoneLocationCode>NO</SoTimeZoneLocationCode></TimeZone>\n  </e:Header>\n  <!-- a comment -->\n  <e:Body>\n    <z:SetPassword xmlns:z=\"{NS}\">\n      <z:AssociateId xsi:type=\"xsd:int\"> {bob} </z:AssociateId>\n      <z:Password xsi:type=\"xsd:string\">new-password-1</z:Password>\n    </z:SetPassword>\n  </e:Body>\n</e:Envelope>"
    );
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[("Content-Type", "application/soap+xml; charset=utf-8")],
            body,
        )
        .await;
    Answer::read(&reply).assert_success();
    assert!(app.login("bob", "new-password-1").await.is_some());
}

#[tokio::test]
async fn a_nil_ticket_is_no_ticket() {
    let app = spawn_app().await;
    let body = format!(
        "<s:Envelope xmlns:s=\"{SOAP11}\"><s:Header><Credentials xmlns=\"{NS}\"><Ticket xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:nil=\"true\"/></Credentials></s:Header><s:Body>{}</s:Body></s:Envelope>",
        set_password_body("1", "new-password-1")
    );
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[("Content-Type", "text/xml")],
            body,
        )
        .await;
    let a = Answer::read(&reply);
    a.assert_exception("SoInvalidTicketException");
    assert!(a.message.unwrap().contains("no credentials"));
}

#[tokio::test]
async fn soap12_action_may_come_in_a_soapaction_header() {
    let app = spawn_app().await;
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[
                ("Content-Type", "application/soap+xml"),
                ("SOAPAction", &format!("\"{NS}/User/SetPassword\"")),
            ],
            envelope(
                SOAP12,
                Some("7T:x"),
                &set_password_body("1", "new-password-1"),
            ),
        )
        .await;
    let a = Answer::read(&reply);
    a.assert_exception("SoInvalidTicketException");
    assert_eq!(a.envelope_ns, SOAP12);
}

#[tokio::test]
async fn expect_continue_and_keep_alive_serve_several_requests_on_one_connection() {
    let app = spawn_app().await;
    app.add_user("ua", &[Right::AdminUsers], "ua-password-1")
        .await;
    let mut stream = connect(&app.base).await;
    let head = "POST /Remote/Services88/User.svc HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml; charset=utf-8\r\nExpect: 100-continue\r\nConnection: keep-alive";
    for _ in 0..3 {
        let body = envelope(
            SOAP11,
            Some("7T:bad"),
            &set_password_body("1", "new-password-1"),
        );
        let resp = exchange(&mut stream, &with_body(head, body.as_bytes())).await;
        assert_eq!(resp.status, 200);
        assert!(resp.body.contains("SoInvalidTicketException"));
    }
    // A fault keeps the connection open too.
    let resp = exchange(&mut stream, &with_body(head, b"<broken")).await;
    assert_eq!(resp.status, 500);
    let body = envelope(
        SOAP11,
        Some("7T:bad"),
        &set_password_body("1", "new-password-1"),
    );
    let resp = exchange(&mut stream, &with_body(head, body.as_bytes())).await;
    assert_eq!(resp.status, 200);
}

#[tokio::test]
async fn connection_close_is_honoured() {
    let app = spawn_app().await;
    let mut stream = connect(&app.base).await;
    let head = "POST /Remote/Services88/User.svc HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nConnection: close";
    let body = envelope(
        SOAP11,
        Some("7T:bad"),
        &set_password_body("1", "new-password-1"),
    );
    let resp = exchange(&mut stream, &with_body(head, body.as_bytes())).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("connection"), Some("close"));
    use tokio::io::AsyncReadExt;
    let mut rest = Vec::new();
    let n = stream.read_to_end(&mut rest).await.unwrap();
    assert_eq!(n, 0, "the server closed after answering");
    let _ = read_response;
}

#[tokio::test]
async fn health_answers() {
    let app = spawn_app().await;
    let resp = app.http.get(app.url("/health")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("ok"));
}

#[tokio::test]
async fn other_methods_are_405() {
    let app = spawn_app().await;
    let resp = app
        .http
        .put(app.url("/Remote/Services88/User.svc"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
}
