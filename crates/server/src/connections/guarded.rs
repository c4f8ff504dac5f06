//! A connection's socket as hyper sees it, with the limits hyper does not keep itself.
//! Every byte read passes the [`Framer`], which knows whether a head, a body or nothing is
//! arriving; from that, a read that would wait past the phase's deadline ends instead:
//! - a head must arrive within the head timeout of its first byte (a client trickling a
//!   header line now and then is dropped all the same),
//! - a body within the body timeout of the end of its head,
//! - between requests, once every answer is flushed, the next head must start within the
//!   keep-alive time (the first within the head timeout of the accept); an idle
//!   connection is closed quietly (end of input, as if the client had closed).
//!
//! A head the framer refuses never reaches hyper: when nothing else is owed on the
//! connection the answer (431 or 400, with a text saying why) is written here, then the
//! connection is closed after a short lingering read, so that the client reads the answer
//! rather than a reset. The phases also tell the [`Registry`] which connections are idle.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

use super::framing::{Framer, HeadLimits, Phase, Refusal};
use super::registry::{Registry, Slot};

/// How long a refused connection keeps reading (and dropping) input after the answer.
const LINGER: Duration = Duration::from_secs(2);
/// At most this much input is read and dropped while lingering.
const LINGER_BYTES: usize = 256 * 1024;

/// The deadlines of one connection.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub head: Duration,
    pub body: Duration,
    pub keep_alive: Duration,
}

/// A refusal being answered: the answer, how much of it is written, then the linger.
struct Refusing {
    answer: Vec<u8>,
    written: usize,
    /// Set once the answer is out and the write side is shut.
    linger_until: Option<Instant>,
    drained: usize,
    reason: Refusal,
}

pub struct Guarded {
    stream: TcpStream,
    framer: Framer,
    limits: HeadLimits,
    timeouts: Timeouts,
    slot: Arc<Slot>,
    registry: Arc<Registry>,
    /// When the current phase (or the idle time) began.
    since: Instant,
    /// Heads completed, each a request hyper hands to the service.
    heads: u64,
    /// Answers known to be written out (counted at a completed flush).
    flushed: u64,
    timer: Pin<Box<Sleep>>,
    /// The instant the timer is set to, if it is set; it may be earlier than the deadline
    /// (it is then set again when it fires), which saves resetting it on every request.
    armed: Option<Instant>,
    refusing: Option<Refusing>,
}

impl Guarded {
    pub fn new(
        stream: TcpStream,
        limits: HeadLimits,
        timeouts: Timeouts,
        slot: Arc<Slot>,
        registry: Arc<Registry>,
    ) -> Guarded {
        let now = Instant::now();
        Guarded {
            stream,
            framer: Framer::new(limits),
            limits,
            timeouts,
            slot,
            registry,
            since: now,
            heads: 0,
            flushed: 0,
            timer: Box::pin(tokio::time::sleep_until(now)),
            armed: None,
            refusing: None,
        }
    }

    /// The deadline of the current phase, and whether passing it is an error (a request
    /// left incomplete) or a quiet close (an idle connection). None while the server owes
    /// an answer.
    fn deadline(&self) -> Option<(Instant, Option<&'static str>)> {
        match self.framer.phase() {
            Phase::Head => Some((
                self.since + self.timeouts.head,
                Some("the request head did not arrive in time"),
            )),
            Phase::Body => Some((
                self.since + self.timeouts.body,
                Some("the request body did not arrive in time"),
            )),
            Phase::Between if self.heads > self.flushed => None,
            Phase::Between if self.heads == 0 => Some((self.since + self.timeouts.head, None)),
            Phase::Between => Some((self.since + self.timeouts.keep_alive, None)),
        }
    }

    /// Whether `deadline` has passed; if not, the task is woken when it does.
    fn poll_expired(&mut self, cx: &mut Context<'_>, deadline: Instant) -> bool {
        loop {
            if Instant::now() >= deadline {
                return true;
            }
            if !matches!(self.armed, Some(at) if at <= deadline) {
                self.timer.as_mut().reset(deadline);
                self.armed = Some(deadline);
            }
            match self.timer.as_mut().poll(cx) {
                Poll::Pending => return false,
                // Set earlier than the deadline: set it again.
                Poll::Ready(()) => self.armed = None,
            }
        }
    }

    fn waiting(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some((deadline, error)) = self.deadline() else {
            return Poll::Pending;
        };
        if !self.poll_expired(cx, deadline) {
            return Poll::Pending;
        }
        match error {
            Some(message) => {
                tracing::debug!(message, "closing a connection");
                Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, message)))
            }
            // End of input: hyper closes an idle connection without an answer.
            None => Poll::Ready(Ok(())),
        }
    }

    fn refuse(&mut self, cx: &mut Context<'_>, reason: Refusal) -> Poll<io::Result<()>> {
        tracing::debug!(?reason, "refusing a request head");
        if self.heads > self.flushed {
            // Answers to earlier (pipelined) requests are still owed; an answer written
            // now would be taken for theirs. Close without one.
            return Poll::Ready(Err(refused(reason)));
        }
        self.refusing = Some(Refusing {
            answer: answer(reason, &self.limits),
            written: 0,
            linger_until: None,
            drained: 0,
            reason,
        });
        self.poll_refuse(cx)
    }

    fn poll_refuse(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(mut r) = self.refusing.take() else {
            return Poll::Ready(Err(io::ErrorKind::NotConnected.into()));
        };
        let polled = self.poll_refusing(cx, &mut r);
        self.refusing = Some(r);
        polled
    }

    fn poll_refusing(&mut self, cx: &mut Context<'_>, r: &mut Refusing) -> Poll<io::Result<()>> {
        while r.written < r.answer.len() {
            match ready!(Pin::new(&mut self.stream).poll_write(cx, &r.answer[r.written..])) {
                Ok(0) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Ok(n) => r.written += n,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
        let linger_until = match r.linger_until {
            Some(at) => at,
            None => {
                ready!(Pin::new(&mut self.stream).poll_shutdown(cx))?;
                let at = Instant::now() + LINGER;
                r.linger_until = Some(at);
                at
            }
        };
        loop {
            let mut scratch = [0u8; 4096];
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut self.stream).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if !buf.filled().is_empty() => {
                    r.drained += buf.filled().len();
                    if r.drained > LINGER_BYTES {
                        return Poll::Ready(Err(refused(r.reason)));
                    }
                }
                Poll::Ready(_) => return Poll::Ready(Err(refused(r.reason))),
                Poll::Pending if self.poll_expired(cx, linger_until) => {
                    return Poll::Ready(Err(refused(r.reason)))
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// After a completed flush: answers counted before it are written out. Once all are
    /// and nothing is arriving, the connection is idle from now, and the keep-alive
    /// deadline is set here: hyper's read for the next request may already be waiting
    /// (it was polled while the answer was owed, with no deadline).
    fn flushed(&mut self, cx: &mut Context<'_>) {
        let answered = self.slot.answered.load(Ordering::Relaxed);
        if answered == self.flushed {
            return;
        }
        self.flushed = answered;
        if self.framer.phase() == Phase::Between && self.heads <= self.flushed {
            self.since = Instant::now();
            self.slot.set_idle(self.registry.millis(self.since));
            if let Some((deadline, _)) = self.deadline() {
                if self.poll_expired(cx, deadline) {
                    cx.waker().wake_by_ref();
                }
            }
        }
    }
}

fn refused(reason: Refusal) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("request head refused: {reason:?}"),
    )
}

/// The whole answer to a refused head: status, a plain text saying what was wrong, and
/// `Connection: close`.
fn answer(reason: Refusal, limits: &HeadLimits) -> Vec<u8> {
    let (status, text) = match reason {
        Refusal::HeadTooLarge => (
            "431 Request Header Fields Too Large",
            format!(
                "The request line and headers together are larger than {} bytes.\n",
                limits.max_bytes
            ),
        ),
        Refusal::TooManyHeaders => (
            "431 Request Header Fields Too Large",
            format!(
                "The request has more than {} header lines.\n",
                limits.max_headers
            ),
        ),
        Refusal::LengthWithTransferEncoding => (
            "400 Bad Request",
            "The request has both Content-Length and Transfer-Encoding; send one of them.\n"
                .to_owned(),
        ),
        Refusal::TwoLengths => (
            "400 Bad Request",
            "The request has more than one Content-Length header.\n".to_owned(),
        ),
        Refusal::BadLength => (
            "400 Bad Request",
            "The request's Content-Length is not a decimal number.\n".to_owned(),
        ),
    };
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    )
    .into_bytes()
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.refusing.is_some() {
            return this.poll_refuse(cx);
        }
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let fresh = &buf.filled()[before..];
                if fresh.is_empty() {
                    return Poll::Ready(Ok(()));
                }
                match this.framer.feed(fresh) {
                    Ok(progress) => {
                        if progress.moved {
                            this.since = Instant::now();
                            this.heads += progress.heads;
                            this.slot.set_busy();
                        }
                        Poll::Ready(Ok(()))
                    }
                    Err(reason) => {
                        buf.set_filled(before);
                        this.refuse(cx, reason)
                    }
                }
            }
            Poll::Pending => this.waiting(cx),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
        }
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(Pin::new(&mut this.stream).poll_flush(cx))?;
        this.flushed(cx);
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_answers_are_complete_responses_that_close() {
        let limits = HeadLimits {
            max_bytes: 8192,
            max_headers: 50,
        };
        let text = String::from_utf8(answer(Refusal::HeadTooLarge, &limits)).unwrap();
        assert!(text.starts_with("HTTP/1.1 431 "), "{text}");
        assert!(text.contains("connection: close\r\n"), "{text}");
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(body.contains("8192 bytes"), "{body}");
        let count = String::from_utf8(answer(Refusal::TooManyHeaders, &limits)).unwrap();
        assert!(count.contains("more than 50 header lines"), "{count}");
        let smuggle = String::from_utf8(answer(Refusal::TwoLengths, &limits)).unwrap();
        assert!(smuggle.starts_with("HTTP/1.1 400 "), "{smuggle}");
    }
}
