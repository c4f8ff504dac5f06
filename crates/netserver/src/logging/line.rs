//! The format of a log line in a file: the same text as the standard full format without
//! colours (`2026-11-27T07:51:57.456313Z  INFO target: message key=value ...`), written
//! with less work per line.
//!
//! Every SOAP call writes a line, so a line must cost little next to the request (the
//! standard formatter, which works out the date for every line and pads every value
//! through its colour-aware machinery, measured about a tenth of one). The date and time
//! to the second are kept per thread and redone only when the second changes, and values
//! are written straight into the line.
//!
//! Control characters in the message and in `%`-formatted values are written escaped, so
//! a value cannot start a line of its own; `?`-formatted strings are quoted and escaped
//! as always.

use std::cell::RefCell;
use std::fmt::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// The line format for a log that is not a terminal.
pub struct PlainLine;

impl<S, N> FormatEvent<S, N> for PlainLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut w: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        write_timestamp(&mut w, SystemTime::now())?;
        let meta = event.metadata();
        w.write_str(level(meta.level()))?;
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                w.write_str(span.name())?;
                let ext = span.extensions();
                if let Some(fields) = ext.get::<FormattedFields<N>>() {
                    if !fields.is_empty() {
                        write!(w, "{{{fields}}}")?;
                    }
                }
                w.write_char(':')?;
            }
            w.write_char(' ')?;
        }
        w.write_str(meta.target())?;
        w.write_str(": ")?;
        let mut fields = Fields {
            w: &mut w,
            first: true,
            result: Ok(()),
        };
        event.record(&mut fields);
        fields.result?;
        w.write_char('\n')
    }
}

fn level(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "TRACE ",
        Level::DEBUG => "DEBUG ",
        Level::INFO => " INFO ",
        Level::WARN => " WARN ",
        Level::ERROR => "ERROR ",
    }
}

thread_local! {
    /// The last second written by this thread and its `YYYY-MM-DDTHH:MM:SS` text.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

/// `2026-11-27T07:51:57.456313Z ` (UTC, microseconds, then a space).
fn write_timestamp(w: &mut impl Write, now: SystemTime) -> fmt::Result {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    SECOND.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs {
            cached.1.clear();
            let whole = i64::try_from(secs).unwrap_or(i64::MAX);
            crate::utc::write(&mut cached.1, whole, 'T')?;
            cached.0 = secs;
        }
        w.write_str(&cached.1)
    })?;
    write!(w, ".{:06}Z ", since.subsec_micros())
}

/// Writes the message, then ` key=value` for each other field.
struct Fields<'a, 'w> {
    w: &'a mut Writer<'w>,
    first: bool,
    result: fmt::Result,
}

impl Fields<'_, '_> {
    fn start(&mut self, field: &Field) -> fmt::Result {
        let name = field.name();
        if name == "message" {
            return Ok(());
        }
        if !std::mem::take(&mut self.first) {
            self.w.write_char(' ')?;
        }
        self.w.write_str(name.strip_prefix("r#").unwrap_or(name))?;
        self.w.write_char('=')
    }

    fn then(&mut self, field: &Field, write: impl FnOnce(&mut Writer<'_>) -> fmt::Result) {
        if self.result.is_ok() && !field.name().starts_with("log.") {
            self.result = self.start(field).and_then(|()| write(self.w));
            if field.name() == "message" {
                self.first = false;
            }
        }
    }
}

impl Visit for Fields<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.then(field, |w| Escaped(w).write_str(value));
        } else {
            self.then(field, |w| quoted(w, value));
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.then(field, |w| write!(w, "{value}"));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.then(field, |w| write!(w, "{value}"));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.then(field, |w| w.write_str(if value { "true" } else { "false" }));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.then(field, |w| write!(Escaped(w), "{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.then(field, |w| write!(Escaped(w), "{value:?}"));
    }
}

/// `value` quoted as `{:?}` quotes it; most values (names, codes) need no escape, so they
/// are copied as they are instead of going through the formatter character by character.
fn quoted(w: &mut impl Write, value: &str) -> fmt::Result {
    let plain = value
        .bytes()
        .all(|b| printable_ascii(b) && b != b'"' && b != b'\\');
    if plain {
        w.write_char('"')?;
        w.write_str(value)?;
        w.write_char('"')
    } else {
        write!(w, "{value:?}")
    }
}

/// A byte that stands for itself in text: printable ASCII, space included.
fn printable_ascii(b: u8) -> bool {
    (0x20..0x7F).contains(&b)
}

/// Passes text on with control characters (newlines, escapes) written as `\n`, `\u{1b}`.
struct Escaped<'a, W: Write>(&'a mut W);

impl<W: Write> Write for Escaped<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.bytes().all(printable_ascii) {
            return self.0.write_str(s); // printable ASCII: nothing to escape
        }
        let mut rest = s;
        while let Some(at) = rest.find(char::is_control) {
            self.0.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(self.0, "{}", c.escape_default())?;
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn stamp(secs: u64, micros: u32) -> String {
        let mut s = String::new();
        let at = UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_micros(micros.into());
        write_timestamp(&mut s, at).unwrap();
        s
    }

    #[test]
    fn timestamps_are_utc_with_microseconds() {
        assert_eq!(stamp(0, 0), "1970-01-01T00:00:00.000000Z ");
        assert_eq!(
            stamp(1_795_768_317, 456_313),
            "2026-11-27T08:31:57.456313Z "
        );
        // Leap day, end of a leap year, and a century that is not a leap year.
        assert_eq!(stamp(951_782_400, 1), "2000-02-29T00:00:00.000001Z ");
        assert_eq!(
            stamp(1_735_689_599, 999_999),
            "2024-12-31T23:59:59.999999Z "
        );
        assert_eq!(stamp(4_107_542_400, 0), "2100-03-01T00:00:00.000000Z ");
        // The cached second is redone when the second changes, in either direction.
        assert_eq!(stamp(59, 0), "1970-01-01T00:00:59.000000Z ");
        assert_eq!(stamp(60, 0), "1970-01-01T00:01:00.000000Z ");
        assert_eq!(stamp(59, 5), "1970-01-01T00:00:59.000005Z ");
    }

    #[test]
    fn strings_are_quoted_as_debug_quotes_them() {
        for value in [
            "User",
            "",
            "a b",
            "q\"uote",
            "back\\slash",
            "new\nline",
            "é",
            "\u{7f}",
        ] {
            let mut s = String::new();
            quoted(&mut s, value).unwrap();
            assert_eq!(s, format!("{value:?}"));
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut s = String::new();
        Escaped(&mut s).write_str("a\nb\u{1b}[31mc é").unwrap();
        assert_eq!(s, "a\\nb\\u{1b}[31mc é");
        let mut s = String::new();
        Escaped(&mut s).write_str("plain ascii 0123 ~!").unwrap();
        Escaped(&mut s).write_str(" \u{7f}\u{85}").unwrap();
        assert_eq!(s, "plain ascii 0123 ~! \\u{7f}\\u{85}");
    }
}
