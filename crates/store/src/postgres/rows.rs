//! Mapping between rows and domain values, and between tokio-postgres errors and
//! `StoreError`.
//!
//! Error texts are built from the server's primary message and SQLSTATE only: PostgreSQL's
//! DETAIL line repeats the offending row's values (`Key (name_key)=(alice) already
//! exists`), so it is never used. A value that cannot be decoded becomes
//! `StoreError::Backend` naming the table and column, never the value.

use accounts::{
    parse_rights, AppRecord, Associate, AuditEvent, LockState, Outcome, StoreError, Tenant,
    TicketRecord, Timestamp, UserType,
};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

pub(crate) use crate::sqlite::rows::{encode_rights, name_key};

/// Column list matching [`associate`].
pub(crate) const ASSOCIATE_COLUMNS: &str =
    "id, name, full_name, user_type, rights, retired, password_hash, must_change, \
     failed_logins, first_failure_at, locked_until, tenant_id";
/// Column list matching [`lock_state`].
pub(crate) const LOCK_COLUMNS: &str = "failed_logins, first_failure_at, locked_until";
/// Column list matching [`ticket`].
pub(crate) const TICKET_COLUMNS: &str = "id, digest, associate_id, created_at, expires_at, app_id";
/// Column list matching [`app`].
pub(crate) const APP_COLUMNS: &str =
    "id, name, digest, user_management, created_at, revoked_at, tenant_id";
/// Column list matching [`tenant`].
pub(crate) const TENANT_COLUMNS: &str = "id, name, created_at";
/// Column list matching [`audit_event`].
pub(crate) const AUDIT_COLUMNS: &str =
    "at, actor, target, operation, outcome, client, app, operation_id, tenant_id";

/// A description of a tokio-postgres error that contains no parameter or row values and
/// no connection parameters.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => {
            if e.is_closed() {
                "the connection is closed".into()
            } else {
                // Client-side errors (I/O, protocol, parameter conversion) name kinds and
                // types, not values; their causes ("Connection refused", "timed out") are
                // in the source chain, which the error's own text leaves out.
                with_causes(e)
            }
        }
    }
}

/// `e`'s text followed by each cause's, skipping a cause its error already repeats.
fn with_causes(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let part = c.to_string();
        if !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = c.source();
    }
    text
}

/// The error for a failed statement; `what` names the operation. A lost or refused
/// connection, or a server shutting down, is `StoreError::Unavailable`; anything else is
/// `StoreError::Backend`.
pub(crate) fn backend(what: &str, e: &tokio_postgres::Error) -> StoreError {
    let text = format!("{what}: {}", describe(e));
    if is_unreachable(e) {
        StoreError::Unavailable(text)
    } else {
        StoreError::Backend(text)
    }
}

/// Whether `e` says the database cannot be reached now (rather than that a statement is
/// wrong): the connection is closed or failed on I/O, or the server reports a connection
/// exception (class 08), shutdown (57P01–57P03) or too many connections (53300).
pub(crate) fn is_unreachable(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
        }
        None => std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()),
    }
}

/// A unique-constraint violation on one of the named constraints.
pub(crate) fn is_unique_violation(e: &tokio_postgres::Error, constraints: &[&str]) -> bool {
    e.as_db_error().is_some_and(|db| {
        *db.code() == SqlState::UNIQUE_VIOLATION
            && db.constraint().is_some_and(|c| constraints.contains(&c))
    })
}

fn undecodable(column: &str) -> StoreError {
    StoreError::Backend(format!("cannot decode column {column}"))
}

fn get<'a, T: FromSql<'a>>(row: &'a Row, idx: usize, column: &str) -> Result<T, StoreError> {
    row.try_get(idx).map_err(|_| undecodable(column))
}

/// Decodes a row selected with [`ASSOCIATE_COLUMNS`].
pub(crate) fn associate(row: &Row) -> Result<Associate, StoreError> {
    let user_type: String = get(row, 3, "associates.user_type")?;
    let rights: String = get(row, 4, "associates.rights")?;
    Ok(Associate {
        id: get(row, 0, "associates.id")?,
        name: get(row, 1, "associates.name")?,
        full_name: get(row, 2, "associates.full_name")?,
        user_type: user_type
            .parse::<UserType>()
            .map_err(|_| undecodable("associates.user_type"))?,
        rights: parse_rights(&rights).map_err(|_| undecodable("associates.rights"))?,
        retired: get(row, 5, "associates.retired")?,
        password_hash: get(row, 6, "associates.password_hash")?,
        must_change: get(row, 7, "associates.must_change")?,
        lock: lock_at(row, 8)?,
        tenant: get(row, 11, "associates.tenant_id")?,
    })
}

/// Decodes a row selected with [`LOCK_COLUMNS`].
pub(crate) fn lock_state(row: &Row) -> Result<LockState, StoreError> {
    lock_at(row, 0)
}

fn lock_at(row: &Row, first: usize) -> Result<LockState, StoreError> {
    let failed: i32 = get(row, first, "associates.failed_logins")?;
    let first_failure: Option<i64> = get(row, first + 1, "associates.first_failure_at")?;
    let locked_until: Option<i64> = get(row, first + 2, "associates.locked_until")?;
    Ok(LockState {
        failed_logins: u32::try_from(failed)
            .map_err(|_| undecodable("associates.failed_logins"))?,
        first_failure_at: first_failure.map(Timestamp),
        locked_until: locked_until.map(Timestamp),
    })
}

/// Decodes a row selected with [`TICKET_COLUMNS`].
pub(crate) fn ticket(row: &Row) -> Result<TicketRecord, StoreError> {
    let digest: Vec<u8> = get(row, 1, "tickets.digest")?;
    Ok(TicketRecord {
        id: get(row, 0, "tickets.id")?,
        digest: digest
            .try_into()
            .map_err(|_| undecodable("tickets.digest"))?,
        associate_id: get(row, 2, "tickets.associate_id")?,
        created_at: Timestamp(get(row, 3, "tickets.created_at")?),
        expires_at: Timestamp(get(row, 4, "tickets.expires_at")?),
        app_id: get(row, 5, "tickets.app_id")?,
    })
}

/// Decodes a row selected with [`APP_COLUMNS`].
pub(crate) fn app(row: &Row) -> Result<AppRecord, StoreError> {
    let digest: Vec<u8> = get(row, 2, "apps.digest")?;
    Ok(AppRecord {
        id: get(row, 0, "apps.id")?,
        name: get(row, 1, "apps.name")?,
        digest: digest.try_into().map_err(|_| undecodable("apps.digest"))?,
        user_management: get(row, 3, "apps.user_management")?,
        created_at: Timestamp(get(row, 4, "apps.created_at")?),
        revoked_at: get::<Option<i64>>(row, 5, "apps.revoked_at")?.map(Timestamp),
        tenant: get(row, 6, "apps.tenant_id")?,
    })
}

/// Decodes a row selected with [`TENANT_COLUMNS`].
pub(crate) fn tenant(row: &Row) -> Result<Tenant, StoreError> {
    Ok(Tenant {
        id: get(row, 0, "tenants.id")?,
        name: get(row, 1, "tenants.name")?,
        created_at: Timestamp(get(row, 2, "tenants.created_at")?),
    })
}

/// Decodes a row selected with [`AUDIT_COLUMNS`].
pub(crate) fn audit_event(row: &Row) -> Result<AuditEvent, StoreError> {
    let outcome: String = get(row, 4, "audit.outcome")?;
    Ok(AuditEvent {
        at: Timestamp(get(row, 0, "audit.at")?),
        actor: get(row, 1, "audit.actor")?,
        target: get(row, 2, "audit.target")?,
        operation: get(row, 3, "audit.operation")?,
        outcome: Outcome::parse(&outcome),
        client: get(row, 5, "audit.client")?,
        app: get(row, 6, "audit.app")?,
        operation_id: get(row, 7, "audit.operation_id")?,
        tenant: get(row, 8, "audit.tenant_id")?,
    })
}
