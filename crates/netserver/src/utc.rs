//! UTC times as netserver shows them (`2024-05-01 12:00:00` in tables,
//! `2024-05-01T12:00:00Z` in JSON and the log) and as `--since` reads them (RFC 3339),
//! on the `time` crate's calendar.

use std::fmt::{self, Write};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Writes `YYYY-MM-DD`, `sep`, `HH:MM:SS`: the UTC time `secs` seconds after the Unix
/// epoch (before it if negative). A time outside the years -9999 to 9999, which no
/// clock or store gives, is written as `@` and its seconds.
pub(crate) fn write(out: &mut impl Write, secs: i64, sep: char) -> fmt::Result {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(secs) else {
        return write!(out, "@{secs}");
    };
    write!(
        out,
        "{:04}-{:02}-{:02}{sep}{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DD HH:MM:SS`, for tables.
pub(crate) fn table(secs: i64) -> String {
    let mut out = String::with_capacity(19);
    let _ = write(&mut out, secs, ' ');
    out
}

/// `YYYY-MM-DDTHH:MM:SSZ`, RFC 3339 in UTC.
pub(crate) fn rfc3339(secs: i64) -> String {
    let mut out = String::with_capacity(20);
    let _ = write(&mut out, secs, 'T');
    out.push('Z');
    out
}

/// Seconds since the Unix epoch of an RFC 3339 date-time (`2024-05-01T12:00:00Z`,
/// `2024-05-01T14:00:00+02:00`, a space or `t` for the `T`, a lower-case `z`); a
/// fraction of a second is dropped.
pub(crate) fn parse_rfc3339(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_utc() {
        assert_eq!(table(0), "1970-01-01 00:00:00");
        assert_eq!(table(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(table(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(table(-1), "1969-12-31 23:59:59");
        assert_eq!(rfc3339(1_735_689_599), "2024-12-31T23:59:59Z");
        assert_eq!(table(i64::MAX), format!("@{}", i64::MAX));
    }

    #[test]
    fn printed_times_read_back() {
        for secs in [0, 59, 951_782_400, 1_735_689_599, 4_107_542_400, -86_400] {
            assert_eq!(parse_rfc3339(&rfc3339(secs)), Some(secs), "{secs}");
            assert_eq!(parse_rfc3339(&table(secs)), None, "no offset: {secs}");
        }
    }
}
