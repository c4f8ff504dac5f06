//! Reading a SOAP call, step by step: the content type, the body (within the size limit
//! and the body deadline), the envelope, the tenant the path names, the SOAP action's
//! cross-check, and the call's context (its tenant, credentials, client, operation id and
//! time). The first step that fails ends the reading with a [`Refusal`], which `respond`
//! writes; nothing here writes a response.

use std::error::Error;
use std::net::IpAddr;

use accounts::{AccountError, CallContext, Credentials, Secret};
use bytes::Bytes;
use http::{header, HeaderMap, Request};
use http_body_util::{BodyExt, Limited};
use soap::{Fault, SoapError, SoapVersion};

use crate::routes::Endpoint;
use crate::AppState;

/// A call read to the end: the parsed request and the context the domain judges it in.
pub struct Call {
    pub request: soap::Request,
    pub ctx: CallContext,
}

/// Why a call was refused before any agent ran.
pub enum Refusal {
    /// A protocol fault, answered with its status.
    Fault(Fault),
    /// A protocol fault answered before the body was read to its end: the connection
    /// closes after the answer.
    Unread(Fault),
    /// The body did not arrive in time (the connection closes).
    BodyTimeout,
    /// The customer segment names no tenant, or looking it up failed; answered in the
    /// envelope's SOAP version when it could be read.
    Tenant {
        version: SoapVersion,
        error: AccountError,
    },
}

impl Refusal {
    /// The outcome code of the call's log line.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Fault(fault) | Refusal::Unread(fault) => fault.error.code(),
            Refusal::BodyTimeout => "body_timeout",
            Refusal::Tenant { error, .. } => error.code(),
        }
    }

    /// The operation the request named, when it was read that far.
    pub fn operation(&self) -> Option<&str> {
        match self {
            Refusal::Fault(Fault {
                error: SoapError::ActionMismatch { operation, .. },
                ..
            }) => Some(operation.as_str()),
            _ => None,
        }
    }
}

/// Reads one SOAP call from `request`, which came from `client` to `endpoint`.
pub async fn read_call<B>(
    state: &AppState,
    endpoint: &Endpoint,
    client: IpAddr,
    request: Request<B>,
    op_id: &str,
) -> Result<Call, Refusal>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let content_type = header_str(headers, header::CONTENT_TYPE);
    let hint = SoapVersion::from_content_type(content_type.unwrap_or(""));
    check_content_type(content_type, hint)?;
    let body = read_body(body, headers, hint, state.config.limits.max_bytes).await?;
    let parsed = soap::parse_request(&body, hint, &state.config.limits);
    // The customer segment names the tenant; an unknown one is answered before anything
    // else is looked at, in the SOAP version of the envelope when it can be read.
    let version = parsed.as_ref().map_or(hint, |p| p.version);
    let tenant = state
        .accounts
        .resolve_tenant(endpoint.customer.as_deref())
        .await
        .map_err(|error| Refusal::Tenant { version, error })?;
    let request = parsed.map_err(Refusal::Fault)?;
    check_action(headers, content_type, &request)?;
    let ctx = CallContext {
        tenant,
        credentials: request
            .headers
            .ticket
            .clone()
            .map(|t| Credentials::Ticket(Secret::new(t))),
        app_token: request.headers.application_token.clone().map(Secret::new),
        client: Some(client.to_string()),
        operation_id: op_id.to_owned(),
        now: state.config.clock.now(),
    };
    Ok(Call { request, ctx })
}

/// A content type, when sent, must be one SOAP travels in.
fn check_content_type(content_type: Option<&str>, hint: SoapVersion) -> Result<(), Refusal> {
    match content_type {
        Some(ct) if !acceptable_content_type(ct) => Err(Refusal::Fault(Fault::new(
            hint,
            SoapError::UnsupportedMediaType(ct.to_owned()),
        ))),
        _ => Ok(()),
    }
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

/// The whole body, at most `limit` bytes. A declared length over the limit is refused
/// before any of the body is read.
async fn read_body<B>(
    body: B,
    headers: &HeaderMap,
    hint: SoapVersion,
    limit: usize,
) -> Result<Bytes, Refusal>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    let too_large = || Refusal::Unread(Fault::new(hint, SoapError::TooLarge { limit }));
    if declared_length(headers).is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if timed_out(&*e) => Err(Refusal::BodyTimeout),
        Err(_) => Err(too_large()),
    }
}

/// The `Content-Length` the request declares (two of them, or one beside a
/// `Transfer-Encoding`, never get this far: the connection layer refuses them).
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    header_str(headers, header::CONTENT_LENGTH).and_then(|v| v.trim().parse().ok())
}

/// Whether reading the body failed because it did not arrive in time.
fn timed_out(error: &(dyn Error + 'static)) -> bool {
    let mut source: Option<&(dyn Error + 'static)> = Some(error);
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

/// The SOAP action, when the request names one (header or content type), must name the
/// body's operation.
fn check_action(
    headers: &HeaderMap,
    content_type: Option<&str>,
    request: &soap::Request,
) -> Result<(), Refusal> {
    let soap_action = header_str(headers, "soapaction");
    let Some(action) = soap::action_from_headers(content_type, soap_action) else {
        return Ok(());
    };
    let operation = &request.operation.name;
    if action_names(&action, operation) {
        return Ok(());
    }
    let error = SoapError::ActionMismatch {
        action,
        operation: operation.clone(),
    };
    Err(Refusal::Fault(Fault::new(request.version, error)))
}

/// An action names an operation by its last path segment
/// (`…/Services88/User/SetPassword`; older generated proxies send `…/Services88/SetPassword`).
fn action_names(action: &str, operation: &str) -> bool {
    action
        .rsplit('/')
        .next()
        .is_some_and(|last| last == operation)
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

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
