//! The served WSDL and info pages.

use crate::helpers::*;

#[tokio::test]
async fn wsdl_is_served_for_every_spelling_with_the_requests_host() {
    let app = spawn_app().await;
    for query in ["wsdl", "WSDL", "singleWsdl", "singlewsdl"] {
        let resp = app
            .http
            .get(app.url(&format!("/Remote/Services88/User.svc?{query}")))
            .header("Host", "crm.example.test:8443")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/xml"));
        let text = resp.text().await.unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("targetNamespace"), Some(NS));
        let addresses: Vec<_> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "address")
            .filter_map(|n| n.attribute("location"))
            .collect();
        assert_eq!(addresses.len(), 2, "{query}");
        assert!(addresses
            .iter()
            .all(|a| *a == "http://crm.example.test:8443/Remote/Services88/User.svc"));
        assert!(text
            .contains("http://www.superoffice.net/ws/crm/NetServer/Services88/User/SetPassword"));
        assert!(text.contains("WcfUserService") && text.contains("BasicHttpBinding_User"));
    }
}

#[tokio::test]
async fn soprincipal_wsdl_keeps_the_customer_prefix() {
    let app = spawn_app().await;
    app.accounts
        .add_tenant("Cust42", accounts::Timestamp::now())
        .await
        .unwrap();
    let resp = app
        .http
        .get(app.url("/Cust42/Remote/Services88/SoPrincipal.svc?wsdl"))
        .send()
        .await
        .unwrap();
    let text = resp.text().await.unwrap();
    assert!(text.contains("WcfSoPrincipalService"));
    assert!(text.contains("/Cust42/Remote/Services88/SoPrincipal.svc\""));
    assert!(text.contains("SoPrincipal/AuthenticateUsernamePassword"));
}

#[tokio::test]
async fn a_plain_get_shows_an_info_page_linking_the_wsdl() {
    let app = spawn_app().await;
    let resp = app
        .http
        .get(app.url("/Remote/Services88/User.svc"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = resp.text().await.unwrap();
    assert!(page.contains("WcfUserService"));
    assert!(page.contains("User.svc?wsdl"));
}

/// A `Host` that is not one plain `host[:port]` is refused (400), not echoed nor
/// replaced by a guess, for the WSDL and the info page alike.
#[tokio::test]
async fn a_hostile_host_header_is_refused() {
    let app = spawn_app().await;
    for host in [
        "evil\"><x",
        "evil.example@crm.example.test",
        "crm.example.test:8443/evil",
        "crm.example.test:99999",
        "evil example",
    ] {
        for query in ["?wsdl", ""] {
            let resp = app
                .http
                .get(app.url(&format!("/Remote/Services88/User.svc{query}")))
                .header("Host", host)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 400, "{host:?}");
            let text = resp.text().await.unwrap();
            assert!(!text.contains("evil"), "{host:?}: {text}");
            assert!(text.contains("public_url"), "{text}");
        }
    }
}
