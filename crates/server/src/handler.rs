//! The one HTTP entry point: health, GET to the OpenAPI document, GET to the WSDL and
//! info pages, POST to a SOAP call (`soap_call`), anything else refused.

use std::error::Error;
use std::net::SocketAddr;

use bytes::Bytes;
use http::{header, HeaderMap, Method, Request, StatusCode};

use crate::health;
use crate::respond::{self, Response};
use crate::routes::{openapi_customer, parse_path, Endpoint};
use crate::AppState;
use crate::{openapi, wsdl};

/// Every HTTP request of a connection.
pub async fn handle<B>(state: &AppState, peer: SocketAddr, request: Request<B>) -> Response
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    let path = request.uri().path();
    if path.eq_ignore_ascii_case("/health") {
        return health::alive();
    }
    if path.eq_ignore_ascii_case("/health/ready") {
        return health::ready(state).await;
    }
    if let Some(customer) = openapi_customer(path) {
        return describe_rest(state, customer, request.method()).await;
    }
    let Some(endpoint) = parse_path(path) else {
        return respond::text(StatusCode::NOT_FOUND, "no such service\n");
    };
    match *request.method() {
        Method::GET | Method::HEAD => {
            // The WSDL and info page name an address under the customer segment: an
            // unknown customer has no such address, so it is a 404 here as for a POST.
            match state
                .accounts
                .resolve_tenant(endpoint.customer.as_deref())
                .await
            {
                Ok(_) => describe(state, &endpoint, &request),
                Err(error) => respond::tenant_refused_page(&error),
            }
        }
        Method::POST => crate::soap_call::serve(state, &endpoint, peer, request).await,
        _ => respond::method_not_allowed(),
    }
}

/// The OpenAPI document, naming the base it was asked under; an unknown customer has
/// no such base (404, as for the WSDL).
async fn describe_rest(state: &AppState, customer: Option<String>, method: &Method) -> Response {
    if !matches!(*method, Method::GET | Method::HEAD) {
        return respond::get_only();
    }
    if let Err(error) = state.accounts.resolve_tenant(customer.as_deref()).await {
        return respond::tenant_refused_page(&error);
    }
    let base = customer.map(|c| format!("/{c}")).unwrap_or_default();
    respond::json_document(openapi::openapi(&base))
}

/// `?wsdl` / `?singleWsdl` (any case) gives the WSDL; anything else the info page.
fn describe<B>(state: &AppState, endpoint: &Endpoint, request: &Request<B>) -> Response {
    let Some(address) = address(state, endpoint, request.headers()) else {
        return respond::text(
            StatusCode::BAD_REQUEST,
            "the Host header must be one plain host[:port]; \
             an operator can fix the address with [http] public_url\n",
        );
    };
    let wants_wsdl = request.uri().query().is_some_and(|q| {
        q.split('&').any(|p| {
            let key = p.split('=').next().unwrap_or("");
            key.eq_ignore_ascii_case("wsdl") || key.eq_ignore_ascii_case("singlewsdl")
        })
    });
    if wants_wsdl {
        respond::xml_document(wsdl::wsdl(endpoint.service, &address))
    } else {
        respond::html(wsdl::info_page(endpoint.service, &address))
    }
}

/// The service address the documents name: under `[http] public_url` when set, else
/// under the request's `Host` if that is one plain `host[:port]` (see `public_url`);
/// `None` when neither gives one.
fn address(state: &AppState, endpoint: &Endpoint, headers: &HeaderMap) -> Option<String> {
    if let Some(public) = &state.config.public_url {
        return Some(public.address(&endpoint.svc_path));
    }
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = hosts.next()?.to_str().ok()?;
    if hosts.next().is_some() || !crate::public_url::is_plain_host(host) {
        return None;
    }
    Some(format!("http://{host}{}", endpoint.svc_path))
}
