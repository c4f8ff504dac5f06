//! GET under a customer segment: the WSDL and info page exist only for a tenant that
//! exists; an unknown one is a 404, as a POST to the same path is.

use accounts::Timestamp;

use crate::helpers::*;

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let resp = app.http.get(app.url(path)).send().await.unwrap();
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, resp.text().await.unwrap())
}

#[tokio::test]
async fn a_get_under_an_unknown_tenant_is_a_404_naming_it() {
    let app = spawn_app().await;
    for path in [
        "/Nope/Remote/Services88/User.svc",
        "/Nope/Remote/Services88/User.svc?wsdl",
        "/Nope/Remote/Services88/User.svc?singleWsdl",
        "/nope/remote/services88/user.svc?WSDL",
        "/Nope/Remote/Services88/SoPrincipal.svc",
        "/Nope/Remote/Services88/SoPrincipal.svc?wsdl",
        "/Nope/Remote/Services88/User.svc/soap12?wsdl",
    ] {
        let (status, content_type, body) = get(&app, path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(
            content_type.starts_with("text/plain"),
            "{path}: {content_type}"
        );
        assert!(
            body.to_lowercase().contains("no customer 'nope'"),
            "{path}: {body}"
        );
        assert!(!body.contains("wsdl:definitions"), "{path}: {body}");
    }
    let head = app
        .http
        .head(app.url("/Nope/Remote/Services88/User.svc?wsdl"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status().as_u16(), 404);
    // The POST to the same path answers the same status.
    let post = app
        .post(
            "/Nope/Remote/Services88/User.svc",
            &[("Content-Type", "text/xml")],
            envelope(SOAP11, None, &set_password_body("1", "whatever-pw-1")),
        )
        .await;
    assert_eq!(post.status, 404, "{}", post.body);
}

#[tokio::test]
async fn a_get_under_a_known_tenant_or_none_still_describes_the_service() {
    let app = spawn_app().await;
    app.accounts
        .add_tenant("CustA", Timestamp::now())
        .await
        .unwrap();
    for (path, address) in [
        (
            "/CustA/Remote/Services88/User.svc?wsdl",
            "/CustA/Remote/Services88/User.svc\"",
        ),
        (
            "/custa/Remote/Services88/SoPrincipal.svc?singleWsdl",
            "/custa/Remote/Services88/SoPrincipal.svc\"",
        ),
        (
            "/Remote/Services88/User.svc?wsdl",
            "/Remote/Services88/User.svc\"",
        ),
    ] {
        let (status, content_type, body) = get(&app, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert!(
            content_type.starts_with("text/xml"),
            "{path}: {content_type}"
        );
        assert!(body.contains(address), "{path}: {body}");
    }
    let (status, content_type, _) = get(&app, "/CustA/Remote/Services88/User.svc").await;
    assert_eq!((status, content_type.starts_with("text/html")), (200, true));
}
