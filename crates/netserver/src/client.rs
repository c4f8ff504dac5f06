//! A small SOAP client of netserver (or of SuperOffice NetServer): builds envelopes the
//! way generated proxies do, posts them, and reads the answer's body and headers. Used by
//! `netserver client …` and by the integration tests.

use accounts::Secret;
use soap::{SoapVersion, SERVICES88_NS};

/// The `ExceptionInfo` a server sent, or the fault it raised.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteError {
    pub exception_type: String,
    pub message: String,
}

/// The answer of a boolean operation.
#[derive(Debug, Clone)]
pub struct BoolAnswer {
    pub response: bool,
    pub succeeded: bool,
    pub error: Option<RemoteError>,
}

/// A successful log-in.
#[derive(Debug)]
pub struct Login {
    pub ticket: Secret,
    pub associate_id: i32,
    pub full_name: String,
}

pub struct Client {
    base: String,
    version: SoapVersion,
    app_token: Option<String>,
    http: reqwest::Client,
}

impl Client {
    /// `url` is the server's base (`http://host:port`) or any `…/Services88/X.svc` address.
    pub fn new(
        url: &str,
        version: SoapVersion,
        app_token: Option<String>,
    ) -> Result<Client, String> {
        let trimmed = url.trim_end_matches('/');
        let base = match trimmed.to_ascii_lowercase().find("/services88/") {
            Some(at) => trimmed[..at + "/services88".len()].to_owned(),
            None => format!("{trimmed}/Remote/Services88"),
        };
        if !base.starts_with("http://") && !base.starts_with("https://") {
            return Err(format!(
                "the URL must start with http:// or https://, not '{url}'"
            ));
        }
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        Ok(Client {
            base,
            version,
            app_token,
            http,
        })
    }

    /// `AuthenticateUsernamePassword`; `None` when the server says the log-in failed.
    pub async fn login(&self, user: &str, password: &Secret) -> Result<Option<Login>, String> {
        let body = format!(
            "<AuthenticateUsernamePassword xmlns=\"{SERVICES88_NS}\"><UserName>{}</UserName><Password>{}</Password></AuthenticateUsernamePassword>",
            esc(user),
            esc(password.expose())
        );
        let text = self
            .post("SoPrincipal", "AuthenticateUsernamePassword", None, &body)
            .await?;
        let doc = parse(&text)?;
        if let Some(e) = remote_error(&doc) {
            return Err(format!("{}: {}", e.exception_type, e.message));
        }
        if find_text(&doc, "AuthenticationSucceeded").as_deref() != Some("true") {
            return Ok(None);
        }
        let ticket = find_text(&doc, "Ticket").ok_or("the answer has no ticket")?;
        let associate_id = find_text(&doc, "AssociateId")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        let full_name = find_text(&doc, "FullName").unwrap_or_default();
        Ok(Some(Login {
            ticket: Secret::new(ticket),
            associate_id,
            full_name,
        }))
    }

    /// `SetPassword(AssociateId, Password)`.
    pub async fn set_password(
        &self,
        ticket: &Secret,
        id: i32,
        password: &Secret,
    ) -> Result<BoolAnswer, String> {
        let body = format!(
            "<SetPassword xmlns=\"{SERVICES88_NS}\"><AssociateId>{id}</AssociateId><Password>{}</Password></SetPassword>",
            esc(password.expose())
        );
        let text = self
            .post("User", "SetPassword", Some(ticket), &body)
            .await?;
        bool_answer(&text)
    }

    /// `ChangeOwnPassword(OldPassword, NewPassword)`: the ticket's owner changes its own.
    pub async fn change_own_password(
        &self,
        ticket: &Secret,
        old: &Secret,
        new: &Secret,
    ) -> Result<BoolAnswer, String> {
        let body = format!(
            "<ChangeOwnPassword xmlns=\"{SERVICES88_NS}\"><OldPassword>{}</OldPassword><NewPassword>{}</NewPassword></ChangeOwnPassword>",
            esc(old.expose()),
            esc(new.expose())
        );
        let text = self
            .post("User", "ChangeOwnPassword", Some(ticket), &body)
            .await?;
        bool_answer(&text)
    }

    async fn post(
        &self,
        agent: &str,
        op: &str,
        ticket: Option<&Secret>,
        body: &str,
    ) -> Result<String, String> {
        let action = format!("{SERVICES88_NS}/{agent}/{op}");
        let envelope = self.envelope(ticket, body);
        let url = format!("{}/{agent}.svc", self.base);
        let mut req = self.http.post(&url).body(envelope);
        req = match self.version {
            SoapVersion::V11 => req
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", format!("\"{action}\"")),
            SoapVersion::V12 => req.header(
                "Content-Type",
                format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
            ),
        };
        let resp = req
            .send()
            .await
            .map_err(|e| format!("cannot reach {url}: {}", causes(&e)))?;
        let status = resp.status();
        let text = resp
            .text()
            .await
            .map_err(|e| format!("cannot read the answer of {url}: {}", causes(&e)))?;
        if !status.is_success() && !text.contains("Envelope") {
            return Err(format!("{url} answered HTTP {status}"));
        }
        Ok(text)
    }

    fn envelope(&self, ticket: Option<&Secret>, body: &str) -> String {
        let mut header = String::new();
        if let Some(token) = &self.app_token {
            header.push_str(&format!(
                "<ApplicationToken xmlns=\"{SERVICES88_NS}\">{}</ApplicationToken>",
                esc(token)
            ));
        }
        if let Some(t) = ticket {
            header.push_str(&format!(
                "<Credentials xmlns=\"{SERVICES88_NS}\"><Ticket>{}</Ticket></Credentials>",
                esc(t.expose())
            ));
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{}\"><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>",
            self.version.envelope_ns()
        )
    }
}

/// What went wrong, from the error's chain of causes: reqwest's own text only repeats
/// the URL ("error sending request for url (…)"); the causes say "Connection refused",
/// "dns error", "operation timed out". Each text that the previous one already ends
/// with is left out.
fn causes(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let text = c.to_string();
        if !parts.last().is_some_and(|p| p.ends_with(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    if parts.is_empty() {
        return e.to_string();
    }
    parts.join(": ")
}

/// A boolean operation's answer: its `Response`, `Succeeded` and any `ExceptionInfo`.
fn bool_answer(text: &str) -> Result<BoolAnswer, String> {
    let doc = parse(text)?;
    Ok(BoolAnswer {
        response: find_text(&doc, "Response").as_deref() == Some("true"),
        succeeded: find_text(&doc, "Succeeded").as_deref() == Some("true"),
        error: remote_error(&doc),
    })
}

fn parse(text: &str) -> Result<roxmltree::Document<'_>, String> {
    roxmltree::Document::parse(text).map_err(|e| format!("the answer is not XML: {e}"))
}

/// Text of the first element with this local name, anywhere in the document.
pub fn find_text(doc: &roxmltree::Document<'_>, local: &str) -> Option<String> {
    doc.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == local)
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect()
        })
}

/// The `ExceptionInfo` header, or a SOAP fault's reason, if the answer carries one.
fn remote_error(doc: &roxmltree::Document<'_>) -> Option<RemoteError> {
    let info = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "ExceptionInfo" && n.has_children());
    if let Some(info) = info {
        let child = |name: &str| {
            info.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .unwrap_or("")
                .to_owned()
        };
        return Some(RemoteError {
            exception_type: child("ExceptionType"),
            message: child("Message"),
        });
    }
    let fault = doc.descendants().find(|n| n.tag_name().name() == "Fault")?;
    let reason = fault
        .descendants()
        .find(|n| matches!(n.tag_name().name(), "faultstring" | "Text"))
        .and_then(|n| n.text())
        .unwrap_or("")
        .to_owned();
    Some(RemoteError {
        exception_type: "SoapFault".into(),
        message: reason,
    })
}

fn esc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    soap::escape_into(&mut out, value);
    out
}
