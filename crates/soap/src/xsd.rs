//! Lexical forms of the XML Schema simple types that requests carry.
//!
//! Schema whitespace handling for `xs:int` and `xs:boolean` is "collapse", so surrounding
//! XML whitespace (space, tab, CR, LF) is ignored; nothing else is forgiven.

/// XML whitespace, which is narrower than Unicode whitespace.
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Parses the lexical form of `xs:int`: optional sign, ASCII digits, within `i32`.
pub(crate) fn parse_xs_int(text: &str) -> Option<i32> {
    let t = text.trim_matches(is_xml_space);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    // `i32::from_str` would already refuse most junk; checking the digits first makes the
    // accepted language explicit (no "+-1", no empty digits) independent of std's parser.
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i32>().ok()
}

/// Parses the lexical form of `xs:boolean`: `true`, `false`, `1` or `0`.
pub(crate) fn parse_xs_boolean(text: &str) -> Option<bool> {
    match text.trim_matches(is_xml_space) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Whether an `xsi:nil` attribute value means nil (it is an `xs:boolean`).
pub(crate) fn is_nil_value(value: &str) -> bool {
    parse_xs_boolean(value) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(parse_xs_int("42"), Some(42));
        assert_eq!(parse_xs_int(" \t\r\n-7\n"), Some(-7));
        assert_eq!(parse_xs_int("+0007"), Some(7));
        assert_eq!(parse_xs_int("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_xs_int("2147483647"), Some(i32::MAX));
        for bad in [
            "",
            " ",
            "abc",
            "1.5",
            "1e3",
            "2147483648",
            "-2147483649",
            "99999999999",
            "+",
            "-",
            "+-1",
            "--1",
            "1 2",
            "0x10",
            "\u{a0}1",
            "\u{0663}",
            "1,000",
        ] {
            assert_eq!(parse_xs_int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_xs_boolean("true"), Some(true));
        assert_eq!(parse_xs_boolean(" 1 "), Some(true));
        assert_eq!(parse_xs_boolean("false"), Some(false));
        assert_eq!(parse_xs_boolean("0"), Some(false));
        for bad in ["", "TRUE", "True", "yes", "2", "t"] {
            assert_eq!(parse_xs_boolean(bad), None, "{bad:?}");
        }
        assert!(
            is_nil_value("true") && is_nil_value("1") && !is_nil_value("0") && !is_nil_value("x")
        );
    }
}
