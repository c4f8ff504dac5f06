//! A small SOAP 1.1 client for the soak: one keep-alive connection that reconnects when
//! the server closed it, the envelopes of the calls the soak makes, and reading an
//! answer's outcome (log-in ticket, `Response`, `ExceptionInfo` type, fault).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpStream;

use crate::wire::{contains, exchange};

pub(crate) const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";

/// An answer read whole, or why there is none.
pub(crate) enum Reply {
    Answer {
        status: u16,
        body: String,
    },
    /// The server closed (or reset) the connection before answering.
    Closed,
    /// No answer within the client's timeout.
    TimedOut,
}

/// One keep-alive connection to the server, opened on first use and after a close.
pub(crate) struct Conn {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
    timeout: Duration,
}

impl Conn {
    pub(crate) fn new(addr: SocketAddr) -> Conn {
        Conn {
            addr,
            stream: None,
            buf: Vec::with_capacity(16 * 1024),
            timeout: Duration::from_secs(30),
        }
    }

    /// The open stream, connecting first if there is none.
    pub(crate) async fn stream(&mut self) -> Result<&mut TcpStream, String> {
        if self.stream.is_none() {
            let s = TcpStream::connect(self.addr)
                .await
                .map_err(|e| format!("cannot connect: {e}"))?;
            let _ = s.set_nodelay(true);
            self.stream = Some(s);
        }
        self.stream.as_mut().ok_or_else(|| "no stream".to_owned())
    }

    /// Writes `raw` (the rest of a request) and reads the answer.
    pub(crate) async fn finish(&mut self, raw: &[u8]) -> Reply {
        let timeout = self.timeout;
        let mut buf = std::mem::take(&mut self.buf);
        let Ok(s) = self.stream().await else {
            self.buf = buf;
            return Reply::Closed;
        };
        let got = tokio::time::timeout(timeout, exchange(s, raw, &mut buf)).await;
        let reply = match got {
            Ok(Ok(a)) => {
                let body = String::from_utf8_lossy(&buf[a.body.0..a.body.1]).into_owned();
                if !a.keep_alive {
                    self.stream = None;
                }
                Reply::Answer {
                    status: a.status,
                    body,
                }
            }
            Ok(Err(_)) => {
                self.stream = None;
                Reply::Closed
            }
            Err(_) => {
                self.stream = None;
                Reply::TimedOut
            }
        };
        self.buf = buf;
        reply
    }

    /// Drops the connection (the next call opens a new one).
    pub(crate) fn close(&mut self) {
        self.stream = None;
    }

    /// Posts a SOAP 1.1 call to `agent` with `action` and the envelope `env`.
    pub(crate) async fn call(&mut self, agent: &str, action: &str, env: &str) -> Reply {
        let raw = request(agent, action, env.as_bytes());
        self.finish(&raw).await
    }
}

/// A whole HTTP request of a SOAP 1.1 call.
pub(crate) fn request(agent: &str, action: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "POST /Remote/Services88/{agent}.svc HTTP/1.1\r\nHost: soak\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"{NS}/{agent}/{action}\"\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

pub(crate) fn envelope(ticket: Option<&str>, body: &str) -> String {
    let creds = ticket
        .map(|t| format!("<Credentials xmlns=\"{NS}\"><Ticket>{t}</Ticket></Credentials>"))
        .unwrap_or_default();
    format!("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header>{creds}</s:Header><s:Body>{body}</s:Body></s:Envelope>")
}

pub(crate) fn login_env(name: &str, password: &str) -> String {
    envelope(None, &format!("<AuthenticateUsernamePassword xmlns=\"{NS}\"><UserName>{name}</UserName><Password>{password}</Password></AuthenticateUsernamePassword>"))
}

pub(crate) fn set_password_env(ticket: &str, id: i64, password: &str) -> String {
    envelope(Some(ticket), &format!("<SetPassword xmlns=\"{NS}\"><AssociateId>{id}</AssociateId><Password>{password}</Password></SetPassword>"))
}

pub(crate) fn change_own_env(ticket: &str, old: &str, new: &str) -> String {
    envelope(Some(ticket), &format!("<ChangeOwnPassword xmlns=\"{NS}\"><OldPassword>{old}</OldPassword><NewPassword>{new}</NewPassword></ChangeOwnPassword>"))
}

pub(crate) fn is_valid_env(ticket: &str, id: i64, password: &str) -> String {
    envelope(Some(ticket), &format!("<IsPasswordValidWithReason xmlns=\"{NS}\"><AssociateId>{id}</AssociateId><Password>{password}</Password></IsPasswordValidWithReason>"))
}

/// The text of the first `<tag>…</tag>` in `body`.
pub(crate) fn text<'a>(body: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let len = body[start..].find('<')?;
    Some(&body[start..start + len])
}

/// The ticket of a successful log-in answer, `None` for a refused one.
pub(crate) fn login_ticket(body: &str) -> Option<&str> {
    if text(body, "AuthenticationSucceeded") == Some("true") {
        text(body, "Ticket")
    } else {
        None
    }
}

pub(crate) fn has(body: &str, needle: &str) -> bool {
    contains(body.as_bytes(), needle.as_bytes())
}
