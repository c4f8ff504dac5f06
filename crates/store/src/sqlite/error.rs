//! Mapping between rusqlite errors and `StoreError`.
//!
//! Error texts come from SQLite's own messages, which name constraints and tables but not
//! bound parameters; the few rusqlite errors that carry a value are rewritten without it.

use accounts::StoreError;

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

/// A UNIQUE constraint failure on a key over one of `columns` of `table`.
pub(crate) fn is_unique_violation(e: &rusqlite::Error, table: &str, columns: &[&str]) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(err, Some(msg)) => {
            err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                && columns
                    .iter()
                    .any(|c| msg.contains(&format!("{table}.{c}")))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_errors_drop_values() {
        let e = rusqlite::Error::IntegralValueOutOfRange(2, 987_654_321_012);
        assert!(!describe(&e).contains("987654321012"));
    }
}
