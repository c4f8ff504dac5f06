//! Writing the answer: every HTTP response the server sends is built here. A SOAP call
//! ends in one of three ways, each written alike for every operation: refused before the
//! agent ran (a protocol fault, a late body, an unknown tenant), a protocol fault from the
//! agent, or the agent's reply (its output, or NetServer's `Succeeded=false` +
//! `ExceptionInfo` for a domain error, or a fault for one by setting).

use accounts::AccountError;
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use http_body_util::Full;
use soap::{ExceptionInfo, Fault, ResponseHeaders, SoapError, SoapVersion};

use crate::agents::Reply;
use crate::read::Refusal;

/// Every answer of the server: the whole body is known before the head is sent.
pub type Response = http::Response<Full<Bytes>>;

/// `Source` of every `ExceptionInfo` we send.
const SOURCE: &str = "netserver";

/// A response of `status` with this content type and body.
fn with_type(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response {
    let mut response = http::Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A short UTF-8 text for a person (or a WSDL fetcher) to read.
pub fn text(status: StatusCode, body: impl Into<Bytes>) -> Response {
    with_type(status, "text/plain; charset=utf-8", body)
}

/// A JSON document (health).
pub fn json(status: StatusCode, body: &'static str) -> Response {
    with_type(status, "application/json", body)
}

/// An XML document (the WSDL).
pub fn xml_document(body: String) -> Response {
    with_type(StatusCode::OK, "text/xml; charset=utf-8", body)
}

/// A generated JSON document (the OpenAPI document).
pub fn json_document(body: String) -> Response {
    with_type(StatusCode::OK, "application/json; charset=utf-8", body)
}

/// An HTML page (the info page).
pub fn html(body: String) -> Response {
    with_type(StatusCode::OK, "text/html; charset=utf-8", body)
}

/// A SOAP envelope in `version`'s content type.
fn envelope(version: SoapVersion, status: StatusCode, bytes: Vec<u8>) -> Response {
    with_type(status, version.content_type(), bytes)
}

/// A method other than GET, HEAD and POST.
pub fn method_not_allowed() -> Response {
    let mut response = text(
        StatusCode::METHOD_NOT_ALLOWED,
        "use POST for SOAP calls, GET for the WSDL\n",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
    response
}

/// A method other than GET and HEAD on a document.
pub fn get_only() -> Response {
    let mut response = text(
        StatusCode::METHOD_NOT_ALLOWED,
        "use GET for this document\n",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// The connection is closed after this answer (the body it did not read is not drained).
fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer to a call refused before any agent ran.
pub fn refusal(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Fault(fault) => fault_response(&fault),
        Refusal::Unread(fault) => closing(fault_response(&fault)),
        Refusal::BodyTimeout => closing(text(
            StatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive in time\n",
        )),
        Refusal::Tenant { version, error } => tenant_refused(version, &error),
    }
}

/// The answer to a call an agent took: its reply, or the protocol fault it refused the
/// call with. `op_id` goes into the `ExtraInfo` header of a response (not of a fault).
pub fn answer(
    version: SoapVersion,
    answer: Result<Reply, SoapError>,
    faults: bool,
    op_id: &str,
) -> Response {
    match answer {
        Ok(reply) => reply_response(version, reply, faults, op_id),
        Err(error) => fault_response(&Fault::new(version, error)),
    }
}

fn fault_response(fault: &Fault) -> Response {
    tracing::debug!(code = fault.error.code(), "SOAP fault");
    let status =
        StatusCode::from_u16(fault.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    envelope(fault.version, status, soap::write_fault(fault, None))
}

/// The answer to a path whose customer segment names no tenant (HTTP 404), or to a store
/// failure while looking it up (HTTP 500): a SOAP fault with an `ExceptionInfo` detail.
fn tenant_refused(version: SoapVersion, error: &AccountError) -> Response {
    let (status, server_side) = if error.is_server_side() {
        log(error);
        (StatusCode::INTERNAL_SERVER_ERROR, true)
    } else {
        tracing::debug!(code = error.code(), "unknown customer");
        (StatusCode::NOT_FOUND, false)
    };
    let info = exception_info(error);
    let bytes = soap::write_app_fault(version, &info, server_side);
    envelope(version, status, bytes)
}

/// The same refusal for a GET (WSDL, info page): plain text, as a browser or a WSDL
/// fetcher reads it, with the same status and message as the POST's fault.
pub fn tenant_refused_page(error: &AccountError) -> Response {
    let status = if error.is_server_side() {
        log(error);
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        tracing::debug!(code = error.code(), "unknown customer");
        StatusCode::NOT_FOUND
    };
    text(status, format!("{}\n", error.public_message()))
}

fn reply_response(version: SoapVersion, reply: Reply, faults: bool, op_id: &str) -> Response {
    let extra = vec![("OperationId".to_owned(), op_id.to_owned())];
    let (output, exception) = match &reply.result {
        Ok(output) => (output, None),
        Err(error) => {
            log(error);
            let info = exception_info(error);
            if faults {
                let bytes = soap::write_app_fault(version, &info, error.is_server_side());
                return envelope(version, StatusCode::INTERNAL_SERVER_ERROR, bytes);
            }
            (&reply.fallback, Some(info))
        }
    };
    let headers = ResponseHeaders {
        succeeded: exception.is_none(),
        exception,
        extra,
    };
    let bytes = soap::write_response(version, &headers, |w| output.write(reply.element, w));
    envelope(version, StatusCode::OK, bytes)
}

/// Maps a domain error to what the caller sees: never a stack trace or internal detail.
fn exception_info(error: &AccountError) -> ExceptionInfo {
    ExceptionInfo {
        message: error.public_message(),
        friendly_text: error.friendly_text().to_owned(),
        exception_type: error.exception_type().to_owned(),
        source: SOURCE.to_owned(),
        parameters: vec![("code".to_owned(), error.code().to_owned())],
    }
}

/// Ticket and application-token failures are routine (and can come fast), so they stay at
/// debug; internal errors carry their detail to the log, never to the caller. A SOAP
/// call's lines are written in its span, which names the call's `op_id`.
fn log(error: &AccountError) {
    match error {
        AccountError::Internal(detail) => tracing::error!(error = %detail, "request failed"),
        AccountError::StoreUnavailable(detail) => {
            tracing::warn!(error = %detail, "request failed: the store is unavailable")
        }
        AccountError::CredentialsMissing
        | AccountError::TicketInvalid
        | AccountError::TicketExpired
        | AccountError::AppTokenMissing
        | AccountError::AppTokenInvalid => tracing::debug!(code = error.code(), "refused"),
        other => tracing::info!(code = other.code(), "refused"),
    }
}
