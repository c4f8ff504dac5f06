//! The whole HTTP request path in process, for the fuzz targets: a request made of plain
//! parts goes through the same [`handler::handle`] the accept loop calls, and the answer
//! comes back as plain parts; and the path parser on its own. Compiled only with the
//! `fuzzing` feature; the server itself never uses it.

use std::net::{Ipv4Addr, SocketAddr};

use bytes::Bytes;
use http::{header, HeaderName, HeaderValue, Method, Request};
use http_body_util::{BodyExt, Full};

use accounts::Accounts;

use crate::{handler, health, AppState, ServerConfig};

pub use crate::routes::parse_path;

/// What [`post`] serves from, as `serve` builds it.
pub struct State(AppState);

/// The state [`post`] serves from.
pub fn state(accounts: Accounts, config: ServerConfig) -> State {
    State(AppState {
        accounts,
        config,
        readiness: health::Readiness::default(),
    })
}

/// What the handler answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Sends `body` as a POST to `path` with `headers`. Header names or values that HTTP
/// cannot carry are skipped, as a client could not have sent them either; `None` when
/// the path itself is no valid request target.
pub async fn post(
    state: &State,
    path: &str,
    headers: &[(&str, &[u8])],
    body: Vec<u8>,
) -> Option<Answer> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .body(Full::new(Bytes::from(body)))
        .ok()?;
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) {
            request.headers_mut().append(name, value);
        }
    }
    let peer = SocketAddr::from((Ipv4Addr::LOCALHOST, 1));
    let response = handler::handle(&state.0, peer, request).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.into_body().collect().await.ok()?.to_bytes();
    Some(Answer {
        status,
        content_type,
        body: body.to_vec(),
    })
}
