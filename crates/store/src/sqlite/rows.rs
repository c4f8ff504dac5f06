//! Mapping between rows and domain values, and between rusqlite errors and `StoreError`.
//!
//! A value that cannot be decoded becomes `StoreError::Backend` naming the table and
//! column, never the value. Error texts come from SQLite's own messages, which name
//! constraints and tables but not bound parameters; the few rusqlite errors that carry a
//! value are rewritten without it.

use accounts::{
    parse_rights, AppRecord, Associate, AssociateId, AuditEvent, LockState, Outcome, Right,
    StoreError, Tenant, TicketRecord, Timestamp, UserType,
};
use rusqlite::types::FromSql;
use rusqlite::Row;

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

/// A description of a rusqlite error that contains no parameter or column values.
pub(crate) fn describe(e: &rusqlite::Error) -> String {
    use rusqlite::Error as E;
    match e {
        E::SqliteFailure(code, Some(msg)) => format!("{msg} ({:?})", code.code),
        E::SqliteFailure(code, None) => code.to_string(),
        E::IntegralValueOutOfRange(idx, _) => format!("integer out of range at column {idx}"),
        E::FromSqlConversionFailure(idx, ty, _) => {
            format!("cannot convert a {ty} value at column {idx}")
        }
        E::ToSqlConversionFailure(_) => "cannot convert a parameter".into(),
        other => other.to_string(),
    }
}

/// `StoreError::Backend` for a failed statement; `what` names the operation.
/// A database another connection keeps locked past the busy timeout is unavailable for
/// now (the caller may retry), not broken: `StoreError::Unavailable`.
pub(crate) fn backend(what: &str, e: &rusqlite::Error) -> StoreError {
    let detail = format!("{what}: {}", describe(e));
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Unavailable(detail)
        }
        _ => StoreError::Backend(detail),
    }
}

fn undecodable(column: &str) -> StoreError {
    StoreError::Backend(format!("cannot decode column {column}"))
}

fn get<T: FromSql>(row: &Row<'_>, idx: usize, column: &str) -> Result<T, StoreError> {
    row.get(idx).map_err(|e| {
        StoreError::Backend(format!("cannot decode column {column}: {}", describe(&e)))
    })
}

fn id(value: i64, column: &str) -> Result<AssociateId, StoreError> {
    AssociateId::try_from(value).map_err(|_| undecodable(column))
}

fn opt_id(value: Option<i64>, column: &str) -> Result<Option<AssociateId>, StoreError> {
    value.map(|v| id(v, column)).transpose()
}

/// The stored form of a rights list: `Right::as_str` keys joined by commas.
pub(crate) fn encode_rights(rights: &[Right]) -> String {
    let mut keys: Vec<&str> = rights.iter().map(|r| r.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.join(",")
}

/// The key a name is unique and looked up under: its NFKC case fold (see
/// `accounts::name_key`), computed here rather than by the database, whose own case
/// rules differ by backend.
pub(crate) fn name_key(name: &str) -> String {
    accounts::name_key(name)
}

/// Decodes a row selected with [`ASSOCIATE_COLUMNS`].
pub(crate) fn associate(row: &Row<'_>) -> Result<Associate, StoreError> {
    let user_type: String = get(row, 3, "associates.user_type")?;
    let rights: String = get(row, 4, "associates.rights")?;
    let retired: i64 = get(row, 5, "associates.retired")?;
    Ok(Associate {
        id: id(get(row, 0, "associates.id")?, "associates.id")?,
        name: get(row, 1, "associates.name")?,
        full_name: get(row, 2, "associates.full_name")?,
        user_type: user_type
            .parse::<UserType>()
            .map_err(|_| undecodable("associates.user_type"))?,
        rights: parse_rights(&rights).map_err(|_| undecodable("associates.rights"))?,
        retired: match retired {
            0 => false,
            1 => true,
            _ => return Err(undecodable("associates.retired")),
        },
        password_hash: get(row, 6, "associates.password_hash")?,
        must_change: flag(
            get(row, 7, "associates.must_change")?,
            "associates.must_change",
        )?,
        lock: lock_at(row, 8)?,
        tenant: get(row, 11, "associates.tenant_id")?,
    })
}

/// Decodes a row selected with [`LOCK_COLUMNS`].
pub(crate) fn lock_state(row: &Row<'_>) -> Result<LockState, StoreError> {
    lock_at(row, 0)
}

fn lock_at(row: &Row<'_>, first: usize) -> Result<LockState, StoreError> {
    let failed: i64 = get(row, first, "associates.failed_logins")?;
    let first_failure: Option<i64> = get(row, first + 1, "associates.first_failure_at")?;
    let locked_until: Option<i64> = get(row, first + 2, "associates.locked_until")?;
    Ok(LockState {
        failed_logins: u32::try_from(failed)
            .map_err(|_| undecodable("associates.failed_logins"))?,
        first_failure_at: first_failure.map(Timestamp),
        locked_until: locked_until.map(Timestamp),
    })
}

fn flag(value: i64, column: &'static str) -> Result<bool, StoreError> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(undecodable(column)),
    }
}

/// Decodes a row selected with [`TICKET_COLUMNS`].
pub(crate) fn ticket(row: &Row<'_>) -> Result<TicketRecord, StoreError> {
    let digest: Vec<u8> = get(row, 1, "tickets.digest")?;
    Ok(TicketRecord {
        id: get(row, 0, "tickets.id")?,
        digest: digest
            .try_into()
            .map_err(|_| undecodable("tickets.digest"))?,
        associate_id: id(get(row, 2, "tickets.associate_id")?, "tickets.associate_id")?,
        created_at: Timestamp(get(row, 3, "tickets.created_at")?),
        expires_at: Timestamp(get(row, 4, "tickets.expires_at")?),
        app_id: get(row, 5, "tickets.app_id")?,
    })
}

/// Decodes a row selected with [`APP_COLUMNS`].
pub(crate) fn app(row: &Row<'_>) -> Result<AppRecord, StoreError> {
    let digest: Vec<u8> = get(row, 2, "apps.digest")?;
    Ok(AppRecord {
        id: get(row, 0, "apps.id")?,
        name: get(row, 1, "apps.name")?,
        digest: digest.try_into().map_err(|_| undecodable("apps.digest"))?,
        user_management: flag(get(row, 3, "apps.user_management")?, "apps.user_management")?,
        created_at: Timestamp(get(row, 4, "apps.created_at")?),
        revoked_at: get::<Option<i64>>(row, 5, "apps.revoked_at")?.map(Timestamp),
        tenant: get(row, 6, "apps.tenant_id")?,
    })
}

/// Decodes a row selected with [`TENANT_COLUMNS`].
pub(crate) fn tenant(row: &Row<'_>) -> Result<Tenant, StoreError> {
    Ok(Tenant {
        id: get(row, 0, "tenants.id")?,
        name: get(row, 1, "tenants.name")?,
        created_at: Timestamp(get(row, 2, "tenants.created_at")?),
    })
}

/// Decodes a row selected with [`AUDIT_COLUMNS`].
pub(crate) fn audit_event(row: &Row<'_>) -> Result<AuditEvent, StoreError> {
    let outcome: String = get(row, 4, "audit.outcome")?;
    Ok(AuditEvent {
        at: Timestamp(get(row, 0, "audit.at")?),
        actor: opt_id(get(row, 1, "audit.actor")?, "audit.actor")?,
        target: opt_id(get(row, 2, "audit.target")?, "audit.target")?,
        operation: get(row, 3, "audit.operation")?,
        outcome: Outcome::parse(&outcome),
        client: get(row, 5, "audit.client")?,
        app: get(row, 6, "audit.app")?,
        operation_id: get(row, 7, "audit.operation_id")?,
        tenant: get(row, 8, "audit.tenant_id")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_encode_sorted_and_round_trip() {
        let s = encode_rights(&[Right::AdminUsers, Right::AdminAll, Right::AdminUsers]);
        assert_eq!(s, "admin-all,admin-users");
        assert_eq!(
            parse_rights(&s).unwrap(),
            vec![Right::AdminAll, Right::AdminUsers]
        );
        assert_eq!(encode_rights(&[]), "");
    }

    #[test]
    fn name_keys_lowercase_beyond_ascii() {
        assert_eq!(name_key("ÅSE"), name_key("åse"));
        assert_eq!(name_key("Ørjan"), "ørjan");
    }

    #[test]
    fn described_errors_drop_values() {
        let e = rusqlite::Error::IntegralValueOutOfRange(2, 987_654_321_012);
        assert!(!describe(&e).contains("987654321012"));
    }
}
