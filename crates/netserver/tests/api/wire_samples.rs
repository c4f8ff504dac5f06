//! The requests of eight real client stacks, replayed byte for byte over TCP: with their
//! made-up ticket each gets a clean invalid-ticket answer in its own SOAP version; with a
//! real ticket and a real associate each sets the password.

use crate::helpers::*;
use crate::raw::{connect, exchange, split_capture, with_body};

const SAMPLES: &[&str] = &[
    "gsoap-soap11",
    "gsoap-soap12",
    "mono-asmx-soap11",
    "mono-asmx-soap12",
    "mono-wcf-soap11",
    "mono-wcf-soap12",
    "node-soap-soap11",
    "node-soap-soap12",
    "perl-soaplite-soap11",
    "perl-soaplite-soap12",
    "perl-soapwsdl-soap11",
    "php-soap11",
    "php-soap12",
    "zeep-soap11",
    "zeep-soap12",
];

fn capture(name: &str) -> Vec<u8> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../soap/tests/fixtures/wire-samples"
    );
    std::fs::read(format!("{dir}/{name}.txt")).unwrap()
}

fn replace(body: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.contains(from), "{from} not in sample");
    text.replace(from, to).into_bytes()
}

#[tokio::test]
async fn every_captured_client_gets_an_invalid_ticket_answer_in_its_version() {
    let app = spawn_app().await;
    for name in SAMPLES {
        let (head, body) = split_capture(&capture(name));
        let mut stream = connect(&app.base).await;
        let resp = exchange(&mut stream, &with_body(&head, &body)).await;
        assert_eq!(resp.status, 200, "{name}: {}", resp.body);
        let answer = Answer::read(&crate::helpers::Reply {
            status: resp.status,
            content_type: resp.header("content-type").unwrap_or("").to_owned(),
            body: resp.body.clone(),
        });
        answer.assert_exception("SoInvalidTicketException");
        let expected = if name.ends_with("12") { SOAP12 } else { SOAP11 };
        assert_eq!(answer.envelope_ns, expected, "{name}");
        let ct = resp.header("content-type").unwrap();
        assert_eq!(
            ct.starts_with("application/soap+xml"),
            name.ends_with("12"),
            "{name}: {ct}"
        );
    }
}

#[tokio::test]
async fn every_captured_client_sets_a_password_with_a_real_ticket() {
    let app = spawn_app().await;
    let ticket = app.admin_ticket().await;
    for (i, name) in SAMPLES.iter().enumerate() {
        let user = format!("user{i}");
        let id = app.add_user(&user, &[], "f1-secret-pw-9").await;
        let (head, body) = split_capture(&capture(name));
        let body = replace(&body, "ticket-7", &ticket);
        let body = replace(&body, ">42<", &format!(">{id}<"));
        let body = replace(&body, "S3cret!", "S3cret!&amp;more");
        let mut stream = connect(&app.base).await;
        let resp = exchange(&mut stream, &with_body(&head, &body)).await;
        let reply = crate::helpers::Reply {
            status: resp.status,
            content_type: String::new(),
            body: resp.body,
        };
        Answer::read(&reply).assert_success();
        assert!(app.login(&user, "S3cret!&more").await.is_some(), "{name}");
        assert!(app.login(&user, "f1-secret-pw-9").await.is_none(), "{name}");
    }
}
