//! Responses and faults, read back with a real XML parser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use roxmltree::{Document, Node};
use soap::{
    write_app_fault, write_fault, write_fault_custom, write_response, ExceptionInfo, Fault,
    FaultCode, ResponseHeaders, SoapError, SoapVersion, XmlWriter,
};

const DECL: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

fn text_of(bytes: &[u8]) -> &str {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with(DECL), "{text}");
    text
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children().filter(Node::is_element).collect()
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, local: &str) -> Node<'a, 'i> {
    node.children()
        .find(|c| has_name(*c, ns, local))
        .unwrap_or_else(|| panic!("no {{{ns}}}{local} under {:?}", node.tag_name()))
}

/// Name match where "" means "no namespace" (roxmltree reports that as None).
fn has_name(node: Node, ns: &str, local: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace().unwrap_or("") == ns
        && node.tag_name().name() == local
}

fn is_nil(node: Node) -> bool {
    node.attribute((XSI, "nil")) == Some("true")
}

/// A QName in element or attribute content, resolved against the node's scope.
fn resolve(node: Node, qname: &str) -> (String, String) {
    let (prefix, local) = qname
        .split_once(':')
        .map_or((None, qname), |(p, l)| (Some(p), l));
    let ns = node.lookup_namespace_uri(prefix).unwrap_or("");
    (ns.to_owned(), local.to_owned())
}

fn set_password_response(w: &mut XmlWriter, value: bool) {
    w.open_with("SetPasswordResponse", &[("xmlns", S88)]);
    w.leaf_bool("Response", value);
    w.close("SetPasswordResponse");
}

#[test]
fn response_shape_and_header_order() {
    for (version, env_ns) in [(SoapVersion::V11, ENV11), (SoapVersion::V12, ENV12)] {
        for succeeded in [true, false] {
            let out = write_response(
                version,
                &ResponseHeaders {
                    succeeded,
                    exception: None,
                    extra: Vec::new(),
                },
                |w| set_password_response(w, succeeded),
            );
            let doc = Document::parse(text_of(&out)).expect("well-formed");
            let env = doc.root_element();
            assert!(env.has_tag_name((env_ns, "Envelope")));
            let parts: Vec<&str> = elements(env).iter().map(|n| n.tag_name().name()).collect();
            assert_eq!(parts, ["Header", "Body"]);

            let header = child(env, env_ns, "Header");
            let blocks = elements(header);
            let names: Vec<(Option<&str>, &str)> = blocks
                .iter()
                .map(|b| (b.tag_name().namespace(), b.tag_name().name()))
                .collect();
            assert_eq!(
                names,
                [
                    (Some(S88), "ExceptionInfo"),
                    (Some(S88), "ExtraInfo"),
                    (Some(S88), "Succeeded"),
                    (Some(S88), "TimeZone")
                ]
            );
            assert!(is_nil(blocks[0]) && is_nil(blocks[1]) && is_nil(blocks[3]));
            assert!(!is_nil(blocks[2]));
            assert_eq!(
                blocks[2].text(),
                Some(if succeeded { "true" } else { "false" })
            );

            let body = child(env, env_ns, "Body");
            let op = child(body, S88, "SetPasswordResponse");
            assert_eq!(
                child(op, S88, "Response").text(),
                Some(if succeeded { "true" } else { "false" })
            );
        }
    }
}

fn sample_info() -> ExceptionInfo {
    ExceptionInfo {
        message: "Ticket <expired> & \"gone\"".into(),
        friendly_text: "Log in again, it's been a while".into(),
        exception_type: "SoTicketException".into(),
        source: "User.SetPassword".into(),
        parameters: vec![
            ("AssociateId".into(), "42".into()),
            ("a<b".into(), "c&d".into()),
        ],
    }
}

fn check_exception_info(node: Node, info: &ExceptionInfo) {
    assert!(node.has_tag_name((S88, "ExceptionInfo")));
    let kids = elements(node);
    let names: Vec<&str> = kids.iter().map(|n| n.tag_name().name()).collect();
    assert_eq!(
        names,
        [
            "Message",
            "StackTrace",
            "FriendlyText",
            "ExceptionType",
            "Source",
            "InnerException",
            "Parameters"
        ]
    );
    assert!(kids.iter().all(|k| k.tag_name().namespace() == Some(S88)));
    assert_eq!(kids[0].text(), Some(info.message.as_str()));
    assert!(is_nil(kids[1]));
    assert_eq!(kids[2].text(), Some(info.friendly_text.as_str()));
    assert_eq!(kids[3].text(), Some(info.exception_type.as_str()));
    assert_eq!(kids[4].text(), Some(info.source.as_str()));
    assert!(is_nil(kids[5]));
    let pairs: Vec<(String, String)> = elements(kids[6])
        .into_iter()
        .map(|p| {
            assert!(p.has_tag_name((S88, "SoExceptionInfoParametersKeyValuePair")));
            let kv = elements(p);
            assert_eq!(kv.len(), 2);
            assert!(kv[0].has_tag_name((S88, "Key")) && kv[1].has_tag_name((S88, "Value")));
            (
                kv[0].text().unwrap_or("").to_owned(),
                kv[1].text().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(pairs, info.parameters);
}

#[test]
fn response_with_exception_info() {
    let info = sample_info();
    let headers = ResponseHeaders {
        succeeded: false,
        exception: Some(info.clone()),
        extra: Vec::new(),
    };
    let out = write_response(SoapVersion::V12, &headers, |w| {
        w.nil_with("SetPasswordResponse", &[("xmlns", S88)])
    });
    let doc = Document::parse(text_of(&out)).expect("well-formed");
    let header = child(doc.root_element(), ENV12, "Header");
    let blocks = elements(header);
    check_exception_info(blocks[0], &info);
    assert_eq!(blocks[2].text(), Some("false"));
    let body = child(doc.root_element(), ENV12, "Body");
    assert!(
        is_nil(child(body, S88, "SetPasswordResponse")),
        "xsi is in scope for the body"
    );
}

#[test]
fn escaping_round_trips_through_a_parser() {
    let nasty = "<tag attr=\"x\"> & 'q' ]]> \r\n\tend\u{0}\u{1B}\u{FFFF}ÆØÅ😀";
    let expected = "<tag attr=\"x\"> & 'q' ]]> \r\n\tend\u{FFFD}\u{FFFD}\u{FFFD}ÆØÅ😀";
    let out = write_response(SoapVersion::V11, &ResponseHeaders::default(), |w| {
        w.open_with("Echo", &[("xmlns", S88), ("note", nasty)]);
        w.text(nasty);
        w.close("Echo");
    });
    let text = text_of(&out);
    for raw in ["<tag", "\u{0}", "\u{1B}", "\u{FFFF}", "\r"] {
        assert!(!text.contains(raw), "{raw:?} written raw");
    }
    let doc = Document::parse(text).expect("well-formed");
    let echo = child(child(doc.root_element(), ENV11, "Body"), S88, "Echo");
    assert_eq!(echo.text(), Some(expected));
    assert_eq!(
        echo.attribute("note"),
        Some(expected),
        "attribute values survive normalisation"
    );
}

fn fault_parts(bytes: &[u8], version: SoapVersion) -> (Document<'_>, String) {
    let doc = Document::parse(text_of(bytes)).expect("well-formed");
    let env_ns = version.envelope_ns();
    assert!(doc.root_element().has_tag_name((env_ns, "Envelope")));
    (doc, env_ns.to_owned())
}

/// Checks a fault's code and reason; returns its Fault element's detail child, if any.
fn check_fault<'a, 'i>(
    doc: &'a Document<'i>,
    version: SoapVersion,
    code: &str,
    reason: &str,
) -> Option<Node<'a, 'i>> {
    let env_ns = version.envelope_ns();
    let body = child(doc.root_element(), env_ns, "Body");
    let fault = child(body, env_ns, "Fault");
    match version {
        SoapVersion::V11 => {
            let names: Vec<&str> = elements(fault)
                .iter()
                .map(|n| n.tag_name().name())
                .collect();
            assert!(
                names.starts_with(&["faultcode", "faultstring"]),
                "{names:?}"
            );
            let faultcode = child(fault, "", "faultcode");
            let value = faultcode.text().expect("code");
            assert_eq!(
                resolve(faultcode, value),
                (env_ns.to_owned(), code.to_owned())
            );
            let faultstring = child(fault, "", "faultstring");
            assert_eq!(faultstring.text(), Some(reason));
            assert_eq!(
                faultstring.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
                Some("en")
            );
            fault.children().find(|c| has_name(*c, "", "detail"))
        }
        SoapVersion::V12 => {
            let value = child(child(fault, env_ns, "Code"), env_ns, "Value");
            assert_eq!(
                resolve(value, value.text().expect("code")),
                (env_ns.to_owned(), code.to_owned())
            );
            let text = child(child(fault, env_ns, "Reason"), env_ns, "Text");
            assert_eq!(text.text(), Some(reason));
            assert_eq!(
                text.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
                Some("en")
            );
            fault
                .children()
                .find(|c| c.has_tag_name((env_ns, "Detail")))
        }
    }
}

#[test]
fn faults_for_each_error_and_version() {
    let errors = [
        (
            SoapError::Malformed("x at line 1, column 2".into()),
            "Client",
            "Sender",
        ),
        (SoapError::DtdForbidden, "Client", "Sender"),
        (SoapError::TooLarge { limit: 65536 }, "Client", "Sender"),
        (SoapError::EmptyBody, "Client", "Sender"),
        (
            SoapError::UnknownOperation {
                namespace: S88.into(),
                name: "Foo".into(),
            },
            "Client",
            "Sender",
        ),
        (
            SoapError::InvalidValue {
                element: "AssociateId".into(),
                expected: "xs:int",
            },
            "Client",
            "Sender",
        ),
        (
            SoapError::NotAnEnvelope,
            "VersionMismatch",
            "VersionMismatch",
        ),
        (
            SoapError::WrongEnvelopeNamespace("urn:x".into()),
            "VersionMismatch",
            "VersionMismatch",
        ),
        (
            SoapError::MustUnderstand(vec![("urn:a".into(), "A".into())]),
            "MustUnderstand",
            "MustUnderstand",
        ),
    ];
    for (error, code11, code12) in errors {
        for (version, code) in [(SoapVersion::V11, code11), (SoapVersion::V12, code12)] {
            let reason = error.to_string();
            let out = write_fault(&Fault::new(version, error.clone()), None);
            let (doc, _) = fault_parts(&out, version);
            let detail = check_fault(&doc, version, code, &reason);
            assert!(detail.is_none(), "no detail was asked for");
        }
    }
    let out = write_fault(
        &Fault::new(
            SoapVersion::V12,
            SoapError::UnknownOperation {
                namespace: S88.into(),
                name: "Foo".into(),
            },
        ),
        None,
    );
    assert!(text_of(&out).contains(&format!(
        "operation &apos;Foo&apos; in namespace &apos;{S88}&apos; is not implemented"
    )));
}

#[test]
fn fault_detail_carries_exception_info() {
    let info = sample_info();
    for version in [SoapVersion::V11, SoapVersion::V12] {
        let out = write_fault(&Fault::new(version, SoapError::EmptyBody), Some(&info));
        let (doc, _) = fault_parts(&out, version);
        let detail = check_fault(
            &doc,
            version,
            FaultCode::Sender.local_name(version),
            "the SOAP Body has no operation element",
        )
        .expect("detail");
        let kids = elements(detail);
        assert_eq!(kids.len(), 1);
        check_exception_info(kids[0], &info);
    }
}

#[test]
fn not_understood_blocks_in_soap12() {
    let refused = vec![
        ("urn:sec".to_owned(), "Security".to_owned()),
        ("".to_owned(), "Bare".to_owned()),
    ];
    let out = write_fault(
        &Fault::new(SoapVersion::V12, SoapError::MustUnderstand(refused.clone())),
        None,
    );
    let (doc, env_ns) = fault_parts(&out, SoapVersion::V12);
    let header = child(doc.root_element(), &env_ns, "Header");
    let blocks: Vec<(String, String)> = elements(header)
        .into_iter()
        .map(|b| {
            assert!(b.has_tag_name((env_ns.as_str(), "NotUnderstood")));
            resolve(b, b.attribute("qname").expect("qname"))
        })
        .collect();
    assert_eq!(blocks, refused);
    check_fault(
        &doc,
        SoapVersion::V12,
        "MustUnderstand",
        &SoapError::MustUnderstand(refused.clone()).to_string(),
    );

    // SOAP 1.1 has no NotUnderstood header.
    let out = write_fault(
        &Fault::new(SoapVersion::V11, SoapError::MustUnderstand(refused)),
        None,
    );
    let (doc, env_ns) = fault_parts(&out, SoapVersion::V11);
    let parts: Vec<&str> = elements(doc.root_element())
        .iter()
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(parts, ["Body"]);
    assert!(doc
        .root_element()
        .children()
        .all(|c| !c.has_tag_name((env_ns.as_str(), "Header"))));
}

#[test]
fn application_faults() {
    let info = sample_info();
    for (server_side, code11, code12) in [(false, "Client", "Sender"), (true, "Server", "Receiver")]
    {
        for (version, code) in [(SoapVersion::V11, code11), (SoapVersion::V12, code12)] {
            let out = write_app_fault(version, &info, server_side);
            let (doc, _) = fault_parts(&out, version);
            let detail = check_fault(&doc, version, code, &info.message).expect("detail");
            check_exception_info(elements(detail)[0], &info);
        }
    }
}

#[test]
fn custom_fault_with_subcode() {
    let out = write_fault_custom(
        SoapVersion::V12,
        FaultCode::Sender,
        Some(("urn:codes", "Locked")),
        "locked out",
        None,
    );
    let (doc, env_ns) = fault_parts(&out, SoapVersion::V12);
    check_fault(&doc, SoapVersion::V12, "Sender", "locked out");
    let fault = child(child(doc.root_element(), &env_ns, "Body"), &env_ns, "Fault");
    let sub = child(
        child(child(fault, &env_ns, "Code"), &env_ns, "Subcode"),
        &env_ns,
        "Value",
    );
    assert_eq!(
        resolve(sub, sub.text().expect("subcode")),
        ("urn:codes".into(), "Locked".into())
    );

    // SOAP 1.1 has no subcodes; the fault is still complete.
    let out = write_fault_custom(
        SoapVersion::V11,
        FaultCode::Receiver,
        Some(("urn:codes", "Locked")),
        "locked out",
        None,
    );
    let (doc, _) = fault_parts(&out, SoapVersion::V11);
    check_fault(&doc, SoapVersion::V11, "Server", "locked out");
    assert!(!text_of(&out).contains("urn:codes"));
}
