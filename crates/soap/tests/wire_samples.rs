//! Every captured request from a real SOAP client stack must parse to the same values.
//!
//! The fixtures are byte-exact copies of HTTP requests (request line, headers, blank line,
//! body). They are embedded at compile time so the tests need nothing outside the crate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use soap::{action_from_headers, parse_request, Limits, SoapVersion, SERVICES88_NS};

/// The action every capture was generated with (from a stand-in WSDL, see the README of
/// the captures; SuperOffice's own is `…/Services88/User/SetPassword`).
const ACTION: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88/SetPassword";

struct Http<'a> {
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl Http<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Splits at the first blank line (CRLF or LF style) and cuts the body to Content-Length,
/// which every capture carries; that also proves the fixture bytes are intact.
fn split_http(raw: &[u8]) -> Http<'_> {
    let crlf = find(raw, b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = find(raw, b"\n\n").map(|i| (i, i + 2));
    let (head_end, body_start) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 < b.0 {
                a
            } else {
                b
            }
        }
        (a, b) => a.or(b).expect("a blank line after the headers"),
    };
    let head = std::str::from_utf8(&raw[..head_end]).expect("ASCII headers");
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1) // the request line
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &raw[body_start..];
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .map(|(_, v)| v.parse().expect("numeric Content-Length"))
        .expect("Content-Length");
    assert!(rest.len() >= len, "body shorter than Content-Length");
    // The capture files end with one newline after the body.
    assert!(
        rest[len..].iter().all(u8::is_ascii_whitespace),
        "unexpected bytes after the body"
    );
    Http {
        headers,
        body: &rest[..len],
    }
}

fn check(raw: &[u8], version: SoapVersion) {
    let http = split_http(raw);
    let ct = http.header("Content-Type");
    let hint = SoapVersion::from_content_type(ct.expect("Content-Type"));
    assert_eq!(hint, version, "content type guess");
    assert_eq!(
        action_from_headers(ct, http.header("SOAPAction")).as_deref(),
        Some(ACTION)
    );

    let req = parse_request(http.body, hint, &Limits::default()).expect("parses");
    assert_eq!(req.version, version);
    assert_eq!(
        req.headers.application_token.as_deref(),
        Some("app-token-1")
    );
    assert_eq!(req.headers.ticket.as_deref(), Some("ticket-7"));
    assert_eq!(req.headers.time_zone, None);
    assert_eq!(req.operation.name, "SetPassword");
    assert_eq!(req.operation.namespace, SERVICES88_NS);
    assert_eq!(req.operation.int("AssociateId"), Ok(Some(42)));
    assert_eq!(req.operation.text("Password"), Some("S3cret!"));
    assert_eq!(req.operation.params.len(), 2);

    // The envelope decides the version, not the guess from HTTP.
    let other = match version {
        SoapVersion::V11 => SoapVersion::V12,
        SoapVersion::V12 => SoapVersion::V11,
    };
    let again = parse_request(http.body, other, &Limits::default()).expect("parses");
    assert_eq!(again.version, version);
}

macro_rules! sample {
    ($name:ident, $file:literal, $version:ident) => {
        #[test]
        fn $name() {
            check(
                include_bytes!(concat!("fixtures/wire-samples/", $file)),
                SoapVersion::$version,
            );
        }
    };
}

sample!(gsoap_soap11, "gsoap-soap11.txt", V11);
sample!(gsoap_soap12, "gsoap-soap12.txt", V12);
sample!(mono_asmx_soap11, "mono-asmx-soap11.txt", V11);
sample!(mono_asmx_soap12, "mono-asmx-soap12.txt", V12);
sample!(mono_wcf_soap11, "mono-wcf-soap11.txt", V11);
sample!(mono_wcf_soap12, "mono-wcf-soap12.txt", V12);
sample!(node_soap_soap11, "node-soap-soap11.txt", V11);
sample!(node_soap_soap12, "node-soap-soap12.txt", V12);
sample!(perl_soaplite_soap11, "perl-soaplite-soap11.txt", V11);
sample!(perl_soaplite_soap12, "perl-soaplite-soap12.txt", V12);
sample!(perl_soapwsdl_soap11, "perl-soapwsdl-soap11.txt", V11);
sample!(php_soap11, "php-soap11.txt", V11);
sample!(php_soap12, "php-soap12.txt", V12);
sample!(zeep_soap11, "zeep-soap11.txt", V11);
sample!(zeep_soap12, "zeep-soap12.txt", V12);

/// The quirks the captures are kept for must still be in the bytes.
#[test]
fn fixtures_keep_their_quirks() {
    let wcf12 = split_http(include_bytes!("fixtures/wire-samples/mono-wcf-soap12.txt"));
    assert!(
        wcf12.body.starts_with(b"\xEF\xBB\xBF<?xml"),
        "BOM before the declaration"
    );
    assert_eq!(
        wcf12.header("Content-Type"),
        Some("application/soap+xml; charset=utf-8")
    );

    let gsoap = split_http(include_bytes!("fixtures/wire-samples/gsoap-soap11.txt"));
    assert!(
        gsoap.body.ends_with(b"</SOAP-ENV:Envelope>\r\n"),
        "CRLF after the root"
    );
    let gsoap12 = split_http(include_bytes!("fixtures/wire-samples/gsoap-soap12.txt"));
    assert!(find(gsoap12.body, b"mustUnderstand=\"true\"").is_some());

    let lite12 = split_http(include_bytes!(
        "fixtures/wire-samples/perl-soaplite-soap12.txt"
    ));
    assert!(find(lite12.body, b"soap:encodingStyle=").is_some());
    assert!(lite12
        .header("Content-Type")
        .is_some_and(|ct| !ct.contains("action")));
}
