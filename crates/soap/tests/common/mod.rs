//! Helpers shared by the integration tests: envelope builders and parse shortcuts.
#![allow(dead_code)] // each test binary uses a different subset

use soap::{parse_request, Fault, Limits, Request, SoapVersion, SERVICES88_NS};

pub const S88: &str = SERVICES88_NS;
pub const ENV11: &str = soap::SOAP11_ENV_NS;
pub const ENV12: &str = soap::SOAP12_ENV_NS;
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A SOAP 1.1 envelope with prefix `s`, an `xsi` declaration, a Header (omitted when
/// `header` is None) and a Body.
pub fn env11(header: Option<&str>, body: &str) -> String {
    envelope(ENV11, header, body)
}

/// Same as [`env11`] for SOAP 1.2.
pub fn env12(header: Option<&str>, body: &str) -> String {
    envelope(ENV12, header, body)
}

fn envelope(ns: &str, header: Option<&str>, body: &str) -> String {
    let header = header
        .map(|h| format!("<s:Header>{h}</s:Header>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{ns}\" \
         xmlns:xsi=\"{XSI}\">{header}<s:Body>{body}</s:Body></s:Envelope>"
    )
}

/// The two Services88 headers, in the Services88 namespace via prefix `h`.
pub fn std_headers(token: &str, ticket: &str) -> String {
    format!(
        "<h:ApplicationToken xmlns:h=\"{S88}\">{token}</h:ApplicationToken>\
         <h:Credentials xmlns:h=\"{S88}\"><h:Ticket>{ticket}</h:Ticket></h:Credentials>"
    )
}

/// A SetPassword operation with the given raw (already XML) contents of its two params.
pub fn set_password(associate_id: &str, password: &str) -> String {
    format!(
        "<SetPassword xmlns=\"{S88}\"><AssociateId>{associate_id}</AssociateId>\
         <Password>{password}</Password></SetPassword>"
    )
}

pub fn parse_with(xml: &[u8], hint: SoapVersion) -> Result<Request, Fault> {
    parse_request(xml, hint, &Limits::default())
}

pub fn parse(xml: &str) -> Request {
    match parse_with(xml.as_bytes(), SoapVersion::V11) {
        Ok(r) => r,
        Err(f) => panic!("expected a request, got {f:?} for {xml}"),
    }
}

pub fn refuse(xml: &[u8], hint: SoapVersion) -> Fault {
    match parse_with(xml, hint) {
        Ok(r) => panic!("expected a fault, got {r:?}"),
        Err(f) => f,
    }
}
