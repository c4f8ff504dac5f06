//! `netserver audit`: the audit trail, newest first, as a table or one JSON object a line.

use std::collections::HashMap;

use accounts::{AuditEvent, AuditFilter, Timestamp};

use crate::cli::{AuditArgs, CliError, Resolved};
use crate::commands::app::utc;
use crate::output::outln;

pub async fn run(cfg: Resolved, args: AuditArgs) -> Result<(), CliError> {
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let accounts = cfg.accounts_read_only().await?;
    let tenant = cfg.tenant(&accounts).await?;
    let store = accounts.store();
    let associate_id = match args.associate.as_deref() {
        Some(name) => {
            let found = store
                .associate_by_name(tenant, name.trim())
                .await?;
            Some(
                found
                    .ok_or_else(|| CliError::Failed(format!("no associate named '{}'", name.trim())))?
                    .id,
            )
        }
        None => None,
    };
    let filter = AuditFilter {
        since,
        associate_id,
        limit: args.limit,
    };
    let events = store
        .audit_query(tenant, filter)
        .await?;
    // The operator typed names: show names. Records keep ids (a name may be reused
    // after a retirement, an id never), so `--json` gives both.
    let names: HashMap<i32, String> = store
        .list_associates(tenant)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let name =
        |id: Option<i32>| id.map(|id| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")));
    if args.json {
        for e in &events {
            outln!("{}", json_line(e, name(e.actor), name(e.target)));
        }
    } else {
        outln!(
            "{:<20} {:<30} {:<24} {:<20} {:<20} {:<16} {:<16} OPERATION ID",
            "TIME (UTC)",
            "OPERATION",
            "OUTCOME",
            "ACTOR",
            "TARGET",
            "CLIENT",
            "APP"
        );
        let text = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
        for e in &events {
            outln!(
                "{:<20} {:<30} {:<24} {:<20} {:<20} {:<16} {:<16} {}",
                utc(e.at.0),
                e.operation,
                e.outcome.as_str(),
                text(name(e.actor)),
                text(name(e.target)),
                text(e.client.clone()),
                text(e.app.clone()),
                text(e.operation_id.clone()),
            );
        }
    }
    Ok(())
}

/// One event as a JSON object, with the actor's and target's names beside their ids;
/// absent values are `null`.
fn json_line(e: &AuditEvent, actor_name: Option<String>, target_name: Option<String>) -> String {
    let id = |v: Option<i32>| v.map_or_else(|| "null".to_owned(), |v| v.to_string());
    let text = |v: Option<&str>| v.map_or_else(|| "null".to_owned(), json_string);
    format!(
        "{{\"at\":{},\"time\":{},\"actor\":{},\"actor_name\":{},\"target\":{},\"target_name\":{},\"operation\":{},\"outcome\":{},\"client\":{},\"app\":{},\"operation_id\":{}}}",
        e.at.0,
        json_string(&format!("{}Z", utc(e.at.0).replace(' ', "T"))),
        id(e.actor),
        text(actor_name.as_deref()),
        id(e.target),
        text(target_name.as_deref()),
        json_string(&e.operation),
        json_string(e.outcome.as_str()),
        text(e.client.as_deref()),
        text(e.app.as_deref()),
        text(e.operation_id.as_deref()),
    )
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Seconds since the Unix epoch, or an RFC 3339 date-time (`2024-05-01T12:00:00Z`,
/// `2024-05-01T14:00:00+02:00`, fractions of a second ignored).
fn parse_time(s: &str) -> Result<Timestamp, CliError> {
    let s = s.trim();
    let bad = || CliError::Failed(format!("--since: '{s}' is neither seconds since 1970 nor an RFC 3339 time"));
    if let Ok(secs) = s.parse::<i64>() {
        return Ok(Timestamp(secs));
    }
    let b = s.as_bytes();
    if b.len() < 20 || !b.is_ascii() {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<i64>().map_err(|_| bad());
    let sep = |i: usize, c: &[u8]| {
        if c.contains(&b[i]) {
            Ok(())
        } else {
            Err(bad())
        }
    };
    sep(4, b"-")?;
    sep(7, b"-")?;
    sep(10, b"Tt ")?;
    sep(13, b":")?;
    sep(16, b":")?;
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(bad());
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let r = rest.as_bytes();
            if r.len() != 6 || !(r[0] == b'+' || r[0] == b'-') || r[3] != b':' {
                return Err(bad());
            }
            let h = rest[1..3].parse::<i64>().map_err(|_| bad())?;
            let m = rest[4..6].parse::<i64>().map_err(|_| bad())?;
            let off = h * 3_600 + m * 60;
            if r[0] == b'-' {
                -off
            } else {
                off
            }
        }
    };
    let days = crate::civil::days_from_civil(year, month, day);
    Ok(Timestamp(
        days * 86_400 + hour * 3_600 + minute * 60 + second - offset,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_seconds_or_rfc3339() {
        assert_eq!(parse_time("1700000000").unwrap(), Timestamp(1_700_000_000));
        assert_eq!(
            parse_time("2023-11-14T22:13:20Z").unwrap(),
            Timestamp(1_700_000_000)
        );
        assert_eq!(
            parse_time("2023-11-15T00:13:20.5+02:00").unwrap(),
            Timestamp(1_700_000_000)
        );
        assert_eq!(
            parse_time("2000-02-29 00:00:00z").unwrap(),
            Timestamp(951_782_400)
        );
        assert_eq!(
            parse_time("1970-01-01T00:00:00-01:00").unwrap(),
            Timestamp(3_600)
        );
        for bad in [
            "yesterday",
            "2023-11-14",
            "2023-13-01T00:00:00Z",
            "2023-11-14T22:13:20",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn json_lines_escape_and_use_null() {
        let e = AuditEvent {
            at: Timestamp(0),
            actor: None,
            target: Some(3),
            operation: "user \"add\"".into(),
            outcome: accounts::Outcome::Success,
            client: Some("cli".into()),
            app: None,
            operation_id: None,
            tenant: accounts::DEFAULT_TENANT,
        };
        assert_eq!(
            json_line(&e, None, Some("b\"o".into())),
            "{\"at\":0,\"time\":\"1970-01-01T00:00:00Z\",\"actor\":null,\"actor_name\":null,\
             \"target\":3,\"target_name\":\"b\\\"o\",\"operation\":\"user \\\"add\\\"\",\"outcome\":\"success\",\"client\":\"cli\",\
             \"app\":null,\"operation_id\":null}"
        );
    }
}
