//! The request exactly as SuperOffice's SetPassword page shows it: SOAP 1.2 namespace,
//! headers straight under `Envelope` with no `Header`, `xsi:type` attributes, prefix `User:`.

use crate::helpers::*;

fn doc_request(ticket: &str, id: &str, password: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope
 xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
 xmlns:SOAP-ENC="http://www.w3.org/2003/05/soap-encoding"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xmlns:xsd="http://www.w3.org/2001/XMLSchema"
 xmlns:NetServerServices882="http://schemas.microsoft.com/2003/10/Serialization/Arrays"
 xmlns:NetServerServices881="http://schemas.microsoft.com/2003/10/Serialization/"
 xmlns:User="http://www.superoffice.net/ws/crm/NetServer/Services88">
  <User:ApplicationToken>1234567-1234-9876</User:ApplicationToken>
  <User:Credentials>
    <User:Ticket>{ticket}</User:Ticket>
  </User:Credentials>
 <SOAP-ENV:Body>
   <User:SetPassword>
    <User:AssociateId xsi:type="xsd:int">{id}</User:AssociateId>
    <User:Password xsi:type="xsd:string">{password}</User:Password>
   </User:SetPassword>

 </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
"#
    )
}

async fn post(app: &TestApp, body: String) -> Answer {
    let reply = app
        .post(
            "/Remote/Services88/User.svc",
            &[("Content-Type", "application/soap+xml; charset=utf-8")],
            body,
        )
        .await;
    assert!(
        reply.content_type.starts_with("application/soap+xml"),
        "{}",
        reply.content_type
    );
    Answer::read(&reply)
}

#[tokio::test]
async fn the_literal_doc_example_gets_a_clear_invalid_ticket_answer() {
    let app = spawn_app().await;
    let answer = post(&app, doc_request("7T:1234abcxyzExample==", "0", "")).await;
    answer.assert_exception("SoInvalidTicketException");
    assert_eq!(answer.envelope_ns, SOAP12);
    assert!(answer.message.unwrap().contains("ticket"));
    assert!(
        !answer.body.contains("1234abcxyzExample"),
        "the ticket must not be echoed"
    );
}

#[tokio::test]
async fn the_doc_example_with_a_real_ticket_sets_the_password() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "old-password-1").await;
    let ticket = app.admin_ticket().await;
    let answer = post(
        &app,
        doc_request(&ticket, &bob.to_string(), "new-password-1"),
    )
    .await;
    answer.assert_success();
    assert!(app.login("bob", "new-password-1").await.is_some());
    assert!(app.login("bob", "old-password-1").await.is_none());
}
