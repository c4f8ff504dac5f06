//! The two SOAP versions and what HTTP headers say about them.
//!
//! The HTTP layer only guesses the version from `Content-Type`; the envelope namespace is
//! what decides it (see the reader). The SOAP action lives in different places per
//! version: SOAP 1.1 sends a `SOAPAction` header, SOAP 1.2 an `action` parameter of the
//! content type. Real clients mix the two, so both are looked at.

use crate::{SOAP11_ENV_NS, SOAP12_ENV_NS};

/// A SOAP protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml`, the version of SuperOffice's published binding).
    V11,
    /// SOAP 1.2 (`application/soap+xml`, used by the documentation examples).
    V12,
}

impl SoapVersion {
    /// The envelope namespace URI of this version.
    pub fn envelope_ns(self) -> &'static str {
        match self {
            SoapVersion::V11 => SOAP11_ENV_NS,
            SoapVersion::V12 => SOAP12_ENV_NS,
        }
    }

    /// The `Content-Type` a message of this version is sent with.
    pub fn content_type(self) -> &'static str {
        match self {
            SoapVersion::V11 => "text/xml; charset=utf-8",
            SoapVersion::V12 => "application/soap+xml; charset=utf-8",
        }
    }

    /// The version whose envelope namespace is `ns`, if any.
    pub fn from_envelope_ns(ns: &str) -> Option<SoapVersion> {
        match ns {
            SOAP11_ENV_NS => Some(SoapVersion::V11),
            SOAP12_ENV_NS => Some(SoapVersion::V12),
            _ => None,
        }
    }

    /// Guess from an HTTP Content-Type header value: application/soap+xml => V12, anything else V11.
    pub fn from_content_type(ct: &str) -> SoapVersion {
        if media_type(ct).eq_ignore_ascii_case("application/soap+xml") {
            SoapVersion::V12
        } else {
            SoapVersion::V11
        }
    }
}

/// The SOAP action from HTTP headers: for 1.2 the `action="..."` parameter of Content-Type, else/also the SOAPAction header; quotes stripped; empty string => None.
///
/// When the content type is `application/soap+xml` its `action` parameter wins over a
/// `SOAPAction` header; otherwise the `SOAPAction` header wins. Either is used when it is
/// the only one present.
pub fn action_from_headers(
    content_type: Option<&str>,
    soap_action: Option<&str>,
) -> Option<String> {
    let from_ct = content_type.and_then(|ct| content_type_param(ct, "action"));
    let from_header = soap_action.and_then(unquote_header);
    let v12 = content_type.map(SoapVersion::from_content_type) == Some(SoapVersion::V12);
    if v12 {
        from_ct.or(from_header)
    } else {
        from_header.or(from_ct)
    }
}

/// The `type/subtype` part of a content type, trimmed.
fn media_type(ct: &str) -> &str {
    ct.split(';').next().unwrap_or("").trim()
}

/// A `SOAPAction` header value without surrounding whitespace and double quotes.
fn unquote_header(value: &str) -> Option<String> {
    let v = value.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(v)
        .trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// The value of parameter `name` (case-insensitive) in a content type, unquoted.
///
/// Parameters follow RFC 9110: `; name=token` or `; name="quoted \" string"`. A quoted
/// value may contain `;`, so the value is read character by character rather than split.
fn content_type_param(ct: &str, name: &str) -> Option<String> {
    let mut rest = ct.split_once(';')?.1;
    loop {
        let (key, after_eq) = rest.split_once('=')?;
        let key = key.trim();
        let after_eq = after_eq.trim_start();
        let (value, remainder) = if let Some(quoted) = after_eq.strip_prefix('"') {
            read_quoted(quoted)
        } else {
            match after_eq.split_once(';') {
                Some((v, r)) => (v.trim().to_owned(), Some(r)),
                None => (after_eq.trim().to_owned(), None),
            }
        };
        if key.eq_ignore_ascii_case(name) {
            let value = value.trim().to_owned();
            return (!value.is_empty()).then_some(value);
        }
        rest = remainder?;
    }
}

/// Reads a quoted-string body (after the opening quote). Returns the unescaped value and
/// what follows the next `;` after the closing quote, if anything.
fn read_quoted(s: &str) -> (String, Option<&str>) {
    let mut value = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            '"' => {
                let after = &s[i + 1..];
                return (value, after.split_once(';').map(|(_, r)| r));
            }
            _ => value.push(c),
        }
    }
    // An unterminated quote: take what there is rather than refusing the whole header.
    (value, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_guess() {
        assert_eq!(
            SoapVersion::from_content_type("application/soap+xml"),
            SoapVersion::V12
        );
        assert_eq!(
            SoapVersion::from_content_type(" Application/SOAP+XML ; charset=utf-8"),
            SoapVersion::V12
        );
        assert_eq!(
            SoapVersion::from_content_type("text/xml; charset=utf-8"),
            SoapVersion::V11
        );
        assert_eq!(SoapVersion::from_content_type(""), SoapVersion::V11);
        assert_eq!(
            SoapVersion::from_content_type("application/json"),
            SoapVersion::V11
        );
    }

    #[test]
    fn action_sources_and_priority() {
        let ct12 = "application/soap+xml; charset=utf-8; action=\"urn:a\"";
        assert_eq!(
            action_from_headers(Some(ct12), None).as_deref(),
            Some("urn:a")
        );
        assert_eq!(
            action_from_headers(Some(ct12), Some("\"urn:b\"")).as_deref(),
            Some("urn:a")
        );
        let ct11 = "text/xml; charset=utf-8";
        assert_eq!(
            action_from_headers(Some(ct11), Some("\"urn:b\"")).as_deref(),
            Some("urn:b")
        );
        assert_eq!(
            action_from_headers(Some(ct11), Some("urn:b")).as_deref(),
            Some("urn:b")
        );
        assert_eq!(
            action_from_headers(None, Some(" \"urn:c\" ")).as_deref(),
            Some("urn:c")
        );
        assert_eq!(action_from_headers(Some(ct11), Some("\"\"")), None);
        assert_eq!(action_from_headers(Some(ct11), Some("")), None);
        assert_eq!(action_from_headers(None, None), None);
        assert_eq!(
            action_from_headers(Some("application/soap+xml; action=\"\""), None),
            None
        );
    }

    #[test]
    fn content_type_param_forms() {
        assert_eq!(
            content_type_param("application/soap+xml;ACTION=urn:x;charset=utf-8", "action")
                .as_deref(),
            Some("urn:x")
        );
        assert_eq!(
            content_type_param("a/b; q=\"x;y\"; action=\"urn:a;b\\\"c\"", "action").as_deref(),
            Some("urn:a;b\"c")
        );
        assert_eq!(
            content_type_param("a/b; action=\"unterminated", "action").as_deref(),
            Some("unterminated")
        );
        assert_eq!(content_type_param("a/b", "action"), None);
        assert_eq!(content_type_param("a/b; charset", "action"), None);
    }

    #[test]
    fn envelope_namespaces() {
        assert_eq!(SoapVersion::V11.envelope_ns(), SOAP11_ENV_NS);
        assert_eq!(SoapVersion::V12.envelope_ns(), SOAP12_ENV_NS);
        assert_eq!(
            SoapVersion::from_envelope_ns(SOAP12_ENV_NS),
            Some(SoapVersion::V12)
        );
        assert_eq!(SoapVersion::from_envelope_ns("urn:other"), None);
        assert_eq!(SoapVersion::V11.content_type(), "text/xml; charset=utf-8");
        assert_eq!(
            SoapVersion::V12.content_type(),
            "application/soap+xml; charset=utf-8"
        );
    }
}
