//! Every way the reader refuses a message, with the version the fault must be written in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use soap::{parse_request, FaultCode, Limits, SoapError, SoapVersion};

fn ok_envelope() -> String {
    env11(Some(&std_headers("tok", "tick")), &set_password("1", "pw"))
}

#[test]
fn malformed_xml() {
    let cases = [
        format!("<s:Envelope xmlns:s=\"{ENV11}\"><s:Body></s:Envelope>"),
        format!("<s:Envelope xmlns:s=\"{ENV11}\"><s:Body/>"),
        format!("<s:Envelope xmlns:s=\"{ENV11}\"><q:Body/></s:Envelope>"),
        format!(
            "<s:Envelope xmlns:s=\"{ENV11}\"><s:Body>{}</s:Body></s:Envelope>",
            set_password("1", "a&b")
        ),
        format!(
            "<s:Envelope xmlns:s=\"{ENV11}\"><s:Body>{}</s:Body></s:Envelope>",
            set_password("1", "&xxe;")
        ),
        format!("<s:Envelope xmlns:s=\"{ENV11}\" a='1' a='2'><s:Body/></s:Envelope>"),
        "".to_owned(),
        "just text".to_owned(),
        "<a/><b/>".to_owned(),
    ];
    for xml in &cases {
        for hint in [SoapVersion::V11, SoapVersion::V12] {
            let fault = refuse(xml.as_bytes(), hint);
            assert!(
                matches!(fault.error, SoapError::Malformed(_)),
                "{xml}: {:?}",
                fault.error
            );
            assert_eq!(
                fault.version, hint,
                "the hint speaks when the envelope cannot be read"
            );
            assert_eq!(fault.error.code(), "malformed_xml");
            assert_eq!(fault.error.fault_code(), FaultCode::Sender);
            assert_eq!(fault.http_status(), 500);
            assert!(fault
                .error
                .to_string()
                .starts_with("the request is not well-formed XML: "));
        }
    }
    let fault = refuse(cases[0].as_bytes(), SoapVersion::V11);
    assert!(
        fault.error.to_string().contains("line 1, column"),
        "{}",
        fault.error
    );
}

#[test]
fn malformed_messages_do_not_repeat_the_secret() {
    let xml = env11(None, &set_password("1", "hunter2&hunter2secret;"));
    let fault = refuse(xml.as_bytes(), SoapVersion::V11);
    assert!(matches!(fault.error, SoapError::Malformed(_)));
    let text = format!("{} {:?}", fault.error, fault);
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn not_utf8() {
    // "pæss" in Latin-1.
    let mut xml = env11(None, &set_password("1", "p#ss")).into_bytes();
    let at = xml.iter().position(|&b| b == b'#').expect("marker");
    xml[at] = 0xE6;
    let fault = refuse(&xml, SoapVersion::V12);
    assert_eq!(
        fault.error,
        SoapError::Malformed("request is not UTF-8".into())
    );
    assert_eq!(fault.version, SoapVersion::V12);

    // UTF-16 with its BOM is not accepted either.
    let utf16: Vec<u8> = std::iter::once(0xFEFFu16)
        .chain(ok_envelope().encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        refuse(&utf16, SoapVersion::V11).error,
        SoapError::Malformed("request is not UTF-8".into())
    );
}

#[test]
fn document_type_declarations() {
    let tail = ok_envelope().replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "");
    let laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">\
                  <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\
                  <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\
                  <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>";
    let heads = [
        "<!DOCTYPE Envelope>".to_owned(),
        "<?xml version=\"1.0\"?><!-- first --><!DOCTYPE x [<!ENTITY a \"b\">]>".to_owned(),
        "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">".to_owned(),
        "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>".to_owned(),
        laughs.to_owned(),
    ];
    for head in &heads {
        let xml = format!("{head}{tail}");
        let password_uses_entity = xml.replace(">pw<", ">&lol4;<");
        for doc in [xml, password_uses_entity] {
            let fault = refuse(doc.as_bytes(), SoapVersion::V12);
            assert_eq!(fault.error, SoapError::DtdForbidden, "{doc}");
            assert_eq!(fault.error.code(), "dtd_forbidden");
            assert_eq!(
                fault.error.to_string(),
                "a document type declaration is not allowed"
            );
        }
    }
}

#[test]
fn too_large() {
    let limits = Limits::default();
    let base = ok_envelope();
    let pad = |n: usize| format!("{base}{}", " ".repeat(n - base.len()));
    let at_limit = pad(limits.max_bytes);
    assert_eq!(at_limit.len(), 65536);
    assert!(parse_request(at_limit.as_bytes(), SoapVersion::V11, &limits).is_ok());

    let over = pad(limits.max_bytes + 1);
    let fault = parse_request(over.as_bytes(), SoapVersion::V12, &limits).expect_err("too large");
    assert_eq!(fault.error, SoapError::TooLarge { limit: 65536 });
    assert_eq!(fault.http_status(), 413);
    assert_eq!(fault.version, SoapVersion::V12);
    assert_eq!(
        fault.error.to_string(),
        "the message is larger than the limit of 65536 bytes"
    );

    // Size is checked before anything else, so even garbage is "too large".
    let small = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let fault =
        parse_request(b"\xFF\xFE not even utf-8", SoapVersion::V11, &small).expect_err("too large");
    assert_eq!(fault.error, SoapError::TooLarge { limit: 10 });
}

/// A SetPassword whose Password holds `extra` nested elements: the Password element is at
/// depth 4 (Envelope, Body, SetPassword, Password).
fn nested(extra: usize) -> String {
    let inner = format!("{}x{}", "<n>".repeat(extra), "</n>".repeat(extra));
    env12(None, &set_password("1", &inner))
}

#[test]
fn too_deep() {
    let limits = Limits::default();
    let ok =
        parse_request(nested(28).as_bytes(), SoapVersion::V11, &limits).expect("depth 32 is fine");
    assert_eq!(ok.operation.text("Password"), Some("x"));

    let fault =
        parse_request(nested(29).as_bytes(), SoapVersion::V11, &limits).expect_err("depth 33");
    assert_eq!(fault.error, SoapError::TooDeep { limit: 32 });
    assert_eq!(
        fault.version,
        SoapVersion::V12,
        "the envelope's version, not the hint"
    );
    assert_eq!(fault.error.code(), "too_deep");
}

#[test]
fn very_deep_input_cannot_exhaust_the_stack() {
    // Generous byte and node limits, so only the depth limit stands between this message and
    // a parser recursing a quarter of a million times, on a deliberately small stack.
    let xml = format!(
        "<s:Envelope xmlns:s=\"{ENV11}\"><s:Body>{}",
        "<a>".repeat(250_000)
    );
    let limits = Limits {
        max_bytes: usize::MAX,
        max_depth: 32,
        max_nodes: u32::MAX,
    };
    let outcome = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(move || parse_request(xml.as_bytes(), SoapVersion::V11, &limits).map(|_| ()))
        .expect("spawn")
        .join()
        .expect("no stack overflow");
    assert_eq!(
        outcome.expect_err("too deep").error,
        SoapError::TooDeep { limit: 32 }
    );
}

#[test]
fn too_many_nodes() {
    let params = "<Extra>1</Extra>".repeat(3000);
    let xml = env11(
        None,
        &format!("<SetPassword xmlns=\"{S88}\">{params}</SetPassword>"),
    );
    let fault = refuse(xml.as_bytes(), SoapVersion::V11);
    assert_eq!(fault.error, SoapError::TooManyNodes { limit: 4096 });
    assert_eq!(fault.error.code(), "too_many_nodes");

    let tight = Limits {
        max_nodes: 10,
        ..Limits::default()
    };
    let fault =
        parse_request(ok_envelope().as_bytes(), SoapVersion::V11, &tight).expect_err("nodes");
    assert_eq!(fault.error, SoapError::TooManyNodes { limit: 10 });
    let roomy = Limits {
        max_nodes: 64,
        ..Limits::default()
    };
    assert!(parse_request(ok_envelope().as_bytes(), SoapVersion::V11, &roomy).is_ok());
}

#[test]
fn no_body() {
    let xml = format!(
        "<s:Envelope xmlns:s=\"{ENV11}\"><s:Header>{}</s:Header></s:Envelope>",
        std_headers("t", "k")
    );
    let fault = refuse(xml.as_bytes(), SoapVersion::V12);
    assert_eq!(fault.error, SoapError::NoBody);
    assert_eq!(fault.version, SoapVersion::V11);
    assert_eq!(fault.error.to_string(), "the SOAP Envelope has no Body");

    // A Body in the other version's namespace is not this envelope's Body.
    let xml = format!(
        "<s:Envelope xmlns:s=\"{ENV12}\" xmlns:o=\"{ENV11}\"><o:Body>{}</o:Body></s:Envelope>",
        set_password("1", "p")
    );
    assert_eq!(
        refuse(xml.as_bytes(), SoapVersion::V12).error,
        SoapError::NoBody
    );
}

#[test]
fn empty_body() {
    for body in [
        "",
        "  \n ",
        "<!-- nothing -->",
        "just text",
        "<?pi?>",
        "<![CDATA[<x/>]]>",
    ] {
        let fault = refuse(env12(None, body).as_bytes(), SoapVersion::V11);
        assert_eq!(fault.error, SoapError::EmptyBody, "{body:?}");
        assert_eq!(fault.version, SoapVersion::V12);
        assert_eq!(
            fault.error.to_string(),
            "the SOAP Body has no operation element"
        );
    }
}

#[test]
fn wrong_envelope_namespace() {
    for (ns, decl) in [("urn:not-soap", " xmlns=\"urn:not-soap\""), ("", "")] {
        let xml = format!(
            "<Envelope{decl}><Body>{}</Body></Envelope>",
            set_password("1", "p")
        );
        let fault = refuse(xml.as_bytes(), SoapVersion::V12);
        assert_eq!(fault.error, SoapError::WrongEnvelopeNamespace(ns.into()));
        assert_eq!(fault.error.fault_code(), FaultCode::VersionMismatch);
        assert_eq!(fault.version, SoapVersion::V12);
    }
    let fault = refuse(
        b"<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope\"/>",
        SoapVersion::V11,
    );
    assert_eq!(
        fault.error.to_string(),
        "the envelope namespace 'http://schemas.xmlsoap.org/soap/envelope' is not SOAP 1.1 or 1.2"
    );
}

#[test]
fn not_an_envelope() {
    let cases = [
        format!(
            "<s:Body xmlns:s=\"{ENV11}\">{}</s:Body>",
            set_password("1", "p")
        ),
        "<html><body>hello</body></html>".to_owned(),
        set_password("1", "p"),
    ];
    for xml in &cases {
        let fault = refuse(xml.as_bytes(), SoapVersion::V11);
        assert_eq!(fault.error, SoapError::NotAnEnvelope, "{xml}");
        assert_eq!(fault.error.fault_code(), FaultCode::VersionMismatch);
        assert_eq!(fault.version, SoapVersion::V11);
    }
}

#[test]
fn must_understand_unknown_headers() {
    let header = format!(
        "{}<x:Security xmlns:x=\"urn:sec\" s:mustUnderstand=\"1\"/>\
         <x:Trace xmlns:x=\"urn:trace\"/>\
         <Session s:mustUnderstand=\"true\"/>\
         <o:Other xmlns:o=\"{S88}\" s:mustUnderstand=\"true\"/>",
        std_headers("t", "k")
    );
    for xml in [
        env11(Some(&header), &set_password("1", "p")),
        env12(Some(&header), &set_password("1", "p")),
    ] {
        let fault = refuse(xml.as_bytes(), SoapVersion::V11);
        assert_eq!(
            fault.error,
            SoapError::MustUnderstand(vec![
                ("urn:sec".into(), "Security".into()),
                ("".into(), "Session".into()),
                (S88.into(), "Other".into()),
            ])
        );
        assert_eq!(fault.error.fault_code(), FaultCode::MustUnderstand);
        assert_eq!(fault.error.code(), "must_understand");
    }
    let one = env11(
        Some("<x:Security xmlns:x=\"urn:sec\" s:mustUnderstand=\"1\"/>"),
        &set_password("1", "p"),
    );
    assert_eq!(
        refuse(one.as_bytes(), SoapVersion::V11).error.to_string(),
        "header block {urn:sec}Security has mustUnderstand but is not understood"
    );
}

#[test]
fn invalid_time_zone_id() {
    for bad in ["abc", "1.5", "99999999999", ""] {
        let header =
            format!("<TimeZone xmlns=\"{S88}\"><SoTimeZoneId>{bad}</SoTimeZoneId></TimeZone>");
        let fault = refuse(
            env12(Some(&header), &set_password("1", "p")).as_bytes(),
            SoapVersion::V11,
        );
        assert_eq!(
            fault.error,
            SoapError::InvalidValue {
                element: "SoTimeZoneId".into(),
                expected: "xs:int"
            }
        );
        assert_eq!(fault.version, SoapVersion::V12);
    }
}
