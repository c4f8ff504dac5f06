//! UTC calendar dates from seconds since the Unix epoch and back (proleptic Gregorian,
//! after Howard Hinnant's public-domain day algorithms), for the CLI's tables, its
//! `--since` argument and the log's timestamps, without a date-time dependency.

/// A UTC date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl Civil {
    /// The date and time `secs` seconds after 1970-01-01T00:00:00Z (before it if negative).
    pub(crate) fn from_unix(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        Civil {
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day: doy - (153 * mp + 2) / 5 + 1,
            hour: rem / 3_600,
            minute: rem % 3_600 / 60,
            second: rem % 60,
        }
    }

    /// `YYYY-MM-DD`, `sep`, `HH:MM:SS`.
    pub(crate) fn write(&self, out: &mut impl std::fmt::Write, sep: char) -> std::fmt::Result {
        let Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        } = self;
        write!(
            out,
            "{year:04}-{month:02}-{day:02}{sep}{hour:02}:{minute:02}:{second:02}"
        )
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_and_back() {
        for secs in [0, 59, 951_782_400, 1_735_689_599, 4_107_542_400, -86_400] {
            let c = Civil::from_unix(secs);
            let days = days_from_civil(c.year, c.month, c.day);
            assert_eq!(
                days * 86_400 + c.hour * 3_600 + c.minute * 60 + c.second,
                secs
            );
        }
        let mut s = String::new();
        Civil::from_unix(-1).write(&mut s, ' ').unwrap();
        assert_eq!(s, "1969-12-31 23:59:59");
    }
}
