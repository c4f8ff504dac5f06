//! A tiny indenting XML writer. Every attribute value and text is escaped, so a
//! caller-supplied address can never break the document.

/// Escapes `s` for an XML attribute value or text node (also valid HTML), with the
/// SOAP layer's rules: markup characters, tab/LF/CR as references, and characters
/// XML 1.0 cannot carry replaced by U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    soap::escape_attribute_into(&mut out, s);
    out
}

/// Builds an indented document into a `String`.
pub(crate) struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    /// A writer that has already written the XML declaration.
    pub fn new() -> Writer {
        Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"),
            depth: 0,
        }
    }

    fn start_tag(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&escape(value));
            self.out.push('"');
        }
    }

    /// `<tag a="v">` and one level deeper.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.start_tag(tag, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `<tag a="v" />`.
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.start_tag(tag, attrs);
        self.out.push_str(" />\n");
    }

    /// `</tag>` one level up.
    pub fn close(&mut self, tag: &str) {
        self.depth -= 1;
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    pub fn finish(self) -> String {
        debug_assert_eq!(self.depth, 0, "unbalanced XML writer");
        self.out
    }
}
