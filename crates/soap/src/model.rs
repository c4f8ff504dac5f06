//! What a parsed request looks like.
//!
//! Everything is owned, so the request outlives the body buffer and the XML tree. Request
//! parameters and the token headers hold secrets (passwords, tickets, application
//! tokens), so the `Debug` impls here are written by hand and print names, never values:
//! a stray `{:?}` in a log line must not leak a password.

use std::fmt;

use crate::xsd::parse_xs_int;
use crate::{SoapError, SoapVersion, SERVICES88_NS};

/// The `TimeZone` request header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeZone {
    /// `SoTimeZoneId`; None when absent or nil.
    pub id: Option<i32>,
    /// `SoTimeZoneLocationCode`; None when absent or nil.
    pub location_code: Option<String>,
}

/// The Services88 request headers. `Debug` redacts the token and the ticket.
#[derive(Clone, Default)]
pub struct RequestHeaders {
    /// `ApplicationToken` text, unmodified; None when absent or nil.
    pub application_token: Option<String>,
    /// `Credentials/Ticket` text, unmodified; None when absent or nil.
    pub ticket: Option<String>,
    /// `TimeZone`; None when absent or nil.
    pub time_zone: Option<TimeZone>,
}

/// Debug stand-in for a secret: shows whether it is there, not what it is.
struct Redacted(bool);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "Some(<redacted>)" } else { "None" })
    }
}

impl fmt::Debug for RequestHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestHeaders")
            .field(
                "application_token",
                &Redacted(self.application_token.is_some()),
            )
            .field("ticket", &Redacted(self.ticket.is_some()))
            .field("time_zone", &self.time_zone)
            .finish()
    }
}

/// One element child of the operation element. `Debug` shows names only.
#[derive(Clone)]
pub struct Param {
    /// Namespace URI of the element ("" when it has none).
    pub namespace: String,
    /// Local name of the element.
    pub name: String,
    /// All descendant text, with references and CDATA resolved and nothing trimmed;
    /// None when the element has `xsi:nil="true"`.
    pub value: Option<String>,
}

impl Param {
    /// A parameter in the Services88 namespace.
    pub fn new(name: impl Into<String>, value: Option<String>) -> Param {
        Param {
            namespace: SERVICES88_NS.to_owned(),
            name: name.into(),
            value,
        }
    }
}

impl fmt::Debug for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Param")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("value", &Redacted(self.value.is_some()))
            .finish()
    }
}

/// The body's operation element. `Debug` shows the name and parameter names only.
#[derive(Clone)]
pub struct Operation {
    /// Namespace URI of the operation element.
    pub namespace: String,
    /// Local name of the operation element, e.g. `SetPassword`.
    pub name: String,
    /// Element children, in document order.
    pub params: Vec<Param>,
}

impl Operation {
    /// Text of the first child element with this local name in SERVICES88_NS; None if absent or nil.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.param(name).and_then(|p| p.value.as_deref())
    }

    /// The first child element with this local name in SERVICES88_NS.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|p| p.name == name && p.namespace == SERVICES88_NS)
    }

    /// Refuses the request when one of `declared` (the operation's parameters, by local
    /// name in SERVICES88_NS) appears more than once, naming the first such parameter.
    /// Other elements are not looked at: unknown extras stay tolerated, as WCF tolerates
    /// them, since nothing reads them. Allocates only to report a refusal.
    pub fn check_params_once<'n>(
        &self,
        declared: impl IntoIterator<Item = &'n str>,
    ) -> Result<(), SoapError> {
        for name in declared {
            let mut copies = self
                .params
                .iter()
                .filter(|p| p.name == name && p.namespace == SERVICES88_NS);
            if copies.next().is_some() && copies.next().is_some() {
                return Err(SoapError::DuplicateParameter {
                    operation: self.name.clone(),
                    name: name.to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Parsed xs:int (whitespace trimmed, optional sign, range of i32); `Ok(None)` if
    /// absent or nil; `InvalidValue` otherwise.
    pub fn int(&self, name: &str) -> Result<Option<i32>, SoapError> {
        match self.text(name) {
            None => Ok(None),
            Some(text) => parse_xs_int(text)
                .map(Some)
                .ok_or_else(|| SoapError::InvalidValue {
                    element: name.to_owned(),
                    expected: "xs:int",
                }),
        }
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
        f.debug_struct("Operation")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("params", &names)
            .finish()
    }
}

/// A parsed request envelope.
#[derive(Clone, Debug)]
pub struct Request {
    /// The version of the envelope (from its namespace), which the answer must use.
    pub version: SoapVersion,
    /// The Services88 request headers.
    pub headers: RequestHeaders,
    /// The body's operation.
    pub operation: Operation,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(params: Vec<Param>) -> Operation {
        Operation {
            namespace: SERVICES88_NS.into(),
            name: "SetPassword".into(),
            params,
        }
    }

    #[test]
    fn text_filters_namespace_and_takes_first() {
        let o = op(vec![
            Param {
                namespace: "urn:other".into(),
                name: "Password".into(),
                value: Some("x".into()),
            },
            Param::new("Password", Some("first".into())),
            Param::new("Password", Some("second".into())),
            Param::new("Nil", None),
        ]);
        assert_eq!(o.text("Password"), Some("first"));
        assert_eq!(o.text("Nil"), None);
        assert!(o.param("Nil").is_some());
        assert_eq!(o.text("Absent"), None);
    }

    #[test]
    fn typed_values() {
        let o = op(vec![
            Param::new("A", Some(" 42 ".into())),
            Param::new("B", Some("abc".into())),
            Param::new("C", Some("1".into())),
            Param::new("D", None),
        ]);
        assert_eq!(o.int("A"), Ok(Some(42)));
        assert_eq!(
            o.int("B"),
            Err(SoapError::InvalidValue {
                element: "B".into(),
                expected: "xs:int"
            })
        );
        assert_eq!(o.int("D"), Ok(None));
        assert_eq!(o.int("Z"), Ok(None));
    }

    #[test]
    fn debug_never_shows_values() {
        let o = op(vec![
            Param::new("Password", Some("hunter2-secret".into())),
            Param::new("Nil", None),
        ]);
        let h = RequestHeaders {
            application_token: Some("app-secret-token".into()),
            ticket: Some("7T:ticket-secret".into()),
            time_zone: Some(TimeZone {
                id: Some(5),
                location_code: Some("UTC".into()),
            }),
        };
        let r = Request {
            version: SoapVersion::V11,
            headers: h,
            operation: o,
        };
        let text = format!("{r:?} {:#?}", r.operation.params);
        for secret in ["hunter2-secret", "app-secret-token", "7T:ticket-secret"] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
        assert!(
            text.contains("Password")
                && text.contains("SetPassword")
                && text.contains("<redacted>")
        );
        assert!(text.contains("UTC"), "time zone is not secret: {text}");
        let empty = format!("{:?}", RequestHeaders::default());
        assert!(
            !empty.contains("redacted") && empty.contains("ticket: None"),
            "{empty}"
        );
    }
}
