//! Tickets are bound to the application that obtained them (Online): a ticket from one
//! application is refused when another application presents it.

use accounts::{Mode, Settings, Timestamp};
use netserver::client::Client;
use server::ServerConfig;
use soap::SoapVersion;

use crate::helpers::*;

/// A client of a newly registered application, and its token.
async fn register(app: &TestApp, name: &str, user_management: bool) -> (Client, String) {
    let (_, token) = app
        .accounts
        .add_app(
            accounts::DEFAULT_TENANT,
            name,
            user_management,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let token = token.expose().to_owned();
    let client = Client::new(&app.base, SoapVersion::V11, Some(token.clone())).unwrap();
    (client, token)
}

async fn ticket_through(c: &Client) -> accounts::Secret {
    c.login("admin", &ADMIN_PASSWORD.into())
        .await
        .unwrap()
        .expect("log-in succeeds")
        .ticket
}

#[tokio::test]
async fn a_partner_apps_ticket_is_refused_through_a_user_management_app() {
    let settings = Settings {
        mode: Mode::Online,
        user_agent_enabled: true,
        ..Settings::default()
    };
    let app = spawn_app_with(ServerConfig::default(), settings).await;
    let (partner, _) = register(&app, "partner", false).await;
    let (tool, _) = register(&app, "user-admin-tool", true).await;
    let (other_tool, other_token) = register(&app, "second-tool", true).await;
    let partner_ticket = ticket_through(&partner).await;
    let tool_ticket = ticket_through(&tool).await;

    for (what, ticket) in [
        ("a partner app's ticket", &partner_ticket),
        ("another user-management app's ticket", &tool_ticket),
    ] {
        let answer = other_tool
            .set_password(ticket, app.admin_id, &"Hijacked-Password-1".into())
            .await
            .unwrap();
        assert!(!answer.succeeded && !answer.response, "{what}: {answer:?}");
        let e = answer.error.expect("an ExceptionInfo");
        assert_eq!(e.exception_type, "SoInvalidTicketException", "{what}");
        assert!(
            e.message.contains("another application"),
            "{what}: {}",
            e.message
        );
    }
    let raw = app
        .post(
            "/Remote/Services88/User.svc",
            &[
                ("Content-Type", "text/xml; charset=utf-8"),
                ("SOAPAction", &format!("\"{NS}/User/SetPassword\"")),
            ],
            format!(
                "<s:Envelope xmlns:s=\"{SOAP11}\"><s:Header><ApplicationToken xmlns=\"{NS}\">{}</ApplicationToken><Credentials xmlns=\"{NS}\"><Ticket>{}</Ticket></Credentials></s:Header><s:Body>{}</s:Body></s:Envelope>",
                other_token,
                partner_ticket.expose(),
                set_password_body(&app.admin_id.to_string(), "Hijacked-Password-1"),
            ),
        )
        .await;
    let a = Answer::read(&raw);
    a.assert_exception("SoInvalidTicketException");
    assert!(a.body.contains("ticket_app_mismatch"), "{}", a.body);
    // Nothing changed, and each ticket still works through its own application.
    assert!(tool
        .login("admin", &ADMIN_PASSWORD.into())
        .await
        .unwrap()
        .is_some());
    let own = tool
        .set_password(&tool_ticket, app.admin_id, &"Rightful-Password-2".into())
        .await
        .unwrap();
    assert!(own.succeeded && own.response, "{own:?}");
    let partner_own = partner
        .set_password(&partner_ticket, app.admin_id, &"Rightful-Password-3".into())
        .await
        .unwrap();
    let e = partner_own
        .error
        .expect("a partner app may not manage users");
    assert_eq!(e.exception_type, "SoAccessDeniedException");
}
