//! The served OpenAPI document: at `/api/v1/openapi.json` in any case, under a customer
//! segment (which becomes its first server), 404 for an unknown customer, GET only.

use crate::helpers::*;

async fn document(app: &TestApp, path: &str) -> serde_json::Value {
    let resp = app.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    assert_eq!(
        resp.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    serde_json::from_str(&resp.text().await.unwrap()).unwrap()
}

#[tokio::test]
async fn the_document_is_served_at_the_root_in_any_case() {
    let app = spawn_app().await;
    let doc = document(&app, "/api/v1/openapi.json").await;
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["servers"][0]["url"], "/");
    assert_eq!(
        doc["paths"]["/api/v1/Agents/User/SetPassword"]["post"]["operationId"],
        "v1UserAgent_SetPassword"
    );
    let same = document(&app, "/API/V1/OpenAPI.json").await;
    assert_eq!(doc, same);
    let text = app
        .http
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text, server::openapi::openapi(""));
}

#[tokio::test]
async fn under_a_customer_the_first_server_is_the_customers_base() {
    let app = spawn_app().await;
    app.accounts
        .add_tenant("Cust42", accounts::Timestamp::now())
        .await
        .unwrap();
    let doc = document(&app, "/Cust42/api/v1/openapi.json").await;
    assert_eq!(doc["servers"][0]["url"], "/Cust42");
    let resp = app
        .http
        .get(app.url("/Cust43/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn only_get_and_head_read_it() {
    let app = spawn_app().await;
    let head = app
        .http
        .head(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    let post = app
        .http
        .post(app.url("/api/v1/openapi.json"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET, HEAD");
}
