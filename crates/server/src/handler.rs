//! The one HTTP entry point: routes health, GET to the WSDL/info pages, POST to the
//! SOAP pipeline (read body within limits → parse → cross-check action → agent → write).

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use accounts::{CallContext, Secret};
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use soap::{Fault, SoapError, SoapVersion};

use crate::agents;
use crate::errors;
use crate::health;
use crate::routes::{parse_path, Endpoint};
use crate::wsdl::{self, Service};
use crate::AppState;

/// The HTTP response header that carries a SOAP call's operation id.
pub const OPERATION_ID_HEADER: HeaderName = HeaderName::from_static("x-operation-id");
/// The `ExtraInfo` key that carries it in the SOAP response headers.
pub const OPERATION_ID_KEY: &str = "OperationId";

/// A fresh operation id: 128 random bits as 32 lowercase hex digits. From the thread's
/// user-space CSPRNG (reseeded from the OS), not a system call per request: the id must
/// be unique, not secret.
fn new_operation_id() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bits = rand::random::<u128>();
    (0..32)
        .rev()
        .map(|nibble| char::from(HEX[((bits >> (nibble * 4)) & 0xF) as usize]))
        .collect()
}

/// How one SOAP call ended, for its log line.
struct Outcome {
    operation: Option<String>,
    code: &'static str,
}

/// Every HTTP request of a connection.
pub async fn handle(state: &AppState, peer: SocketAddr, request: Request) -> Response {
    let path = request.uri().path();
    if path.eq_ignore_ascii_case("/health") {
        return health::alive();
    }
    if path.eq_ignore_ascii_case("/health/ready") {
        return health::ready(state).await;
    }
    let Some(endpoint) = parse_path(path) else {
        return (StatusCode::NOT_FOUND, "no such service\n").into_response();
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
                Err(error) => errors::tenant_refused_page(&error),
            }
        }
        Method::POST => logged_soap_call(state, &endpoint, peer, request).await,
        _ => (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD, POST")],
            "use POST for SOAP calls, GET for the WSDL\n",
        )
            .into_response(),
    }
}

/// `?wsdl` / `?singleWsdl` (any case) gives the WSDL; anything else the info page.
fn describe(state: &AppState, endpoint: &Endpoint, request: &Request) -> Response {
    let Some(address) = address(state, endpoint, request.headers()) else {
        return (
            StatusCode::BAD_REQUEST,
            "the Host header must be one plain host[:port]; \
             an operator can fix the address with [http] public_url\n",
        )
            .into_response();
    };
    let wants_wsdl = request.uri().query().is_some_and(|q| {
        q.split('&').any(|p| {
            let key = p.split('=').next().unwrap_or("");
            key.eq_ignore_ascii_case("wsdl") || key.eq_ignore_ascii_case("singlewsdl")
        })
    });
    if wants_wsdl {
        let doc = wsdl::wsdl(endpoint.service, &address);
        ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], doc).into_response()
    } else {
        let page = wsdl::info_page(endpoint.service, &address);
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
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
    if hosts.next().is_some() || !crate::is_plain_host(host) {
        return None;
    }
    Some(format!("http://{host}{}", endpoint.svc_path))
}

/// One SOAP call under its operation id: the id goes into the `X-Operation-Id` header of
/// every answer and into the one log line per call, which names the service, operation,
/// status, outcome code and duration, and never a value of the request.
async fn logged_soap_call(
    state: &AppState,
    endpoint: &Endpoint,
    peer: SocketAddr,
    request: Request,
) -> Response {
    let started = Instant::now();
    let op_id = new_operation_id();
    let client = state
        .config
        .trusted_proxies
        .client(peer.ip(), request.headers());
    let (mut response, outcome) = soap_call(state, endpoint, client, request, &op_id).await;
    if let Ok(value) = HeaderValue::from_str(&op_id) {
        response.headers_mut().insert(OPERATION_ID_HEADER, value);
    }
    forbid_caching(response.headers_mut());
    tracing::info!(
        op_id = %op_id,
        client = %client,
        service = service_name(endpoint.service),
        operation = outcome.operation.as_deref().unwrap_or("-"),
        status = response.status().as_u16(),
        outcome = outcome.code,
        duration_ms = started.elapsed().as_millis() as u64,
        "soap call"
    );
    response
}

/// Every SOAP answer is for one caller and may carry a ticket (log-in) or a generated
/// password (SetGeneratedPassword): no cache or proxy in between may keep it. Set on all
/// of them rather than per operation, so that no new operation can forget it.
fn forbid_caching(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // For HTTP/1.0 caches, which do not know Cache-Control.
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

fn service_name(service: Service) -> &'static str {
    match service {
        Service::User => "User",
        Service::SoPrincipal => "SoPrincipal",
    }
}

async fn soap_call(
    state: &AppState,
    endpoint: &Endpoint,
    client: IpAddr,
    request: Request,
    op_id: &str,
) -> (Response, Outcome) {
    let refused = |code: &'static str| Outcome {
        operation: None,
        code,
    };
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let content_type = header_str(headers, header::CONTENT_TYPE);
    let hint = SoapVersion::from_content_type(content_type.unwrap_or(""));
    if let Some(ct) = content_type {
        if !acceptable_content_type(ct) {
            let fault = Fault::new(hint, SoapError::UnsupportedMediaType(ct.to_owned()));
            let response = errors::fault_response(&fault, StatusCode::UNSUPPORTED_MEDIA_TYPE);
            return (response, refused(fault.error.code()));
        }
    }
    let limit = state.config.limits.max_bytes;
    let too_large = || {
        let fault = Fault::new(hint, SoapError::TooLarge { limit });
        let response = closing(errors::fault_response(
            &fault,
            StatusCode::PAYLOAD_TOO_LARGE,
        ));
        (response, refused(fault.error.code()))
    };
    // A declared length over the limit is answered before any of the body is read.
    if declared_length(headers).is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let body = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) if timed_out(&e) => {
            let response = (
                StatusCode::REQUEST_TIMEOUT,
                [(header::CONNECTION, "close")],
                "the request body did not arrive in time\n",
            )
                .into_response();
            return (response, refused("body_timeout"));
        }
        Err(_) => return too_large(),
    };
    let parsed = soap::parse_request(&body, hint, &state.config.limits);
    // The customer segment names the tenant; an unknown one is answered before anything
    // else is looked at, in the SOAP version of the envelope when it can be read.
    let tenant = match state
        .accounts
        .resolve_tenant(endpoint.customer.as_deref())
        .await
    {
        Ok(tenant) => tenant,
        Err(error) => {
            let version = parsed.as_ref().map_or(hint, |p| p.version);
            return (
                errors::tenant_refused(version, &error, op_id),
                refused(error.code()),
            );
        }
    };
    let parsed = match parsed {
        Ok(r) => r,
        Err(fault) => return (errors::fault_status(&fault), refused(fault.error.code())),
    };
    let operation = Some(parsed.operation.name.clone());
    let soap_action = header_str(headers, "soapaction");
    if let Some(action) = soap::action_from_headers(content_type, soap_action) {
        if !action_names(&action, &parsed.operation.name) {
            let error = SoapError::ActionMismatch {
                action,
                operation: parsed.operation.name.clone(),
            };
            let fault = Fault::new(parsed.version, error);
            let outcome = Outcome {
                operation,
                code: fault.error.code(),
            };
            return (errors::fault_status(&fault), outcome);
        }
    }
    let ctx = CallContext {
        tenant,
        ticket: parsed.headers.ticket.clone().map(Secret::new),
        app_token: parsed.headers.application_token.clone().map(Secret::new),
        client: Some(client.to_string()),
        operation_id: op_id.to_owned(),
        now: state.config.clock.now(),
    };
    match agents::call(&state.accounts, endpoint.service, &parsed, &ctx).await {
        Ok(reply) => {
            let code = match &reply.result {
                Ok(agents::Body::Authenticate(None)) => "login_failed",
                Ok(_) => "success",
                Err(error) => error.code(),
            };
            let extra = vec![(OPERATION_ID_KEY.to_owned(), op_id.to_owned())];
            let response =
                errors::reply_response(parsed.version, reply, state.config.faults, extra, op_id);
            (response, Outcome { operation, code })
        }
        Err(error) => {
            let fault = Fault::new(parsed.version, error);
            let outcome = Outcome {
                operation,
                code: fault.error.code(),
            };
            (errors::fault_status(&fault), outcome)
        }
    }
}

/// The action cross-check: an action names an operation by its last path segment
/// (`…/Services88/User/SetPassword`; older generated proxies send `…/Services88/SetPassword`).
fn action_names(action: &str, operation: &str) -> bool {
    action
        .rsplit('/')
        .next()
        .is_some_and(|last| last == operation)
}

fn acceptable_content_type(ct: &str) -> bool {
    let media = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        media.as_str(),
        "text/xml" | "application/soap+xml" | "application/xml"
    )
}

/// The `Content-Length` the request declares (two of them, or one beside a
/// `Transfer-Encoding`, never get this far: the connection layer refuses them).
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    header_str(headers, header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok())
}

/// Whether reading the body failed because it did not arrive in time.
fn timed_out(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// The connection is closed after this answer (the body it did not read is not drained).
fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Used by `errors` to build a bare body response.
pub fn xml(version: SoapVersion, status: StatusCode, bytes: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, version.content_type())],
        Body::from(bytes),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_are_32_lowercase_hex_digits_and_differ() {
        let (a, b) = (new_operation_id(), new_operation_id());
        for id in [&a, &b] {
            assert_eq!(id.len(), 32, "{id}");
            assert!(
                id.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
                "{id}"
            );
        }
        assert_ne!(a, b);
    }

    #[test]
    fn actions_are_checked_by_their_last_segment() {
        let op = "SetPassword";
        assert!(action_names(
            "http://www.superoffice.net/ws/crm/NetServer/Services88/User/SetPassword",
            op
        ));
        assert!(action_names(
            "http://www.superoffice.net/ws/crm/NetServer/Services88/SetPassword",
            op
        ));
        assert!(!action_names(
            "http://www.superoffice.net/ws/crm/NetServer/Services88/User/ChangePassword",
            op
        ));
        assert!(!action_names("SetPasswordX", op));
    }
}
