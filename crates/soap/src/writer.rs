//! An escaping XML writer over one `String`.
//!
//! Element and attribute *names* come from this program and are written as given; every
//! text and attribute *value* goes through [`escape_into`], so caller data cannot change
//! the document's structure.
//!
//! Escaping rules, chosen so that any Rust string survives a round trip through a
//! conforming parser as closely as XML 1.0 allows:
//! - `& < > " '` become entity references, in text and in attribute values alike.
//! - CR becomes `&#xD;` (a parser would otherwise turn CR LF into LF); in attribute values
//!   tab and LF become `&#x9;` / `&#xA;` too, because attribute-value normalisation would
//!   turn them into spaces.
//! - Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF and CR, and
//!   U+FFFE / U+FFFF) are replaced by U+FFFD. Replacing rather than dropping keeps it
//!   visible that something was there, and keeps the output well-formed, which a client
//!   needs to read the answer at all.

use crate::XSI_NS;

/// Where an escaped value is going; attribute values need more escaping than text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
}

/// Appends `value` to `out`, escaped for element text (see the module docs).
pub fn escape_into(out: &mut String, value: &str) {
    escape(out, value, Context::Text);
}

/// Appends `value` to `out`, escaped for an attribute value (tab and LF kept too).
pub fn escape_attribute_into(out: &mut String, value: &str) {
    escape(out, value, Context::Attribute);
}

/// Whether byte `b` may start something [`escape`] replaces: an ASCII control, one of
/// `& < > " '`, or 0xEF, the lead byte of U+FFFE / U+FFFF (and of other characters,
/// which the slow path then passes through).
fn may_need_escape(b: u8) -> bool {
    MAY_NEED_ESCAPE[usize::from(b)]
}

/// [`may_need_escape`] as a table: one load per byte on the scan every value goes through.
static MAY_NEED_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < table.len() {
        table[b] = b < 0x20 || matches!(b as u8, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF);
        b += 1;
    }
    table
};

fn escape(out: &mut String, value: &str, ctx: Context) {
    // Most values (names, numbers, ids, fixed messages) need nothing: one byte scan, one
    // copy. The bytes `may_need_escape` looks for are ASCII or UTF-8 lead bytes, so the
    // split below is on a character boundary.
    let Some(start) = value.bytes().position(may_need_escape) else {
        out.push_str(value);
        return;
    };
    out.push_str(&value[..start]);
    let value = &value[start..];
    let mut clean_from = 0;
    for (i, c) in value.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            '\r' => "&#xD;",
            '\t' if ctx == Context::Attribute => "&#x9;",
            '\n' if ctx == Context::Attribute => "&#xA;",
            '\t' | '\n' => continue,
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => "\u{FFFD}",
            _ => continue,
        };
        // Copy the run of characters that needed nothing, then the replacement.
        out.push_str(&value[clean_from..i]);
        out.push_str(replacement);
        clean_from = i + c.len_utf8();
    }
    out.push_str(&value[clean_from..]);
}

/// An XML document being written. Nothing checks that open and close tags pair up; the
/// writers in this crate are small enough to see that by reading them, and tests parse
/// everything they produce.
#[derive(Debug, Clone, Default)]
pub struct XmlWriter {
    buf: String,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> XmlWriter {
        XmlWriter::default()
    }

    /// An empty writer with room for `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> XmlWriter {
        XmlWriter {
            buf: String::with_capacity(bytes),
        }
    }

    /// Writes `<?xml version="1.0" encoding="utf-8"?>`.
    pub fn declaration(&mut self) {
        self.buf
            .push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    }

    /// Writes `<name>`.
    pub fn open(&mut self, name: &str) {
        self.open_with(name, &[]);
    }

    /// Writes `<name k="v" ...>` with escaped values.
    pub fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.buf.push('>');
    }

    /// Writes `</name>`.
    pub fn close(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    /// Writes escaped text.
    pub fn text(&mut self, text: &str) {
        escape(&mut self.buf, text, Context::Text);
    }

    /// Writes `<name>text</name>`.
    pub fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[], text);
    }

    /// Writes `<name k="v" ...>text</name>`.
    pub fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open_with(name, attrs);
        self.text(text);
        self.close(name);
    }

    /// Writes `<name>true</name>` or `<name>false</name>`.
    pub fn leaf_bool(&mut self, name: &str, value: bool) {
        self.leaf(name, if value { "true" } else { "false" });
    }

    /// Writes `<name>` with an `xs:int` (or any integer) value.
    pub fn leaf_int(&mut self, name: &str, value: i64) {
        self.open(name);
        self.buf.push_str(&value.to_string());
        self.close(name);
    }

    /// Writes `<name k="v" .../>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.buf.push_str("/>");
    }

    /// Writes `<name xsi:nil="true"/>`. The `xsi` prefix must be in scope; the envelopes
    /// written by this crate declare it on the `Envelope` element.
    pub fn nil(&mut self, name: &str) {
        self.nil_with(name, &[]);
    }

    /// Writes `<name k="v" ... xsi:nil="true"/>` (same `xsi` note as [`XmlWriter::nil`]).
    pub fn nil_with(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.buf.push_str(" xsi:nil=\"true\"/>");
    }

    /// Writes `<name xmlns:xsi="...">`: an element declaring the `xsi` prefix.
    pub(crate) fn open_declaring_xsi(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.buf.push_str(" xmlns:xsi=\"");
        self.buf.push_str(XSI_NS);
        self.buf.push_str("\">");
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.buf.push('<');
        self.buf.push_str(name);
        for (key, value) in attrs {
            self.buf.push(' ');
            self.buf.push_str(key);
            self.buf.push_str("=\"");
            escape(&mut self.buf, value, Context::Attribute);
            self.buf.push('"');
        }
    }

    /// What has been written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The document as a `String`.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// The document as UTF-8 bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str, ctx: Context) -> String {
        let mut out = String::new();
        escape(&mut out, s, ctx);
        out
    }

    #[test]
    fn text_escaping() {
        assert_eq!(
            esc("a&b<c>d\"e'f", Context::Text),
            "a&amp;b&lt;c&gt;d&quot;e&apos;f"
        );
        assert_eq!(esc("x\r\ny\tz", Context::Text), "x&#xD;\ny\tz");
        assert_eq!(
            esc("\u{0}a\u{8}b\u{B}\u{1F}\u{FFFE}\u{FFFF}", Context::Text),
            "\u{FFFD}a\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(
            esc("plain ÆØÅ 😀 \u{7F}", Context::Text),
            "plain ÆØÅ 😀 \u{7F}"
        );
        assert_eq!(esc("", Context::Text), "");
        assert_eq!(esc("]]>", Context::Text), "]]&gt;");
    }

    #[test]
    fn the_fast_path_hands_over_at_the_first_byte_that_may_need_escaping() {
        // No byte to look at: copied whole.
        assert_eq!(esc("Ærlig 😀 ok", Context::Text), "Ærlig 😀 ok");
        // Multi-byte characters before the first escape stay whole.
        assert_eq!(esc("Øl & 😀<", Context::Text), "Øl &amp; 😀&lt;");
        // 0xEF leads U+FFFE/U+FFFF but also ordinary characters, which pass through.
        assert_eq!(esc("ａ！\u{FFFF}ｂ", Context::Text), "ａ！\u{FFFD}ｂ");
        assert_eq!(esc("！", Context::Attribute), "！");
    }

    #[test]
    fn attribute_escaping() {
        assert_eq!(
            esc("a\tb\nc\rd\"e", Context::Attribute),
            "a&#x9;b&#xA;c&#xD;d&quot;e"
        );
    }

    #[test]
    fn element_shapes() {
        let mut w = XmlWriter::with_capacity(64);
        w.open_with("a", &[("k", "<\"v\">")]);
        w.leaf("b", "1 & 2");
        w.leaf_bool("c", false);
        w.leaf_int("d", -5);
        w.empty("e", &[]);
        w.nil_with("f", &[("xmlns", "urn:x")]);
        w.close("a");
        assert_eq!(
            w.as_str(),
            "<a k=\"&lt;&quot;v&quot;&gt;\"><b>1 &amp; 2</b><c>false</c><d>-5</d><e/>\
             <f xmlns=\"urn:x\" xsi:nil=\"true\"/></a>"
        );
    }
}
