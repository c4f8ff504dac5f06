//! Error codes, messages and fault mapping of `SoapError` and `Fault`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use soap::{Fault, FaultCode, SoapError, SoapVersion};

#[test]
fn codes_are_distinct() {
    let all = [
        SoapError::TooLarge { limit: 1 },
        SoapError::Malformed(String::new()),
        SoapError::DtdForbidden,
        SoapError::TooDeep { limit: 1 },
        SoapError::TooManyNodes { limit: 1 },
        SoapError::NotAnEnvelope,
        SoapError::WrongEnvelopeNamespace(String::new()),
        SoapError::NoBody,
        SoapError::EmptyBody,
        SoapError::MustUnderstand(vec![]),
        SoapError::UnknownOperation {
            namespace: String::new(),
            name: String::new(),
        },
        SoapError::ActionMismatch {
            action: String::new(),
            operation: String::new(),
        },
        SoapError::InvalidValue {
            element: String::new(),
            expected: "xs:int",
        },
        SoapError::UnsupportedMediaType(String::new()),
    ];
    let mut codes: Vec<&str> = all.iter().map(SoapError::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
}

#[test]
fn messages_name_the_problem() {
    let e = SoapError::UnknownOperation {
        namespace: "urn:x".into(),
        name: "Foo".into(),
    };
    assert_eq!(
        e.to_string(),
        "operation 'Foo' in namespace 'urn:x' is not implemented"
    );
    let e = SoapError::InvalidValue {
        element: "AssociateId".into(),
        expected: "xs:int",
    };
    assert_eq!(e.to_string(), "element 'AssociateId' is not a valid xs:int");
    let e = SoapError::MustUnderstand(vec![("urn:h".into(), "X".into())]);
    assert_eq!(
        e.to_string(),
        "header block {urn:h}X has mustUnderstand but is not understood"
    );
    let e = SoapError::MustUnderstand(vec![
        ("urn:h".into(), "X".into()),
        ("urn:i".into(), "Y".into()),
    ]);
    assert_eq!(
        e.to_string(),
        "header blocks {urn:h}X, {urn:i}Y have mustUnderstand but are not understood"
    );
    assert_eq!(
        SoapError::TooLarge { limit: 65536 }.to_string(),
        "the message is larger than the limit of 65536 bytes"
    );
}

#[test]
fn long_echoes_are_clipped() {
    let e = SoapError::WrongEnvelopeNamespace("u".repeat(5000));
    let text = e.to_string();
    assert!(text.len() < 300, "{} bytes", text.len());
    assert!(text.contains("..."));
}

#[test]
fn fault_codes_and_status() {
    assert_eq!(
        SoapError::NotAnEnvelope.fault_code(),
        FaultCode::VersionMismatch
    );
    assert_eq!(
        SoapError::WrongEnvelopeNamespace("x".into()).fault_code(),
        FaultCode::VersionMismatch
    );
    assert_eq!(
        SoapError::MustUnderstand(vec![]).fault_code(),
        FaultCode::MustUnderstand
    );
    assert_eq!(SoapError::EmptyBody.fault_code(), FaultCode::Sender);
    assert_eq!(FaultCode::Sender.local_name(SoapVersion::V11), "Client");
    assert_eq!(FaultCode::Receiver.local_name(SoapVersion::V12), "Receiver");
    let f = Fault::new(SoapVersion::V11, SoapError::TooLarge { limit: 1 });
    assert_eq!(f.http_status(), 413);
    let f = Fault::new(
        SoapVersion::V11,
        SoapError::UnsupportedMediaType("text/plain".into()),
    );
    assert_eq!(f.http_status(), 415);
    assert_eq!(
        Fault::new(SoapVersion::V12, SoapError::NoBody).http_status(),
        500
    );
}
