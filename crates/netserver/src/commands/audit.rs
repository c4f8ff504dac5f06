//! `netserver audit`: the audit trail, newest first, as a table or one JSON object a line.

use std::collections::HashMap;

use accounts::{AuditEvent, AuditFilter, Timestamp};
use serde::Serialize;

use crate::cli::{AuditArgs, CliError, Resolved};
use crate::output::outln;
use crate::utc;

pub async fn run(cfg: Resolved, args: AuditArgs) -> Result<(), CliError> {
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let accounts = cfg.accounts_read_only().await?;
    let tenant = cfg.tenant(&accounts).await?;
    let associate_id = match args.associate.as_deref() {
        Some(name) => {
            let name = name.trim();
            let found = accounts.user_named(tenant, name).await?;
            let found =
                found.ok_or_else(|| CliError::Failed(format!("no associate named '{name}'")))?;
            Some(found.id)
        }
        None => None,
    };
    let filter = AuditFilter {
        since,
        associate_id,
        limit: args.limit,
    };
    let events = accounts.audit_trail(tenant, filter).await?;
    // The operator typed names: show names. Records keep ids (a name may be reused
    // after a retirement, an id never), so `--json` gives both.
    let names: HashMap<i32, String> = accounts
        .list_users(tenant)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let name =
        |id: Option<i32>| id.map(|id| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")));
    if args.json {
        for e in &events {
            outln!("{}", json_line(e, name(e.actor), name(e.target))?);
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
                utc::table(e.at.0),
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

/// One record of `--json`: the fields in this order, absent values `null`, the actor's
/// and target's names beside their ids.
#[derive(Serialize)]
struct JsonRecord<'a> {
    at: i64,
    time: String,
    actor: Option<i32>,
    actor_name: Option<String>,
    target: Option<i32>,
    target_name: Option<String>,
    operation: &'a str,
    outcome: &'a str,
    client: Option<&'a str>,
    app: Option<&'a str>,
    operation_id: Option<&'a str>,
}

fn json_line(
    e: &AuditEvent,
    actor_name: Option<String>,
    target_name: Option<String>,
) -> Result<String, CliError> {
    let record = JsonRecord {
        at: e.at.0,
        time: utc::rfc3339(e.at.0),
        actor: e.actor,
        actor_name,
        target: e.target,
        target_name,
        operation: &e.operation,
        outcome: e.outcome.as_str(),
        client: e.client.as_deref(),
        app: e.app.as_deref(),
        operation_id: e.operation_id.as_deref(),
    };
    serde_json::to_string(&record)
        .map_err(|e| CliError::Failed(format!("cannot write an audit record as JSON: {e}")))
}

/// `--since`: seconds since the Unix epoch, or an RFC 3339 date-time.
fn parse_since(text: &str) -> Result<Timestamp, CliError> {
    let text = text.trim();
    match text
        .parse::<i64>()
        .ok()
        .or_else(|| utc::parse_rfc3339(text))
    {
        Some(secs) => Ok(Timestamp(secs)),
        None => Err(CliError::Failed(format!(
            "--since: '{text}' is neither seconds since 1970 nor an RFC 3339 time"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_seconds_or_rfc3339() {
        assert_eq!(parse_since("1700000000").unwrap(), Timestamp(1_700_000_000));
        assert_eq!(
            parse_since("2023-11-14T22:13:20Z").unwrap(),
            Timestamp(1_700_000_000)
        );
        assert_eq!(
            parse_since("2023-11-15T00:13:20.5+02:00").unwrap(),
            Timestamp(1_700_000_000)
        );
        assert_eq!(
            parse_since("2000-02-29 00:00:00z").unwrap(),
            Timestamp(951_782_400)
        );
        assert_eq!(
            parse_since("1970-01-01T00:00:00-01:00").unwrap(),
            Timestamp(3_600)
        );
        for bad in [
            "yesterday",
            "2023-11-14",
            "2023-13-01T00:00:00Z",
            "2023-02-30T00:00:00Z",
            "2023-11-14T22:13:20",
        ] {
            let e = parse_since(bad).unwrap_err().to_string();
            assert_eq!(
                e,
                format!("--since: '{bad}' is neither seconds since 1970 nor an RFC 3339 time")
            );
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
            client: Some("cli\n\u{1}".into()),
            app: None,
            operation_id: None,
            tenant: accounts::DEFAULT_TENANT,
        };
        assert_eq!(
            json_line(&e, None, Some("b\"o".into())).unwrap(),
            "{\"at\":0,\"time\":\"1970-01-01T00:00:00Z\",\"actor\":null,\"actor_name\":null,\
             \"target\":3,\"target_name\":\"b\\\"o\",\"operation\":\"user \\\"add\\\"\",\"outcome\":\"success\",\"client\":\"cli\\n\\u0001\",\
             \"app\":null,\"operation_id\":null}"
        );
    }
}
