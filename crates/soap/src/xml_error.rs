//! Turning `roxmltree` errors into refusals.
//!
//! Kept apart from the reader because it is long and has one job: say what kind of XML
//! error occurred and where, without repeating input. Some of the parser's own messages
//! quote names, entity names or characters from the message, and those could be part of a
//! password.

use crate::{Limits, SoapError};

/// Maps a parser error to a refusal. Only the kind of problem and its position are kept:
/// some parser messages quote names or characters from the input, which could be part of
/// a password.
pub(crate) fn xml_error(e: &roxmltree::Error, limits: &Limits) -> SoapError {
    use roxmltree::Error as E;
    let what = match e {
        E::DtdDetected => return SoapError::DtdForbidden,
        E::NodesLimitReached => {
            return SoapError::TooManyNodes {
                limit: limits.max_nodes,
            }
        }
        E::NoRootNode => return SoapError::Malformed("there is no root element".into()),
        E::UnclosedRootNode | E::UnexpectedEndOfStream => {
            return SoapError::Malformed(
                "the document ends before the root element is closed".into(),
            )
        }
        E::AttributesLimitReached | E::NamespacesLimitReached => {
            return SoapError::Malformed("too many attributes or namespaces".into())
        }
        E::UnexpectedCloseTag(..) | E::UnexpectedEntityCloseTag(_) => {
            "a closing tag does not match the open element"
        }
        E::UnknownNamespace(..) => "a name uses an undeclared namespace prefix",
        E::UnknownEntityReference(..) => "a reference to an undefined entity",
        E::MalformedEntityReference(_) => "a malformed entity or character reference",
        E::EntityReferenceLoop(_) => "entity references nest too deeply",
        E::DuplicatedAttribute(..) => "an attribute appears twice on one element",
        E::DuplicatedNamespace(..) => "a namespace prefix is declared twice on one element",
        E::InvalidAttributeValue(_) => "an attribute value contains '<'",
        E::NonXmlChar(..) => "a character that XML does not allow",
        E::InvalidComment(_) => "a comment contains '--'",
        E::InvalidCharacterData(_) => "text contains ']]>'",
        E::UnexpectedDeclaration(_) => "an XML declaration that is not at the very start",
        E::InvalidName(_) => "an invalid name",
        E::InvalidXmlPrefixUri(_) | E::UnexpectedXmlUri(_) | E::UnexpectedXmlnsUri(_) => {
            "a misuse of the reserved xml or xmlns namespace"
        }
        E::InvalidElementNamePrefix(_) => "an element named with the xmlns prefix",
        _ => "unexpected markup",
    };
    let pos = e.pos();
    SoapError::Malformed(format!("{what} at line {}, column {}", pos.row, pos.col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_dtd_error_maps_even_without_the_scan() {
        // The byte scan refuses DOCTYPE first; this covers the parser's own refusal.
        let e = roxmltree::Document::parse("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>").err();
        let e = e.map(|e| xml_error(&e, &Limits::default()));
        assert_eq!(e, Some(SoapError::DtdForbidden));
    }

    #[test]
    fn parser_messages_do_not_echo_input() {
        let limits = Limits::default();
        for xml in [
            "<a>secret&secretentity;</a>",
            "<a>\u{1}secret</a>",
            "<secretname></othersecret>",
            "<a secretattr='1' secretattr='2'/>",
            "<zz:secret/>",
        ] {
            let e = roxmltree::Document::parse(xml)
                .err()
                .map(|e| xml_error(&e, &limits));
            let Some(SoapError::Malformed(text)) = e else {
                panic!("{xml}: {e:?}");
            };
            assert!(!text.contains("secret"), "{text}");
            assert!(text.contains("line 1, column"), "{text}");
        }
    }
}
