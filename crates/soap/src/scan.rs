//! Byte-level checks that run before the XML parser sees a message.
//!
//! They exist for two reasons. First, cheap refusals: an oversized body, bytes that are not
//! UTF-8 and a document type declaration are turned away without building a tree. Second,
//! the parser descends recursively once per open element, so a message nested a hundred
//! thousand levels deep could exhaust a worker's stack before any limit in the tree is
//! checked. The scan below measures nesting with a loop and refuses deep messages first.
//!
//! The scan is a conservative lexer, not a validator: it knows just enough markup
//! (comments, CDATA, processing instructions, quoted attribute values) to count nesting
//! the way the parser will. Malformed input is left for the parser to report.

use crate::{Limits, SoapError};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Size check, BOM removal and UTF-8 decoding.
pub(crate) fn decode<'a>(body: &'a [u8], limits: &Limits) -> Result<&'a str, SoapError> {
    if body.len() > limits.max_bytes {
        return Err(SoapError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let body = body.strip_prefix(BOM).unwrap_or(body);
    std::str::from_utf8(body).map_err(|_| SoapError::Malformed("request is not UTF-8".to_owned()))
}

/// Refuses document type declarations and nesting deeper than `max_depth`.
pub(crate) fn check_markup(text: &str, max_depth: u32) -> Result<(), SoapError> {
    scan_markup(text.as_bytes(), max_depth)
}

/// The first start tag (`<…>` or `<…/>`), skipping the prolog. Lets a message refused
/// before parsing still be answered in its envelope's version.
pub(crate) fn first_start_tag(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut i = 0;
    loop {
        let start = i + b.get(i..)?.iter().position(|&c| c == b'<')?;
        let rest = &b[start..];
        i = if rest.starts_with(b"<!--") {
            skip_past(b, start + 4, b"-->")?
        } else if rest.starts_with(b"<?") {
            skip_past(b, start + 2, b"?>")?
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            return None;
        } else {
            let (end, _) = start_tag_end(b, start + 1)?;
            return text.get(start..end);
        };
    }
}

/// Finds `needle` in `hay` at or after `from`; returns the index just past it.
fn skip_past(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| from + p + needle.len())
}

fn scan_markup(b: &[u8], max_depth: u32) -> Result<(), SoapError> {
    let mut depth: u32 = 0;
    let mut i = 0;
    while let Some(off) = b.get(i..).and_then(|rest| memchr::memchr(b'<', rest)) {
        let start = i + off;
        let rest = &b[start..];
        // Each arm yields where scanning resumes; `None` means the markup never ends, which
        // the parser will report as malformed.
        let next = if rest.starts_with(b"<!--") {
            skip_past(b, start + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_past(b, start + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            skip_past(b, start + 2, b"?>")
        } else if rest.starts_with(b"<!DOCTYPE") {
            return Err(SoapError::DtdForbidden);
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            if rest.starts_with(b"</") {
                depth = depth.saturating_sub(1);
            }
            skip_past(b, start + 1, b">")
        } else {
            let (end, self_closing) = match start_tag_end(b, start + 1) {
                Some(found) => found,
                None => return Ok(()),
            };
            if !self_closing {
                depth += 1;
                if depth > max_depth {
                    return Err(SoapError::TooDeep { limit: max_depth });
                }
            }
            Some(end)
        };
        match next {
            Some(n) => i = n,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Scans a start tag from just after its `<`; returns the index past its `>` and whether
/// it ended with `/>`. Quoted attribute values may contain `>` and `/`. Jumps from one
/// quote or `>` to the next rather than looking at every byte.
fn start_tag_end(b: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut i = from;
    loop {
        let at = i + memchr::memchr3(b'"', b'\'', b'>', b.get(i..)?)?;
        match b[at] {
            b'>' => return Some((at + 1, at > from && b[at - 1] == b'/')),
            quote => i = at + 1 + memchr::memchr(quote, b.get(at + 1..)?)? + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(xml: &str, max: u32) -> Result<(), SoapError> {
        scan_markup(xml.as_bytes(), max)
    }

    #[test]
    fn counts_only_real_nesting() {
        let xml = "<?xml version=\"1.0\"?><!-- <x><x><x> --><a b=\"<>\" c='/>'><b/><b></b>\
                   <![CDATA[<x><x><x>]]><?pi <x><x>?><c><d/></c></a>";
        assert_eq!(depth_ok(xml, 2), Ok(()));
        assert_eq!(depth_ok(xml, 1), Err(SoapError::TooDeep { limit: 1 }));
    }

    #[test]
    fn siblings_do_not_add_up() {
        let xml = format!("<a>{}</a>", "<b><c/></b>".repeat(1000));
        assert_eq!(depth_ok(&xml, 2), Ok(()));
    }

    #[test]
    fn deep_and_unclosed() {
        let xml = "<a>".repeat(100_000);
        assert_eq!(depth_ok(&xml, 32), Err(SoapError::TooDeep { limit: 32 }));
        assert_eq!(
            depth_ok("<a><b", 1),
            Ok(()),
            "left for the parser to refuse"
        );
        assert_eq!(depth_ok("<a><!-- never closed", 1), Ok(()));
    }

    #[test]
    fn doctype_anywhere_outside_comments() {
        assert_eq!(
            depth_ok("<!DOCTYPE a><a/>", 32),
            Err(SoapError::DtdForbidden)
        );
        assert_eq!(
            depth_ok("<a><!DOCTYPE a></a>", 32),
            Err(SoapError::DtdForbidden)
        );
        assert_eq!(
            depth_ok("<a><!-- <!DOCTYPE a> --><![CDATA[<!DOCTYPE]]></a>", 32),
            Ok(())
        );
    }

    #[test]
    fn decode_checks_in_order() {
        let limits = Limits {
            max_bytes: 8,
            ..Limits::default()
        };
        assert_eq!(
            decode(b"<a></a>  x", &limits),
            Err(SoapError::TooLarge { limit: 8 })
        );
        let limits = Limits::default();
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>", &limits), Ok("<a/>"));
        assert_eq!(
            decode(b"<a>\xFF</a>", &limits),
            Err(SoapError::Malformed("request is not UTF-8".into()))
        );
    }

    #[test]
    fn first_start_tag_skips_the_prolog() {
        let xml = "<?xml version='1.0'?><!-- <no> --><?pi?>\n<s:E a=\"/>\" b='x'><c/></s:E>";
        assert_eq!(first_start_tag(xml), Some("<s:E a=\"/>\" b='x'>"));
        assert_eq!(first_start_tag("<e/>"), Some("<e/>"));
        assert_eq!(first_start_tag("<!DOCTYPE e><e/>"), None);
        assert_eq!(first_start_tag("<e"), None);
        assert_eq!(first_start_tag("text"), None);
        assert_eq!(first_start_tag("<e a='>"), None, "an unclosed quote");
        assert_eq!(first_start_tag("</>"), None);
        assert_eq!(first_start_tag("<e a=\"x'/>\"/>"), Some("<e a=\"x'/>\"/>"));
    }
}
