//! Requests the reader must accept, and the values it must get out of them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use soap::{parse_request_with, Limits, SoapError, SoapVersion, TimeZone};

#[test]
fn documentation_example_parses() {
    let xml = include_bytes!("fixtures/doc-example-setpassword-soap12.xml");
    // Sent as text/xml by someone who copied the example: the envelope still says 1.2.
    let req = parse_with(xml, SoapVersion::V11).expect("parses");
    assert_eq!(req.version, SoapVersion::V12);
    assert_eq!(
        req.headers.application_token.as_deref(),
        Some("1234567-1234-9876")
    );
    assert_eq!(
        req.headers.ticket.as_deref(),
        Some("7T:1234abcxyzExample==")
    );
    assert_eq!(req.operation.name, "SetPassword");
    assert_eq!(req.operation.namespace, S88);
    assert_eq!(req.operation.int("AssociateId"), Ok(Some(0)));
    assert_eq!(req.operation.text("Password"), Some(""));
    let names: Vec<&str> = req
        .operation
        .params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["AssociateId", "Password"]);
}

#[test]
fn references_and_cdata_arrive_intact_in_passwords() {
    let cases = [
        ("a&amp;b<![CDATA[<c>]]>", "a&b<c>"),
        ("&lt;&gt;&quot;&apos;&amp;", "<>\"'&"),
        ("&#x41;&#66;&#x1F600;", "AB\u{1F600}"),
        ("<![CDATA[&amp;]]>", "&amp;"),
        ("  spaced out \t", "  spaced out \t"),
        ("pa<!-- a comment -->ss", "pass"),
        ("ÆØÅ-密码", "ÆØÅ-密码"),
        ("", ""),
    ];
    for (raw, expected) in cases {
        let req = parse(&env11(
            Some(&std_headers("t", "k")),
            &set_password("1", raw),
        ));
        assert_eq!(
            req.operation.text("Password"),
            Some(expected),
            "from {raw:?}"
        );
    }
}

#[test]
fn nil_values_become_none() {
    let body = format!(
        "<SetPassword xmlns=\"{S88}\"><AssociateId xsi:nil=\"true\"/>\
         <Password xsi:nil=\"true\"></Password></SetPassword>"
    );
    let header = format!(
        "<ApplicationToken xmlns=\"{S88}\" xmlns:i=\"{XSI}\" i:nil=\"1\"/>\
         <Credentials xmlns=\"{S88}\"><Ticket xsi:nil=\" true \"/></Credentials>"
    );
    let req = parse(&env12(Some(&header), &body));
    assert_eq!(req.operation.text("Password"), None);
    assert!(req.operation.param("Password").is_some(), "present but nil");
    assert_eq!(req.operation.int("AssociateId"), Ok(None));
    assert_eq!(req.headers.application_token, None);
    assert_eq!(req.headers.ticket, None);

    // nil="false", or a "nil" attribute outside the xsi namespace, is not nil.
    let body = format!(
        "<SetPassword xmlns=\"{S88}\" xmlns:o=\"urn:other\"><Password xsi:nil=\"false\"/>\
         <AssociateId o:nil=\"true\">5</AssociateId></SetPassword>"
    );
    let req = parse(&env11(None, &body));
    assert_eq!(req.operation.text("Password"), Some(""));
    assert_eq!(req.operation.int("AssociateId"), Ok(Some(5)));

    // A nil Credentials element has no ticket, whatever it contains.
    let header =
        format!("<Credentials xmlns=\"{S88}\" xsi:nil=\"true\"><Ticket>x</Ticket></Credentials>");
    assert_eq!(
        parse(&env11(Some(&header), &set_password("1", "p")))
            .headers
            .ticket,
        None
    );
}

#[test]
fn bom_is_skipped() {
    let xml = format!(
        "\u{FEFF}{}",
        env12(Some(&std_headers("t", "k")), &set_password("7", "p"))
    );
    assert!(xml.as_bytes().starts_with(b"\xEF\xBB\xBF"));
    let req = parse(&xml);
    assert_eq!(req.version, SoapVersion::V12);
    assert_eq!(req.operation.int("AssociateId"), Ok(Some(7)));
}

#[test]
fn default_namespaces_everywhere() {
    let xml = format!(
        "<Envelope xmlns=\"{ENV11}\"><Header><ApplicationToken xmlns=\"{S88}\">tok</ApplicationToken>\
         <Credentials xmlns=\"{S88}\"><Ticket>tick</Ticket></Credentials></Header>\
         <Body><SetPassword xmlns=\"{S88}\"><AssociateId>3</AssociateId><Password>pw</Password>\
         </SetPassword></Body></Envelope>"
    );
    let req = parse(&xml);
    assert_eq!(req.version, SoapVersion::V11);
    assert_eq!(req.headers.application_token.as_deref(), Some("tok"));
    assert_eq!(req.headers.ticket.as_deref(), Some("tick"));
    assert_eq!(req.operation.text("Password"), Some("pw"));
}

#[test]
fn matching_is_by_namespace_not_prefix() {
    // `s` and `User` are rebound halfway: the inner elements must follow the bindings.
    let xml = format!(
        "<User:Envelope xmlns:User=\"{ENV12}\" xmlns:s=\"{S88}\"><User:Header>\
         <s:ApplicationToken>tok</s:ApplicationToken></User:Header><User:Body>\
         <s:SetPassword xmlns:User=\"{S88}\"><User:AssociateId>9</User:AssociateId>\
         <s:Password xmlns:s=\"urn:not-services88\">wrong-ns</s:Password>\
         <User:Password>right</User:Password></s:SetPassword></User:Body></User:Envelope>"
    );
    let req = parse(&xml);
    assert_eq!(req.version, SoapVersion::V12);
    assert_eq!(req.headers.application_token.as_deref(), Some("tok"));
    assert_eq!(req.operation.int("AssociateId"), Ok(Some(9)));
    assert_eq!(req.operation.text("Password"), Some("right"));
    assert_eq!(req.operation.params[1].namespace, "urn:not-services88");
}

#[test]
fn elements_outside_services88_are_not_ours() {
    let header = "<ApplicationToken>unqualified</ApplicationToken>\
                  <x:Credentials xmlns:x=\"urn:x\"><x:Ticket>other</x:Ticket></x:Credentials>";
    let body = "<SetPassword><AssociateId>1</AssociateId></SetPassword>";
    let req = parse(&env11(Some(header), body));
    assert_eq!(req.headers.application_token, None);
    assert_eq!(req.headers.ticket, None);
    assert_eq!(req.operation.namespace, "");
    assert_eq!(req.operation.params[0].namespace, "");
    assert_eq!(
        req.operation.text("AssociateId"),
        None,
        "text() only sees Services88"
    );
}

#[test]
fn comments_whitespace_and_pis_are_ignored() {
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!-- lead -->\n<?pi data?>\n<s:Envelope xmlns:s=\"{ENV11}\">\n  \
         <!-- c --> <s:Header> <!-- c -->\n {}\n </s:Header>\n <?pi?>  <s:Body>\n  <!-- c -->\n \
         {} \n </s:Body> <!-- c -->\n</s:Envelope>\n<!-- trail -->\n",
        std_headers("tok", "tick"),
        set_password(" 11 ", "pw")
    );
    let req = parse(&xml);
    assert_eq!(req.headers.ticket.as_deref(), Some("tick"));
    assert_eq!(req.operation.name, "SetPassword");
    assert_eq!(req.operation.int("AssociateId"), Ok(Some(11)));
}

#[test]
fn headers_directly_under_envelope_or_inside_header() {
    // The documentation examples put the headers directly under Envelope, without a
    // Header; a message may also split them between the two places (each once).
    let outside = format!(
        "<s:Envelope xmlns:s=\"{ENV11}\" xmlns:u=\"{S88}\"><u:ApplicationToken>outside</u:ApplicationToken>\
         <u:Credentials><u:Ticket>outside-ticket</u:Ticket></u:Credentials>\
         <s:Body>{}</s:Body></s:Envelope>",
        set_password("1", "p")
    );
    let req = parse(&outside);
    assert_eq!(req.headers.application_token.as_deref(), Some("outside"));
    assert_eq!(req.headers.ticket.as_deref(), Some("outside-ticket"));

    let split = format!(
        "<s:Envelope xmlns:s=\"{ENV12}\" xmlns:u=\"{S88}\">\
         <u:Credentials><u:Ticket>outside-ticket</u:Ticket></u:Credentials>\
         <s:Header><u:ApplicationToken>inside</u:ApplicationToken></s:Header>\
         <s:Body>{}</s:Body></s:Envelope>",
        set_password("1", "p")
    );
    let req = parse(&split);
    assert_eq!(req.headers.application_token.as_deref(), Some("inside"));
    assert_eq!(req.headers.ticket.as_deref(), Some("outside-ticket"));
}

#[test]
fn time_zone_header() {
    let tz = |inner: &str| format!("<TimeZone xmlns=\"{S88}\">{inner}</TimeZone>");
    let req = parse(&env11(
        Some(&tz(
            "<SoTimeZoneId> 42 </SoTimeZoneId><SoTimeZoneLocationCode>NO</SoTimeZoneLocationCode>",
        )),
        &set_password("1", "p"),
    ));
    assert_eq!(
        req.headers.time_zone,
        Some(TimeZone {
            id: Some(42),
            location_code: Some("NO".into())
        })
    );

    let req = parse(&env11(
        Some(&tz("<SoTimeZoneId xsi:nil=\"true\"/>")),
        &set_password("1", "p"),
    ));
    assert_eq!(
        req.headers.time_zone,
        Some(TimeZone {
            id: None,
            location_code: None
        })
    );

    let nil = format!("<TimeZone xmlns=\"{S88}\" xsi:nil=\"true\"/>");
    assert_eq!(
        parse(&env11(Some(&nil), &set_password("1", "p")))
            .headers
            .time_zone,
        None
    );
    assert_eq!(
        parse(&env11(None, &set_password("1", "p")))
            .headers
            .time_zone,
        None
    );
}

#[test]
fn must_understand_on_our_own_headers_is_fine() {
    for (env, value) in [(ENV11, "1"), (ENV11, "true"), (ENV12, "true"), (ENV12, "1")] {
        let xml = format!(
            "<s:Envelope xmlns:s=\"{env}\"><s:Header>\
             <ApplicationToken xmlns=\"{S88}\" s:mustUnderstand=\"{value}\">tok</ApplicationToken>\
             <Credentials xmlns=\"{S88}\" s:mustUnderstand=\"{value}\"><Ticket>t</Ticket></Credentials>\
             <TimeZone xmlns=\"{S88}\" s:mustUnderstand=\"{value}\"><SoTimeZoneId>1</SoTimeZoneId></TimeZone>\
             </s:Header><s:Body>{}</s:Body></s:Envelope>",
            set_password("1", "p")
        );
        assert_eq!(parse(&xml).headers.ticket.as_deref(), Some("t"));
    }
}

#[test]
fn must_understand_that_does_not_apply() {
    let block = |attrs: &str| format!("<x:Security xmlns:x=\"urn:sec\" {attrs}/>");
    let ok11 = [
        "s:mustUnderstand=\"0\"",
        "s:mustUnderstand=\"false\"",
        "mustUnderstand=\"1\"", // not in the envelope namespace
        "s:mustUnderstand=\"1\" s:actor=\"urn:some-intermediary\"",
    ];
    for attrs in ok11 {
        parse(&env11(Some(&block(attrs)), &set_password("1", "p")));
    }
    let ok12 = [
        "s:mustUnderstand=\"false\"",
        "s:mustUnderstand=\"true\" s:role=\"http://www.w3.org/2003/05/soap-envelope/role/none\"",
        "s:mustUnderstand=\"true\" s:role=\"urn:some-intermediary\"",
    ];
    for attrs in ok12 {
        parse(&env12(Some(&block(attrs)), &set_password("1", "p")));
    }
    // A 1.1 mustUnderstand attribute on a 1.2 envelope is not a 1.2 mustUnderstand.
    let xml = format!(
        "<s:Envelope xmlns:s=\"{ENV12}\" xmlns:s11=\"{ENV11}\"><s:Header>\
         <x:Security xmlns:x=\"urn:sec\" s11:mustUnderstand=\"1\"/></s:Header>\
         <s:Body>{}</s:Body></s:Envelope>",
        set_password("1", "p")
    );
    parse(&xml);
}

#[test]
fn caller_can_declare_more_understood_headers() {
    let header = "<x:Security xmlns:x=\"urn:sec\" s:mustUnderstand=\"1\"/>";
    let xml = env11(Some(header), &set_password("1", "p"));
    let req = parse_request_with(
        xml.as_bytes(),
        SoapVersion::V11,
        &Limits::default(),
        &[("urn:sec", "Security")],
    );
    assert!(req.is_ok(), "{req:?}");
    let req = parse_request_with(
        xml.as_bytes(),
        SoapVersion::V11,
        &Limits::default(),
        &[("urn:sec", "Other")],
    );
    let fault = req.expect_err("Security is not understood");
    assert_eq!(
        fault.error,
        SoapError::MustUnderstand(vec![("urn:sec".into(), "Security".into())])
    );
}

#[test]
fn soap11_encoding_style_on_a_12_envelope_is_tolerated() {
    let xml = format!(
        "<s:Envelope xmlns:s=\"{ENV12}\" xmlns:soap=\"{ENV11}\" \
         soap:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>{}</s:Body></s:Envelope>",
        set_password("1", "p")
    );
    assert_eq!(parse(&xml).version, SoapVersion::V12);
}

#[test]
fn operation_and_params_in_document_order() {
    let body = format!(
        "<ChangePassword xmlns=\"{S88}\"><AssociateId>1</AssociateId><OldPassword>a</OldPassword>\
         <NewPassword><![CDATA[b]]></NewPassword><Extra/></ChangePassword>"
    );
    let req = parse(&env12(None, &body));
    assert_eq!(req.operation.name, "ChangePassword");
    let names: Vec<&str> = req
        .operation
        .params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["AssociateId", "OldPassword", "NewPassword", "Extra"]
    );
    assert_eq!(req.operation.text("NewPassword"), Some("b"));
    assert_eq!(req.headers.application_token, None);
}

#[test]
fn invalid_ints_are_refused_on_access() {
    for bad in ["abc", "1.5", "99999999999", "", "-", "4 2", "0x2A"] {
        let req = parse(&env11(None, &set_password(bad, "p")));
        let err = req.operation.int("AssociateId").expect_err(bad);
        assert_eq!(
            err,
            SoapError::InvalidValue {
                element: "AssociateId".into(),
                expected: "xs:int"
            }
        );
        assert_eq!(
            err.to_string(),
            "element 'AssociateId' is not a valid xs:int"
        );
        assert_eq!(err.code(), "invalid_value");
    }
    for (good, value) in [("-2147483648", i32::MIN), ("+17", 17), ("\n 0042 \t", 42)] {
        let req = parse(&env11(None, &set_password(good, "p")));
        assert_eq!(req.operation.int("AssociateId"), Ok(Some(value)));
    }
}
