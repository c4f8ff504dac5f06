//! SOAP faults in both versions.
//!
//! SOAP 1.1: `faultcode` (a QName such as `s:Client`), `faultstring`, optional `detail`;
//! the three children are unqualified. SOAP 1.2: `Code/Value` (+ optional `Subcode`),
//! `Reason/Text`, optional `Detail`, all in the envelope namespace; a MustUnderstand fault
//! also lists each refused block in a `NotUnderstood` header block (SOAP 1.2 part 1, 5.4.8).
//! The detail, when present, is a Services88 `ExceptionInfo`, the same structure clients
//! already read from the response header.

use crate::response::{open_envelope, write_exception_info};
use crate::{ExceptionInfo, Fault, FaultCode, SoapError, SoapVersion, XmlWriter};

/// Room for a typical fault in one allocation.
const FAULT_CAPACITY: usize = 768;

/// A SOAP fault reporting `fault.error` in `fault.version`, with an optional
/// `ExceptionInfo` detail. The reason text is the error's Display text.
pub fn write_fault(fault: &Fault, detail: Option<&ExceptionInfo>) -> Vec<u8> {
    let not_understood: &[(String, String)] = match &fault.error {
        SoapError::MustUnderstand(blocks) => blocks,
        _ => &[],
    };
    write(
        fault.version,
        fault.error.fault_code(),
        None,
        &fault.error.to_string(),
        not_understood,
        detail,
    )
}

/// Same but for an application error that the server chose to send as a fault (setting "faults instead of ExceptionInfo"): reason = info.message, code Sender/Client (or Receiver/Server when `server_side`), detail = info.
///
/// An empty message falls back to the friendly text, then to a fixed phrase, because an
/// empty reason leaves the person reading a client's error with nothing.
pub fn write_app_fault(version: SoapVersion, info: &ExceptionInfo, server_side: bool) -> Vec<u8> {
    let code = if server_side {
        FaultCode::Receiver
    } else {
        FaultCode::Sender
    };
    let reason = [info.message.as_str(), info.friendly_text.as_str()]
        .into_iter()
        .find(|r| !r.is_empty())
        .unwrap_or("the operation failed");
    write(version, code, None, reason, &[], Some(info))
}

/// A fault with every part chosen by the caller. `subcode` is a (namespace, local name)
/// written as the SOAP 1.2 `Subcode`; SOAP 1.1 has no subcodes and ignores it. No
/// `NotUnderstood` blocks are written: use [`write_fault`] for mustUnderstand refusals.
pub fn write_fault_custom(
    version: SoapVersion,
    code: FaultCode,
    subcode: Option<(&str, &str)>,
    reason: &str,
    detail: Option<&ExceptionInfo>,
) -> Vec<u8> {
    write(version, code, subcode, reason, &[], detail)
}

fn write(
    version: SoapVersion,
    code: FaultCode,
    subcode: Option<(&str, &str)>,
    reason: &str,
    not_understood: &[(String, String)],
    detail: Option<&ExceptionInfo>,
) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(FAULT_CAPACITY);
    open_envelope(&mut w, version);
    // The envelope prefix is `s`, so `s:Client` etc. resolve to the envelope namespace.
    let code_qname = format!("s:{}", code.local_name(version));
    match version {
        SoapVersion::V11 => {
            w.open("s:Body");
            w.open("s:Fault");
            w.leaf("faultcode", &code_qname);
            w.leaf_with("faultstring", &[("xml:lang", "en")], reason);
            if let Some(info) = detail {
                w.open("detail");
                write_exception_info(&mut w, info);
                w.close("detail");
            }
        }
        SoapVersion::V12 => {
            if !not_understood.is_empty() {
                w.open("s:Header");
                for (ns, local) in not_understood {
                    write_not_understood(&mut w, ns, local);
                }
                w.close("s:Header");
            }
            w.open("s:Body");
            w.open("s:Fault");
            w.open("s:Code");
            w.leaf("s:Value", &code_qname);
            if let Some((ns, local)) = subcode {
                w.open("s:Subcode");
                write_qname_leaf(&mut w, "s:Value", ns, local);
                w.close("s:Subcode");
            }
            w.close("s:Code");
            w.open("s:Reason");
            w.leaf_with("s:Text", &[("xml:lang", "en")], reason);
            w.close("s:Reason");
            if let Some(info) = detail {
                w.open("s:Detail");
                write_exception_info(&mut w, info);
                w.close("s:Detail");
            }
        }
    }
    w.close("s:Fault");
    w.close("s:Body");
    w.close("s:Envelope");
    w.into_bytes()
}

/// `<s:NotUnderstood qname="q:local" xmlns:q="ns"/>`; a block without a namespace gets an
/// unprefixed qname (no default namespace is in scope in a fault, so it resolves to none).
fn write_not_understood(w: &mut XmlWriter, ns: &str, local: &str) {
    if ns.is_empty() {
        w.empty("s:NotUnderstood", &[("qname", local)]);
    } else {
        let qname = format!("q:{local}");
        w.empty("s:NotUnderstood", &[("qname", &qname), ("xmlns:q", ns)]);
    }
}

/// `<name xmlns:q="ns">q:local</name>`, a QName-valued element.
fn write_qname_leaf(w: &mut XmlWriter, name: &str, ns: &str, local: &str) {
    if ns.is_empty() {
        w.leaf(name, local);
    } else {
        w.leaf_with(name, &[("xmlns:q", ns)], &format!("q:{local}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_v11_client_fault() {
        let out = write_fault(&Fault::new(SoapVersion::V11, SoapError::EmptyBody), None);
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope \
             xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><s:Body><s:Fault>\
             <faultcode>s:Client</faultcode><faultstring xml:lang=\"en\">the SOAP Body has no \
             operation element</faultstring></s:Fault></s:Body></s:Envelope>"
        );
    }

    #[test]
    fn app_fault_reason_fallbacks() {
        let info = ExceptionInfo {
            friendly_text: "Try again".into(),
            ..Default::default()
        };
        let out = String::from_utf8(write_app_fault(SoapVersion::V12, &info, true)).expect("utf-8");
        assert!(out.contains("<s:Value>s:Receiver</s:Value>"), "{out}");
        assert!(
            out.contains("<s:Text xml:lang=\"en\">Try again</s:Text>"),
            "{out}"
        );
        let out = String::from_utf8(write_app_fault(
            SoapVersion::V11,
            &ExceptionInfo::default(),
            false,
        ))
        .expect("utf-8");
        assert!(out.contains(">the operation failed</faultstring>"), "{out}");
        assert!(out.contains("<faultcode>s:Client</faultcode>"), "{out}");
    }
}
