//! Property tests: whatever string the writer escapes, the envelope reader reads back
//! identically; characters XML 1.0 cannot carry come back as U+FFFD, as documented.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use proptest::prelude::*;
use roxmltree::Document;
use soap::{parse_request, Limits, SoapVersion, XmlWriter, SERVICES88_NS};

/// Whether XML 1.0 can carry `c` at all (its `Char` production).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Pieces that stress the escaping: the five markup characters, CDATA lookalikes,
/// entity and character reference lookalikes, white space a parser might normalise,
/// non-BMP characters, and any XML 1.0 character at all.
fn allowed_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "&", "<", ">", "\"", "'", "]]>", "<![CDATA[", "<![CDATA[x]]>", "&amp;", "&#x41;",
            "&lt;", "\r\n", "\r", "\n", "\t", " ", "<!--", "-->", "<?pi?>", "\u{85}",
            "\u{2028}", "\u{FEFF}", "\u{FFFD}", "\u{7F}",
        ])
        .prop_map(str::to_owned),
        2 => prop::char::range('\u{10000}', '\u{10FFFF}').prop_map(String::from),
        4 => any::<char>().prop_filter("an XML 1.0 character", |c| xml_char(*c)).prop_map(String::from),
        2 => "[a-zA-Z0-9 ]{1,8}",
    ]
}

fn allowed_string() -> impl Strategy<Value = String> {
    prop::collection::vec(allowed_piece(), 0..40).prop_map(|pieces| pieces.concat())
}

/// Any string, including the C0 controls and U+FFFE / U+FFFF XML cannot carry.
fn any_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            allowed_piece(),
            prop::char::range('\u{0}', '\u{1F}').prop_map(String::from),
            prop::sample::select(vec!["\u{FFFE}", "\u{FFFF}"]).prop_map(str::to_owned),
        ],
        0..40,
    )
    .prop_map(|pieces| pieces.concat())
}

/// A SetPassword request written with the crate's writer, `value` as the password's
/// text and as an attribute of it.
fn request_carrying(version: SoapVersion, value: &str) -> String {
    let mut w = XmlWriter::new();
    w.declaration();
    w.open_with("s:Envelope", &[("xmlns:s", version.envelope_ns())]);
    w.open("s:Body");
    w.open_with("SetPassword", &[("xmlns", SERVICES88_NS)]);
    w.leaf("AssociateId", "7");
    w.leaf_with("Password", &[("note", value)], value);
    w.close("SetPassword");
    w.close("s:Body");
    w.close("s:Envelope");
    w.into_string()
}

/// Text and attribute value as read back: the reader's parameter, and the attribute
/// from the same parser the reader uses.
fn read_back(version: SoapVersion, value: &str) -> (String, String) {
    let xml = request_carrying(version, value);
    let request = parse_request(xml.as_bytes(), version, &Limits::default())
        .unwrap_or_else(|f| panic!("refused {f:?}: {xml}"));
    assert_eq!(request.version, version);
    let text = request.operation.text("Password").unwrap_or("").to_owned();
    let doc = Document::parse(&xml).expect("well-formed");
    let password = doc
        .descendants()
        .find(|n| n.has_tag_name((SERVICES88_NS, "Password")))
        .expect("the Password element");
    (text, password.attribute("note").expect("note").to_owned())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_xml_string_reads_back_identically(value in allowed_string()) {
        for version in [SoapVersion::V11, SoapVersion::V12] {
            let (text, attribute) = read_back(version, &value);
            prop_assert_eq!(&text, &value);
            prop_assert_eq!(&attribute, &value);
        }
    }

    #[test]
    fn characters_xml_cannot_carry_read_back_as_replacement(value in any_string()) {
        let expected: String = value
            .chars()
            .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
            .collect();
        for version in [SoapVersion::V11, SoapVersion::V12] {
            let (text, attribute) = read_back(version, &value);
            prop_assert_eq!(&text, &expected);
            prop_assert_eq!(&attribute, &expected);
        }
    }
}
