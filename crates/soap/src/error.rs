//! Why a message was refused, and the SOAP fault that reports it.
//!
//! The Display text of [`SoapError`] is the fault's reason text, so it is written for the
//! person debugging a client: it names what was wrong and where, but never repeats an
//! element's *value* (those are passwords, tickets and tokens).

use crate::SoapVersion;

/// Longest piece of caller-supplied text (a namespace URI, an action) repeated in a
/// message. Those are not secrets, but a fault should not be a megaphone for the caller.
const ECHO_MAX: usize = 200;

/// A request the SOAP layer refuses.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SoapError {
    /// The body is larger than [`Limits::max_bytes`](crate::Limits::max_bytes).
    #[error("the message is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Not UTF-8 or not well-formed XML; the text says what and where (line:column).
    #[error("the request is not well-formed XML: {0}")]
    Malformed(String),
    /// The message has a document type declaration, which SOAP forbids.
    #[error("a document type declaration is not allowed")]
    DtdForbidden,
    /// Elements are nested deeper than [`Limits::max_depth`](crate::Limits::max_depth).
    #[error("the XML is nested deeper than the limit of {limit} elements")]
    TooDeep {
        /// The limit.
        limit: u32,
    },
    /// More nodes than [`Limits::max_nodes`](crate::Limits::max_nodes).
    #[error("the XML has more nodes than the limit of {limit}")]
    TooManyNodes {
        /// The limit.
        limit: u32,
    },
    /// The root element's local name is not `Envelope`.
    #[error("the root element is not a SOAP Envelope")]
    NotAnEnvelope,
    /// The root is an `Envelope` in a namespace that is neither SOAP 1.1 nor 1.2.
    #[error("the envelope namespace '{}' is not SOAP 1.1 or 1.2", clip(.0))]
    WrongEnvelopeNamespace(String),
    /// The envelope has no `Body`.
    #[error("the SOAP Envelope has no Body")]
    NoBody,
    /// The `Body` has no element child.
    #[error("the SOAP Body has no operation element")]
    EmptyBody,
    /// The envelope has a second `Header`.
    #[error("the envelope has two Header elements; at most one is allowed")]
    TwoHeaders,
    /// The envelope has a second `Body`.
    #[error("the envelope has two Body elements; exactly one is allowed")]
    TwoBodies,
    /// A `Header` follows the `Body`.
    #[error("the Header comes after the Body; it must come before it")]
    HeaderAfterBody,
    /// An element other than `Header` or `Body` follows the `Body`.
    #[error("element {{{}}}{} follows the Body; nothing may come after it", clip(.namespace), clip(.name))]
    ElementAfterBody {
        /// Namespace URI of the element ("" when it has none).
        namespace: String,
        /// Its local name.
        name: String,
    },
    /// The `Body` holds more than one element.
    #[error("the Body holds two elements ('{}', then '{}'); it must hold exactly one operation", clip(.first), clip(.second))]
    TwoOperations {
        /// Local name of the first element.
        first: String,
        /// Local name of the second.
        second: String,
    },
    /// A Services88 header (`ApplicationToken`, `Credentials`, `TimeZone`) appears more
    /// than once, inside `Header` and directly under `Envelope` counted together.
    #[error("{0} header appears twice")]
    DuplicateHeader(&'static str),
    /// A field of a Services88 header appears more than once, e.g. two `Ticket`s in one
    /// `Credentials`.
    #[error("{field} appears twice in the {header} header")]
    DuplicateHeaderField {
        /// The header, e.g. `Credentials`.
        header: &'static str,
        /// The repeated field, e.g. `Ticket`.
        field: &'static str,
    },
    /// A parameter of the operation appears more than once.
    #[error("parameter {} appears twice in {}", clip(.name), clip(.operation))]
    DuplicateParameter {
        /// Local name of the operation element.
        operation: String,
        /// Local name of the repeated parameter.
        name: String,
    },
    /// Header blocks marked mustUnderstand that are not understood: (namespace, local name).
    #[error("{}", must_understand_text(.0))]
    MustUnderstand(Vec<(String, String)>),
    /// The body's operation element is not one the service implements.
    #[error("operation '{}' in namespace '{}' is not implemented", clip(.name), clip(.namespace))]
    UnknownOperation {
        /// Namespace URI of the operation element.
        namespace: String,
        /// Local name of the operation element.
        name: String,
    },
    /// The SOAP action does not belong to the operation in the body.
    #[error("the SOAP action '{}' does not match the operation '{}'", clip(.action), clip(.operation))]
    ActionMismatch {
        /// The action from the HTTP headers.
        action: String,
        /// The operation element's local name.
        operation: String,
    },
    /// An element's text is not a valid value of its schema type.
    #[error("element '{}' is not a valid {expected}", clip(.element))]
    InvalidValue {
        /// Local name of the element.
        element: String,
        /// The schema type, e.g. `xs:int`.
        expected: &'static str,
    },
    /// The HTTP content type is not a SOAP one.
    #[error("the content type '{}' is not text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)", clip(.0))]
    UnsupportedMediaType(String),
}

impl SoapError {
    /// A stable snake_case code for logs, metrics and tests.
    pub fn code(&self) -> &'static str {
        match self {
            SoapError::TooLarge { .. } => "too_large",
            SoapError::Malformed(_) => "malformed_xml",
            SoapError::DtdForbidden => "dtd_forbidden",
            SoapError::TooDeep { .. } => "too_deep",
            SoapError::TooManyNodes { .. } => "too_many_nodes",
            SoapError::NotAnEnvelope => "not_an_envelope",
            SoapError::WrongEnvelopeNamespace(_) => "wrong_envelope_namespace",
            SoapError::NoBody => "no_body",
            SoapError::EmptyBody => "empty_body",
            SoapError::TwoHeaders => "two_headers",
            SoapError::TwoBodies => "two_bodies",
            SoapError::HeaderAfterBody => "header_after_body",
            SoapError::ElementAfterBody { .. } => "element_after_body",
            SoapError::TwoOperations { .. } => "two_operations",
            SoapError::DuplicateHeader(_) => "duplicate_header",
            SoapError::DuplicateHeaderField { .. } => "duplicate_header_field",
            SoapError::DuplicateParameter { .. } => "duplicate_parameter",
            SoapError::MustUnderstand(_) => "must_understand",
            SoapError::UnknownOperation { .. } => "unknown_operation",
            SoapError::ActionMismatch { .. } => "action_mismatch",
            SoapError::InvalidValue { .. } => "invalid_value",
            SoapError::UnsupportedMediaType(_) => "unsupported_media_type",
        }
    }

    /// The fault code this error is reported with. Every refusal here is the caller's
    /// doing, so anything that is not a version or mustUnderstand problem is Sender/Client.
    pub fn fault_code(&self) -> FaultCode {
        match self {
            SoapError::NotAnEnvelope | SoapError::WrongEnvelopeNamespace(_) => {
                FaultCode::VersionMismatch
            }
            SoapError::MustUnderstand(_) => FaultCode::MustUnderstand,
            _ => FaultCode::Sender,
        }
    }
}

/// The top-level fault code, named as in SOAP 1.2; [`FaultCode::local_name`] gives the
/// SOAP 1.1 spelling where it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultCode {
    /// The envelope is not in a supported SOAP namespace.
    VersionMismatch,
    /// A mandatory header block was not understood.
    MustUnderstand,
    /// The caller sent something wrong (SOAP 1.1 `Client`).
    Sender,
    /// The server failed (SOAP 1.1 `Server`).
    Receiver,
}

impl FaultCode {
    /// Local name of the code in `version`'s envelope namespace.
    pub fn local_name(self, version: SoapVersion) -> &'static str {
        match (self, version) {
            (FaultCode::VersionMismatch, _) => "VersionMismatch",
            (FaultCode::MustUnderstand, _) => "MustUnderstand",
            (FaultCode::Sender, SoapVersion::V11) => "Client",
            (FaultCode::Sender, SoapVersion::V12) => "Sender",
            (FaultCode::Receiver, SoapVersion::V11) => "Server",
            (FaultCode::Receiver, SoapVersion::V12) => "Receiver",
        }
    }
}

/// A refused request together with the SOAP version the fault must be written in.
#[derive(Debug, Clone)]
pub struct Fault {
    /// The version to answer in.
    pub version: SoapVersion,
    /// What was wrong.
    pub error: SoapError,
}

impl Fault {
    /// A fault of `version` reporting `error`.
    pub fn new(version: SoapVersion, error: SoapError) -> Fault {
        Fault { version, error }
    }

    /// HTTP status to send the fault with: 413 for a too large body, 415 for a content
    /// type SOAP does not travel in, otherwise 500 for both versions, as WCF does (Mono's
    /// WCF client cannot read a fault sent with 400).
    pub fn http_status(&self) -> u16 {
        match self.error {
            SoapError::TooLarge { .. } => 413,
            SoapError::UnsupportedMediaType(_) => 415,
            _ => 500,
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Fault {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// `s` cut to [`ECHO_MAX`] characters, with an ellipsis when cut.
fn clip(s: &str) -> String {
    match s.char_indices().nth(ECHO_MAX) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

fn must_understand_text(blocks: &[(String, String)]) -> String {
    let names: Vec<String> = blocks
        .iter()
        .take(8)
        .map(|(ns, local)| format!("{{{}}}{}", clip(ns), clip(local)))
        .collect();
    let more = if blocks.len() > 8 { ", ..." } else { "" };
    match names.len() {
        0 => "a header block has mustUnderstand but is not understood".to_owned(),
        1 => format!(
            "header block {} has mustUnderstand but is not understood",
            names.join("")
        ),
        _ => format!(
            "header blocks {}{more} have mustUnderstand but are not understood",
            names.join(", ")
        ),
    }
}
