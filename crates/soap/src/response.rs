//! Successful response envelopes, with the four Services88 response headers.
//!
//! The envelope is written with the `s:` prefix, as WCF writes it. A prefix (rather than a
//! default namespace) means a body element written without its own `xmlns` does not
//! silently land in the envelope namespace, and SOAP 1.1 fault children, which must be
//! unqualified, can be written as plain names. Header blocks and body content carry their
//! own default namespace declaration.

use crate::{SoapVersion, XmlWriter, SERVICES88_NS};

/// The Services88 `ExceptionInfo` header (and fault detail) content.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExceptionInfo {
    /// What went wrong, for the developer.
    pub message: String,
    /// A text fit to show a user.
    pub friendly_text: String,
    /// The exception type name, e.g. `SoNotFoundException`.
    pub exception_type: String,
    /// Where it came from.
    pub source: String,
    /// Extra key/value pairs describing the error.
    pub parameters: Vec<(String, String)>,
}

/// The Services88 response headers that vary; `TimeZone` is always nil.
#[derive(Clone, Debug, Default)]
pub struct ResponseHeaders {
    /// The `Succeeded` header.
    pub succeeded: bool,
    /// The `ExceptionInfo` header; nil when None.
    pub exception: Option<ExceptionInfo>,
    /// The `ExtraInfo` header's key/value pairs, in order; nil when empty.
    pub extra: Vec<(String, String)>,
}

/// Room for a typical response in one allocation (an ExceptionInfo answer with its
/// operation id is about 1.2 KiB).
const RESPONSE_CAPACITY: usize = 2048;

/// A complete envelope: <Envelope xmlns=version ns><Header> ExceptionInfo?, ExtraInfo?, Succeeded, TimeZone(nil) </Header><Body> (body) </Body></Envelope>
///
/// Header blocks are in SERVICES88_NS in this order: ExceptionInfo (nil when None),
/// ExtraInfo (nil when empty), Succeeded, TimeZone (nil). `body` writes the Body's content, which
/// must declare its own namespace, e.g.
/// `<SetPasswordResponse xmlns="…Services88"><Response>true</Response></SetPasswordResponse>`.
/// The `xsi` prefix is declared on the Envelope, so `body` may use [`XmlWriter::nil`].
pub fn write_response(
    version: SoapVersion,
    headers: &ResponseHeaders,
    body: impl FnOnce(&mut XmlWriter),
) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(RESPONSE_CAPACITY);
    open_envelope(&mut w, version);
    w.open("s:Header");
    let ns = [("xmlns", SERVICES88_NS)];
    match &headers.exception {
        Some(info) => write_exception_info(&mut w, info),
        None => w.nil_with("ExceptionInfo", &ns),
    }
    write_extra_info(&mut w, &headers.extra);
    w.leaf_with(
        "Succeeded",
        &ns,
        if headers.succeeded { "true" } else { "false" },
    );
    w.nil_with("TimeZone", &ns);
    w.close("s:Header");
    w.open("s:Body");
    body(&mut w);
    w.close("s:Body");
    w.close("s:Envelope");
    w.into_bytes()
}

/// `<ExtraInfo xmlns="Services88">` as an `SoExtraInfo` dictionary, or nil when empty.
fn write_extra_info(w: &mut XmlWriter, extra: &[(String, String)]) {
    let ns = [("xmlns", SERVICES88_NS)];
    if extra.is_empty() {
        w.nil_with("ExtraInfo", &ns);
        return;
    }
    w.open_with("ExtraInfo", &ns);
    for (key, value) in extra {
        w.open("ExtraInfoNameValuePair");
        w.leaf("Key", key);
        w.leaf("Value", value);
        w.close("ExtraInfoNameValuePair");
    }
    w.close("ExtraInfo");
}

/// The XML declaration and `<s:Envelope xmlns:s=… xmlns:xsi=…>`.
pub(crate) fn open_envelope(w: &mut XmlWriter, version: SoapVersion) {
    w.declaration();
    w.open_declaring_xsi("s:Envelope", &[("xmlns:s", version.envelope_ns())]);
}

/// `<ExceptionInfo xmlns="Services88">` with its children in schema order.
pub(crate) fn write_exception_info(w: &mut XmlWriter, info: &ExceptionInfo) {
    w.open_with("ExceptionInfo", &[("xmlns", SERVICES88_NS)]);
    w.leaf("Message", &info.message);
    // Stack traces and inner exceptions would describe this server's internals.
    w.nil("StackTrace");
    w.leaf("FriendlyText", &info.friendly_text);
    w.leaf("ExceptionType", &info.exception_type);
    w.leaf("Source", &info.source);
    w.nil("InnerException");
    w.open("Parameters");
    for (key, value) in &info.parameters {
        w.open("SoExceptionInfoParametersKeyValuePair");
        w.leaf("Key", key);
        w.leaf("Value", value);
        w.close("SoExceptionInfoParametersKeyValuePair");
    }
    w.close("Parameters");
    w.close("ExceptionInfo");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_success_bytes() {
        let out = write_response(
            SoapVersion::V11,
            &ResponseHeaders {
                succeeded: true,
                exception: None,
                extra: Vec::new(),
            },
            |w| {
                w.open_with("SetPasswordResponse", &[("xmlns", SERVICES88_NS)]);
                w.leaf("Response", "true");
                w.close("SetPasswordResponse");
            },
        );
        let text = String::from_utf8(out).expect("utf-8");
        let ns = SERVICES88_NS;
        let expected = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope \
             xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><s:Header>\
             <ExceptionInfo xmlns=\"{ns}\" xsi:nil=\"true\"/><ExtraInfo xmlns=\"{ns}\" xsi:nil=\"true\"/>\
             <Succeeded xmlns=\"{ns}\">true</Succeeded><TimeZone xmlns=\"{ns}\" xsi:nil=\"true\"/>\
             </s:Header><s:Body><SetPasswordResponse xmlns=\"{ns}\"><Response>true</Response>\
             </SetPasswordResponse></s:Body></s:Envelope>"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn extra_info_pairs_are_written_escaped_in_order() {
        let headers = ResponseHeaders {
            succeeded: true,
            exception: None,
            extra: vec![
                ("OperationId".into(), "abc".into()),
                ("k<".into(), "v&".into()),
            ],
        };
        let text =
            String::from_utf8(write_response(SoapVersion::V12, &headers, |_| {})).expect("utf-8");
        let ns = SERVICES88_NS;
        assert!(text.contains(&format!(
            "<ExtraInfo xmlns=\"{ns}\"><ExtraInfoNameValuePair><Key>OperationId</Key>\
             <Value>abc</Value></ExtraInfoNameValuePair><ExtraInfoNameValuePair>\
             <Key>k&lt;</Key><Value>v&amp;</Value></ExtraInfoNameValuePair></ExtraInfo>"
        )));
    }
}
