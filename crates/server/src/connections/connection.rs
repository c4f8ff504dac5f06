//! One connection: hyper's HTTP/1.1 over the [`Guarded`] socket, every request to the
//! handler, each answer counted once hyper has taken all of it (the keep-alive clock and
//! the idle test start when it is written out), and a close on request (eviction at the
//! cap, shutdown) that lets a request under way finish and be answered first.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::framing::HeadLimits;
use super::guarded::{Guarded, Timeouts};
use super::registry::{Registration, Registry, Slot};
use crate::{handler, AppState};

/// What every connection of a server shares.
pub struct Shared {
    pub state: Arc<AppState>,
    pub builder: http1::Builder,
    pub limits: HeadLimits,
    pub timeouts: Timeouts,
    pub registry: Arc<Registry>,
}

/// Serves one connection until it ends; its errors (a client gone mid-request, a refused
/// head, a timeout) end it and are logged at debug level.
pub async fn serve(
    shared: Arc<Shared>,
    stream: TcpStream,
    peer: SocketAddr,
    registration: Registration,
) {
    // Answers go out in one write each; do not hold them back for the client's ACK.
    let _ = stream.set_nodelay(true);
    let slot = registration.slot.clone();
    let io = Guarded::new(
        stream,
        shared.limits,
        shared.timeouts,
        slot.clone(),
        shared.registry.clone(),
    );
    let state = shared.state.clone();
    let answers = slot.clone();
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let state = state.clone();
        let slot = answers.clone();
        async move {
            let response = handler::handle(&state, peer, request).await;
            Ok::<_, Infallible>(response.map(|body| Answer { body, slot }))
        }
    });
    let conn = shared.builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    let ended = tokio::select! {
        ended = conn.as_mut() => ended,
        () = slot.close.notified() => {
            // Closes at once when idle; otherwise after the answer under way.
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = ended {
        tracing::debug!(error = %e, "connection ended with an error");
    }
    drop(registration);
}

/// A response body that counts itself answered when hyper drops it, which it does once
/// it has taken the last byte.
struct Answer {
    body: Full<Bytes>,
    slot: Arc<Slot>,
}

impl Drop for Answer {
    fn drop(&mut self) {
        self.slot.answered.fetch_add(1, Ordering::Relaxed);
    }
}

impl hyper::body::Body for Answer {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
