//! `[http] public_url`: when set it is the only address the WSDL and the info page
//! name, whatever `Host` a request (or a cache in front of the server) carries.

use server::{PublicUrl, ServerConfig};

use crate::helpers::*;
use crate::support::{err, Env};

async fn app() -> TestApp {
    let config = ServerConfig {
        public_url: Some(PublicUrl::parse("https://crm.example.com:8443/netserver/").unwrap()),
        ..ServerConfig::default()
    };
    spawn_app_with(config, accounts::Settings::default()).await
}

fn locations(wsdl: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(wsdl).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "address")
        .filter_map(|n| n.attribute("location"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_public_url_is_the_only_address_named_whatever_the_host() {
    let app = app().await;
    // A GET under an unknown customer is a 404: the tenant exists.
    app.accounts
        .add_tenant("Cust7", accounts::Timestamp::now())
        .await
        .unwrap();
    for host in ["evil.example", "evil.example:80", "evil\"><x", "127.0.0.1"] {
        let get = |query: &'static str| {
            app.http
                .get(app.url(&format!("/Cust7/Remote/Services88/User.svc{query}")))
                .header("Host", host)
                .send()
        };
        let wsdl = get("?wsdl").await.unwrap();
        assert_eq!(wsdl.status(), 200, "{host:?}");
        let text = wsdl.text().await.unwrap();
        assert_eq!(
            locations(&text),
            vec!["https://crm.example.com:8443/netserver/Cust7/Remote/Services88/User.svc"; 2],
            "{host:?}"
        );
        assert!(
            !text.contains("evil") && !text.contains("127.0.0.1"),
            "{text}"
        );
        let page = get("").await.unwrap().text().await.unwrap();
        assert!(
            page.contains(
                "https://crm.example.com:8443/netserver/Cust7/Remote/Services88/User.svc?wsdl"
            ),
            "{page}"
        );
        assert!(
            !page.contains("evil") && !page.contains("127.0.0.1"),
            "{page}"
        );
    }
}

#[test]
fn a_bad_public_url_stops_serve_naming_the_key() {
    for (value, says) in [
        ("crm.example.com", "http://"),
        ("https://crm.example.com/a?b", "no query"),
        ("https://user@crm.example.com", "plain host"),
    ] {
        let env = Env::with_config(&format!("[http]\npublic_url = \"{value}\"\n"));
        let o = env.run(&["serve", "--listen", "127.0.0.1:0"], "");
        assert!(!o.status.success(), "{value}");
        let e = err(&o);
        assert!(
            e.contains("[http] public_url") && e.contains(says),
            "{value}: {e}"
        );
        assert!(
            !env.db().exists(),
            "nothing is created before the check: {value}"
        );
    }
}
