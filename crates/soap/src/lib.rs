//! SOAP 1.1 / 1.2 envelopes for the Services88 web services, as pure functions over bytes.
//!
//! This crate reads request envelopes into a small owned model ([`Request`]) and writes
//! response envelopes and faults. It knows nothing of HTTP, users or storage: the server
//! crate hands it the body bytes plus two header values and gets bytes back.
//!
//! Layout:
//! - `version`: the two SOAP versions, content types, the SOAP action.
//! - `limits`: size, depth and node limits applied before and while parsing.
//! - `scan`: the byte-level checks that run before the XML parser (size, BOM, UTF-8,
//!   document type declarations, nesting depth).
//! - `reader`: the envelope reader ([`parse_request`]).
//! - `structure`: the envelope's shape, one meaning per message (one `Body`, one
//!   operation, headers before it and each once).
//! - `model`: what a parsed request looks like; its `Debug` output never shows secrets.
//! - `xml_error`: parser errors turned into refusals that do not repeat the input.
//! - `xsd`: lexical parsing of the few XML Schema types requests carry.
//! - `writer`: an escaping XML writer ([`XmlWriter`]).
//! - `response`: successful response envelopes and `ExceptionInfo` ([`write_response`]).
//! - `fault`: SOAP faults for both versions ([`write_fault`]).
//! - `error`: [`SoapError`] and [`Fault`].
//!
//! Elements are always matched by namespace URI and local name, never by prefix: the
//! captured client requests use every prefix style there is.
#![deny(missing_docs)]

mod error;
mod fault;
mod limits;
mod model;
mod reader;
mod response;
mod scan;
mod structure;
mod version;
mod writer;
mod xml_error;
mod xsd;

pub use error::{Fault, FaultCode, SoapError};
pub use fault::{write_app_fault, write_fault, write_fault_custom};
pub use limits::Limits;
pub use model::{Operation, Param, Request, RequestHeaders, TimeZone};
pub use reader::{parse_request, parse_request_with};
pub use response::{write_response, ExceptionInfo, ResponseHeaders};
pub use version::{action_from_headers, SoapVersion};
pub use writer::{escape_attribute_into, escape_into, XmlWriter};

/// The target namespace of every Services88 element: operations, parameters and headers.
pub const SERVICES88_NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";

/// The SOAP 1.1 envelope namespace.
pub const SOAP11_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The SOAP 1.2 envelope namespace.
pub const SOAP12_ENV_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
