//! The benchmark's HTTP ceiling: a bare hyper 1 server on tokio that reads each request's
//! body and answers a fixed ~300-byte body, keep-alive, on every core.
//!
//! ```sh
//! hello 127.0.0.1:PORT [--hop | --sketch]
//! ```
//!
//! `--hop` adds one empty `tokio::task::spawn_blocking` per request, awaited before the
//! answer: the cost of handing each request to the blocking pool and back (two thread
//! wake-ups), which any design pays that sends a per-request database call there.
//! `--sketch` answers like the minimal SOAP server of the performance anchors instead
//! ([`sketch`]): the floor for a real server's protocol path.

mod sketch;

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// About the size of a SOAP answer's envelope without its headers.
const BODY: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>",
    "<SetPasswordResponse xmlns=\"http://www.superoffice.net/ws/crm/NetServer/Services88\">",
    "<Response>false</Response></SetPasswordResponse>",
    "<!-- hello: a fixed answer of about 300 bytes ------------ -->",
    "</s:Body></s:Envelope>"
);

/// What a server of this binary does per request.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Hello,
    Hop,
    Sketch,
}

async fn answer(
    req: Request<hyper::body::Incoming>,
    mode: Mode,
) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read the whole request, as any real server must.
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if mode == Mode::Hop {
        let _ = tokio::task::spawn_blocking(|| std::hint::black_box(0u64)).await;
    }
    let answer = match mode {
        Mode::Sketch => Bytes::from(sketch::answer(&body)),
        Mode::Hello | Mode::Hop => Bytes::from_static(BODY.as_bytes()),
    };
    Ok(Response::builder()
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(Full::new(answer))
        .unwrap_or_default())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8081".into());
    let mode = match std::env::args().nth(2).as_deref() {
        None => Mode::Hello,
        Some("--hop") => Mode::Hop,
        Some("--sketch") => Mode::Sketch,
        Some(other) => return Err(format!("unknown option {other}; use --hop or --sketch")),
    };
    let listener = TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!("hello listening on http://{addr}");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(move |r| answer(r, mode)))
                .await;
        });
    }
}
