//! Mapping between tokio-postgres errors and `StoreError`.
//!
//! Error texts are built from the server's primary message and SQLSTATE only: PostgreSQL's
//! DETAIL line repeats the offending row's values (`Key (name_key)=(alice) already
//! exists`), so it is never used.

use accounts::StoreError;
use tokio_postgres::error::SqlState;

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

/// A unique-constraint violation on a key over one of `columns` of `table`. Every unique
/// constraint of the schema is named `TABLE_…_COLUMN…` after its table and columns
/// (`associates_tenant_name_key`, `apps_digest_key`, `tenants_name_key_key`), never a
/// primary key's `TABLE_pkey`.
pub(crate) fn is_unique_violation(
    e: &tokio_postgres::Error,
    table: &str,
    columns: &[&str],
) -> bool {
    e.as_db_error().is_some_and(|db| {
        *db.code() == SqlState::UNIQUE_VIOLATION
            && db.constraint().is_some_and(|c| {
                c.strip_prefix(table).is_some_and(|rest| {
                    rest.starts_with('_') && columns.iter().any(|k| rest.contains(k))
                })
            })
    })
}
