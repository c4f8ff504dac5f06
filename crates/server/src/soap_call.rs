//! One SOAP call, top to bottom: read the call (`read`) → the agent runs it (`agents`) →
//! write the answer (`respond`). The call runs under its operation id: the id goes into
//! the `X-Operation-Id` header of every answer, into a `call` span that the domain's and
//! the hashing threads' log lines are written in, and into the one log line per call,
//! which names the service, operation, status, outcome code and duration, and never a
//! value of the request.

use std::error::Error;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use bytes::Bytes;
use http::{header, HeaderMap, HeaderName, HeaderValue, Request};
use tracing::Instrument;

use crate::agents::{self, Output, Reply};
use crate::read::read_call;
use crate::respond::{self, Response};
use crate::routes::Endpoint;
use crate::AppState;

/// The HTTP response header that carries a SOAP call's operation id.
const OPERATION_ID_HEADER: HeaderName = HeaderName::from_static("x-operation-id");

/// How one SOAP call ended, for its log line.
struct Ending {
    operation: Option<String>,
    code: &'static str,
}

/// Serves one SOAP call from `peer` to `endpoint`.
pub async fn serve<B>(
    state: &AppState,
    endpoint: &Endpoint,
    peer: SocketAddr,
    request: Request<B>,
) -> Response
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    let started = Instant::now();
    let op_id = new_operation_id();
    let client = state
        .config
        .trusted_proxies
        .client(peer.ip(), request.headers());
    let span = tracing::info_span!("call", op_id = %op_id);
    let (mut response, ending) = call(state, endpoint, client, request, &op_id)
        .instrument(span)
        .await;
    if let Ok(value) = HeaderValue::from_str(&op_id) {
        response.headers_mut().insert(OPERATION_ID_HEADER, value);
    }
    forbid_caching(response.headers_mut());
    tracing::info!(
        op_id = %op_id,
        client = %client,
        service = endpoint.service.port_type(),
        operation = ending.operation.as_deref().unwrap_or("-"),
        status = response.status().as_u16(),
        outcome = ending.code,
        duration_ms = started.elapsed().as_millis() as u64,
        "soap call"
    );
    response
}

async fn call<B>(
    state: &AppState,
    endpoint: &Endpoint,
    client: IpAddr,
    request: Request<B>,
    op_id: &str,
) -> (Response, Ending)
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    let call = match read_call(state, endpoint, client, request, op_id).await {
        Ok(call) => call,
        Err(refusal) => {
            let ending = Ending {
                operation: refusal.operation().map(str::to_owned),
                code: refusal.code(),
            };
            return (respond::refusal(refusal), ending);
        }
    };
    let operation = &call.request.operation;
    let answer = agents::call(&state.accounts, endpoint.service, operation, &call.ctx).await;
    let ending = Ending {
        operation: Some(operation.name.clone()),
        code: match &answer {
            Ok(reply) => outcome_code(reply),
            Err(error) => error.code(),
        },
    };
    let version = call.request.version;
    let response = respond::answer(version, answer, state.config.faults, op_id);
    (response, ending)
}

/// A failed log-in is an answer, not an error, but the log names it.
fn outcome_code(reply: &Reply) -> &'static str {
    match &reply.result {
        Ok(Output::Authenticate(None)) => "login_failed",
        Ok(_) => "success",
        Err(error) => error.code(),
    }
}

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

/// Every SOAP answer is for one caller and may carry a ticket (log-in) or a generated
/// password (SetGeneratedPassword): no cache or proxy in between may keep it. Set on all
/// of them rather than per operation, so that no new operation can forget it.
fn forbid_caching(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // For HTTP/1.0 caches, which do not know Cache-Control.
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
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
}
