//! One meaning per message: every envelope shape two readers could take apart differently
//! is refused, in both SOAP versions, with a fault of the envelope's version whose reason
//! names the problem; the shapes that stay unambiguous (whitespace, comments, processing
//! instructions between elements, unknown extra parameters) are still read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use soap::{FaultCode, SoapError, SoapVersion};

/// An envelope of namespace `ns` holding `inner` as is; `u` is the Services88 prefix.
fn raw(ns: &str, inner: &str) -> String {
    format!("<s:Envelope xmlns:s=\"{ns}\" xmlns:u=\"{S88}\">{inner}</s:Envelope>")
}

fn body(op: &str) -> String {
    format!("<s:Body>{op}</s:Body>")
}

fn ticket(value: &str) -> String {
    format!("<u:Credentials><u:Ticket>{value}</u:Ticket></u:Credentials>")
}

fn sp() -> String {
    set_password("1", "new-secret-pw")
}

const BOTH: [(&str, SoapVersion); 2] = [(ENV11, SoapVersion::V11), (ENV12, SoapVersion::V12)];

/// Refuses `inner` in both versions (hinted as the other one) with `expected` and `text`.
#[track_caller]
fn refused_in_both(inner: &str, expected: &SoapError, text: &str) {
    for (ns, version) in BOTH {
        let other = match version {
            SoapVersion::V11 => SoapVersion::V12,
            SoapVersion::V12 => SoapVersion::V11,
        };
        let xml = raw(ns, inner);
        let fault = refuse(xml.as_bytes(), other);
        assert_eq!(&fault.error, expected, "{xml}");
        assert_eq!(fault.version, version, "the envelope's version speaks");
        assert_eq!(fault.error.to_string(), text);
        assert_eq!(fault.error.fault_code(), FaultCode::Sender);
        assert_eq!(fault.http_status(), 500);
    }
}

#[test]
fn two_headers() {
    let inner = format!(
        "<s:Header>{}</s:Header><s:Header/>{}",
        ticket("a"),
        body(&sp())
    );
    refused_in_both(
        &inner,
        &SoapError::TwoHeaders,
        "the envelope has two Header elements; at most one is allowed",
    );
    assert_eq!(SoapError::TwoHeaders.code(), "two_headers");
}

#[test]
fn header_after_body() {
    let text = "the Header comes after the Body; it must come before it";
    let alone = format!("{}<s:Header>{}</s:Header>", body(&sp()), ticket("a"));
    refused_in_both(&alone, &SoapError::HeaderAfterBody, text);
    let second = format!(
        "<s:Header/>{}<s:Header>{}</s:Header>",
        body(&sp()),
        ticket("a")
    );
    refused_in_both(&second, &SoapError::HeaderAfterBody, text);
    assert_eq!(SoapError::HeaderAfterBody.code(), "header_after_body");
}

#[test]
fn two_bodies() {
    let text = "the envelope has two Body elements; exactly one is allowed";
    let other = set_password("2", "other-secret-pw");
    let adjacent = format!("<s:Header/>{}{}", body(&sp()), body(&other));
    refused_in_both(&adjacent, &SoapError::TwoBodies, text);
    let apart = format!("{} <!-- between --> <?pi?>\n{}", body(&sp()), body(&other));
    refused_in_both(&apart, &SoapError::TwoBodies, text);
    let empty_first = format!("<s:Body/>{}", body(&sp()));
    refused_in_both(&empty_first, &SoapError::TwoBodies, text);
    assert_eq!(SoapError::TwoBodies.code(), "two_bodies");
}

#[test]
fn element_after_body() {
    // Our own header placed after the Body, and an element of no namespace.
    let header = format!("{}{}", body(&sp()), ticket("late"));
    refused_in_both(
        &header,
        &SoapError::ElementAfterBody {
            namespace: S88.into(),
            name: "Credentials".into(),
        },
        &format!("element {{{S88}}}Credentials follows the Body; nothing may come after it"),
    );
    let plain = format!("{}<Trailer/>", body(&sp()));
    refused_in_both(
        &plain,
        &SoapError::ElementAfterBody {
            namespace: "".into(),
            name: "Trailer".into(),
        },
        "element {}Trailer follows the Body; nothing may come after it",
    );
    let error = SoapError::ElementAfterBody {
        namespace: "".into(),
        name: "x".into(),
    };
    assert_eq!(error.code(), "element_after_body");
}

#[test]
fn two_operations_in_the_body() {
    let two = body(&format!("{}{}", sp(), set_password("2", "other-secret-pw")));
    refused_in_both(
        &two,
        &SoapError::TwoOperations {
            first: "SetPassword".into(),
            second: "SetPassword".into(),
        },
        "the Body holds two elements ('SetPassword', then 'SetPassword'); it must hold exactly one operation",
    );
    // Any second element counts, whatever its namespace, also after comments.
    let trailing = body(&format!("{} <!-- c --> <x:Note xmlns:x=\"urn:x\"/>", sp()));
    refused_in_both(
        &trailing,
        &SoapError::TwoOperations {
            first: "SetPassword".into(),
            second: "Note".into(),
        },
        "the Body holds two elements ('SetPassword', then 'Note'); it must hold exactly one operation",
    );
    let error = SoapError::TwoOperations {
        first: "a".into(),
        second: "b".into(),
    };
    assert_eq!(error.code(), "two_operations");
}

#[test]
fn each_header_at_most_once_in_both_places_together() {
    let blocks = [
        (
            "ApplicationToken",
            "<u:ApplicationToken>t</u:ApplicationToken>".to_owned(),
        ),
        ("Credentials", ticket("k")),
        (
            "TimeZone",
            "<u:TimeZone><u:SoTimeZoneId>1</u:SoTimeZoneId></u:TimeZone>".to_owned(),
        ),
    ];
    for (name, block) in &blocks {
        // The copy elsewhere uses another prefix: matching is by namespace, not prefix.
        let other = block.replace("u:", "o:").replacen(
            &format!("<o:{name}>"),
            &format!("<o:{name} xmlns:o=\"{S88}\">"),
            1,
        );
        let b = body(&sp());
        let placements = [
            format!("<s:Header>{block}{other}</s:Header>{b}"),
            format!("<s:Header>{block}<!-- c -->\n{other}</s:Header>{b}"),
            format!("{block}{other}{b}"),
            format!("{block}<s:Header>{other}</s:Header>{b}"),
            format!("<s:Header>{block}</s:Header>{other}{b}"),
        ];
        for inner in &placements {
            refused_in_both(
                inner,
                &SoapError::DuplicateHeader(name),
                &format!("{name} header appears twice"),
            );
        }
    }
    assert_eq!(
        SoapError::DuplicateHeader("Credentials").code(),
        "duplicate_header"
    );
}

#[test]
fn header_fields_at_most_once() {
    let cases = [
        (
            "Credentials",
            "Ticket",
            "<u:Credentials><u:Ticket>a</u:Ticket><u:Ticket>b</u:Ticket></u:Credentials>",
        ),
        (
            "TimeZone",
            "SoTimeZoneId",
            "<u:TimeZone><u:SoTimeZoneId>1</u:SoTimeZoneId><u:SoTimeZoneId>2</u:SoTimeZoneId></u:TimeZone>",
        ),
        (
            "TimeZone",
            "SoTimeZoneLocationCode",
            "<u:TimeZone><u:SoTimeZoneLocationCode>a</u:SoTimeZoneLocationCode>\
             <u:SoTimeZoneLocationCode>b</u:SoTimeZoneLocationCode></u:TimeZone>",
        ),
    ];
    for (header, field, block) in cases {
        let expected = SoapError::DuplicateHeaderField { header, field };
        let text = format!("{field} appears twice in the {header} header");
        let inside = format!("<s:Header>{block}</s:Header>{}", body(&sp()));
        refused_in_both(&inside, &expected, &text);
        let outside = format!("{block}{}", body(&sp()));
        refused_in_both(&outside, &expected, &text);
        // A nil header is still one message: its copies are refused too.
        let nil = block.replacen(
            &format!("<u:{header}>"),
            &format!("<u:{header} xsi:nil=\"true\" xmlns:xsi=\"{XSI}\">"),
            1,
        );
        assert_ne!(nil, block);
        refused_in_both(&format!("{nil}{}", body(&sp())), &expected, &text);
        assert_eq!(expected.code(), "duplicate_header_field");
    }
}

#[test]
fn refusals_never_repeat_the_tickets() {
    let inner = format!(
        "<s:Header>{}{}</s:Header>{}",
        ticket("7T:first-secret-ticket"),
        ticket("7T:second-secret-ticket"),
        body(&sp())
    );
    let fault = refuse(raw(ENV11, &inner).as_bytes(), SoapVersion::V11);
    let text = format!("{} {:?}", fault.error, fault);
    for secret in ["first-secret", "second-secret", "new-secret-pw"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn parameters_declared_by_the_operation_at_most_once() {
    let twice = set_password("1", "a").replace(
        "</SetPassword>",
        "<Password>second-secret</Password></SetPassword>",
    );
    for (ns, _) in BOTH {
        let req = parse(&raw(ns, &body(&twice)));
        let error = req
            .operation
            .check_params_once(["AssociateId", "Password"])
            .expect_err("two Passwords");
        assert_eq!(
            error,
            SoapError::DuplicateParameter {
                operation: "SetPassword".into(),
                name: "Password".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "parameter Password appears twice in SetPassword"
        );
        assert_eq!(error.code(), "duplicate_parameter");
        assert!(!format!("{error:?}").contains("second-secret"));
    }
    // The same parameter twice by two prefixes of one namespace is still twice.
    let prefixed = format!(
        "<p:SetPassword xmlns:p=\"{S88}\" xmlns:q=\"{S88}\"><p:AssociateId>1</p:AssociateId>\
         <q:AssociateId>2</q:AssociateId></p:SetPassword>"
    );
    let req = parse(&raw(ENV12, &body(&prefixed)));
    assert_eq!(
        req.operation.check_params_once(["AssociateId", "Password"]),
        Err(SoapError::DuplicateParameter {
            operation: "SetPassword".into(),
            name: "AssociateId".into()
        })
    );
}

#[test]
fn unknown_extra_parameters_stay_tolerated() {
    // Extras (even repeated), and a declared name in another namespace, are not ours.
    let op = format!(
        "<SetPassword xmlns=\"{S88}\"><AssociateId>1</AssociateId><Password>pw</Password>\
         <Extra>1</Extra><Extra>2</Extra><Password xmlns=\"urn:other\">x</Password>\
         <Password xmlns=\"\">y</Password></SetPassword>"
    );
    for (ns, _) in BOTH {
        let req = parse(&raw(ns, &body(&op)));
        assert_eq!(
            req.operation.check_params_once(["AssociateId", "Password"]),
            Ok(())
        );
        assert_eq!(req.operation.text("Password"), Some("pw"));
    }
}

#[test]
fn whitespace_comments_and_pis_between_elements_stay_fine() {
    let inner = format!(
        "\n <!-- a --> <?pi one?>\n<s:Header> <!-- b --> <u:ApplicationToken>tok</u:ApplicationToken>\
         <?pi two?>\n{} </s:Header>\n<!-- c --> <?pi three?> \
         <s:Body> <!-- d --> <?pi four?>\n{} <!-- e --> <?pi five?>\n</s:Body>\n <!-- f --> <?pi six?>\n",
        ticket("tick"),
        set_password("7", "pw")
    );
    for (ns, version) in BOTH {
        let req = parse(&raw(ns, &inner));
        assert_eq!(req.version, version);
        assert_eq!(req.headers.application_token.as_deref(), Some("tok"));
        assert_eq!(req.headers.ticket.as_deref(), Some("tick"));
        assert_eq!(req.operation.int("AssociateId"), Ok(Some(7)));
    }
}

#[test]
fn other_elements_before_the_body_and_foreign_headers_stay_fine() {
    // Same local names in another namespace are not our headers, so not duplicates;
    // an unknown element before the Body is tolerated as before.
    let inner = format!(
        "<x:Credentials xmlns:x=\"urn:x\"><x:Ticket>other</x:Ticket></x:Credentials>\
         <s:Header><x:Credentials xmlns:x=\"urn:y\"/>{}</s:Header><x:Note xmlns:x=\"urn:x\"/>{}",
        ticket("mine"),
        body(&sp())
    );
    for (ns, _) in BOTH {
        let req = parse(&raw(ns, &inner));
        assert_eq!(req.headers.ticket.as_deref(), Some("mine"));
    }
}
