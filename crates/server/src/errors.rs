//! The one place where outcomes become HTTP responses: protocol faults, domain errors as
//! NetServer's `Succeeded=false` + `ExceptionInfo` (or as faults, by setting), successes.

use accounts::AccountError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use soap::{ExceptionInfo, Fault, ResponseHeaders, SoapVersion};

use crate::agents::Reply;
use crate::handler::xml;

/// `Source` of every `ExceptionInfo` we send.
const SOURCE: &str = "netserver";

pub fn fault_status(fault: &Fault) -> Response {
    let status =
        StatusCode::from_u16(fault.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    fault_response(fault, status)
}

pub fn fault_response(fault: &Fault, status: StatusCode) -> Response {
    tracing::debug!(code = fault.error.code(), "SOAP fault");
    xml(fault.version, status, soap::write_fault(fault, None))
}

/// The answer to a path whose customer segment names no tenant (HTTP 404), or to a store
/// failure while looking it up (HTTP 500): a SOAP fault with an `ExceptionInfo` detail.
pub fn tenant_refused(version: SoapVersion, error: &AccountError, op_id: &str) -> Response {
    let (status, server_side) = if error.is_server_side() {
        log(error, op_id);
        (StatusCode::INTERNAL_SERVER_ERROR, true)
    } else {
        tracing::debug!(op_id = %op_id, code = error.code(), "unknown customer");
        (StatusCode::NOT_FOUND, false)
    };
    let info = exception_info(error);
    xml(
        version,
        status,
        soap::write_app_fault(version, &info, server_side),
    )
}

/// The same refusal for a GET (WSDL, info page): plain text, as a browser or a WSDL
/// fetcher reads it, with the same status and message as the POST's fault.
pub fn tenant_refused_page(error: &AccountError) -> Response {
    let status = if error.is_server_side() {
        log(error, "-"); // a GET carries no operation id
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        tracing::debug!(code = error.code(), "unknown customer");
        StatusCode::NOT_FOUND
    };
    let text = format!("{}\n", error.public_message());
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// `extra` goes into the `ExtraInfo` header of a response (not of a fault); `op_id` into
/// the log line of an error.
pub fn reply_response(
    version: SoapVersion,
    reply: Reply,
    faults: bool,
    extra: Vec<(String, String)>,
    op_id: &str,
) -> Response {
    match reply.result {
        Ok(body) => {
            let headers = ResponseHeaders {
                succeeded: true,
                exception: None,
                extra,
            };
            xml(
                version,
                StatusCode::OK,
                soap::write_response(version, &headers, |w| body.write(w)),
            )
        }
        Err(error) => {
            log(&error, op_id);
            let info = exception_info(&error);
            if faults {
                let bytes = soap::write_app_fault(version, &info, error.is_server_side());
                return xml(version, StatusCode::INTERNAL_SERVER_ERROR, bytes);
            }
            let headers = ResponseHeaders {
                succeeded: false,
                exception: Some(info),
                extra,
            };
            let bytes = soap::write_response(version, &headers, |w| reply.fallback.write(w));
            xml(version, StatusCode::OK, bytes)
        }
    }
}

/// Maps a domain error to what the caller sees: never a stack trace or internal detail.
pub fn exception_info(error: &AccountError) -> ExceptionInfo {
    ExceptionInfo {
        message: error.public_message(),
        friendly_text: error.friendly_text().to_owned(),
        exception_type: error.exception_type().to_owned(),
        source: SOURCE.to_owned(),
        parameters: vec![("code".to_owned(), error.code().to_owned())],
    }
}

/// Ticket and application-token failures are routine (and can come fast), so they stay at debug; internal
/// errors carry their detail to the log, never to the caller. Each line names the call's
/// `op_id`, as its `soap call` line does, so that the two are found together.
fn log(error: &AccountError, op_id: &str) {
    match error {
        AccountError::Internal(detail) => {
            tracing::error!(op_id = %op_id, error = %detail, "request failed")
        }
        AccountError::StoreUnavailable(detail) => {
            tracing::warn!(op_id = %op_id, error = %detail, "request failed: the store is unavailable")
        }
        AccountError::CredentialsMissing
        | AccountError::TicketInvalid
        | AccountError::TicketExpired
        | AccountError::AppTokenMissing
        | AccountError::AppTokenInvalid => {
            tracing::debug!(op_id = %op_id, code = error.code(), "refused")
        }
        other => tracing::info!(op_id = %op_id, code = other.code(), "refused"),
    }
}
