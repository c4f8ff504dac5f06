//! Forward-only schema migrations for SQLite.
//!
//! `schema_migrations` records each applied version. Every migration runs in its own
//! `BEGIN IMMEDIATE` transaction that first re-checks whether the version is already
//! recorded, so reopening is a no-op and two processes opening the same new file at once
//! do not both apply it. A database whose recorded version is newer than this build's
//! list is refused rather than used with a schema this code does not know.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::error::describe;
use super::name_fold;
use crate::error::OpenError;

/// The migrations in order: (version, SQL). Versions are strictly increasing from 1 (a
/// gap is allowed, for a version that another line of work reserved); never edit or
/// reorder a released one, append a new one instead.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_init.sql")),
    (2, include_str!("migrations/0002_password_history.sql")),
    (3, include_str!("migrations/0003_lockout.sql")),
    (4, include_str!("migrations/0004_apps.sql")),
    (5, include_str!("migrations/0005_audit.sql")),
    (6, include_str!("migrations/0006_tenants.sql")),
    (7, include_str!("migrations/0007_ticket_app.sql")),
    (8, include_str!("migrations/0008_name_fold.sql")),
];

/// The newest schema version this build knows.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

/// Applies every migration not yet recorded in the database.
///
/// Foreign-key enforcement is off while migrations run (a migration may rebuild a table
/// that others reference, which SQLite's rebuild procedure requires) and back on after;
/// each migration checks the keys with `foreign_key_check` before it commits.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), OpenError> {
    let enforced: bool = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .map_err(|e| OpenError::Migration {
            version: 0,
            detail: describe(&e),
        })?;
    let restore = |conn: &Connection| {
        conn.pragma_update(None, "foreign_keys", enforced)
            .map_err(|e| OpenError::Migration {
                version: 0,
                detail: describe(&e),
            })
    };
    conn.pragma_update(None, "foreign_keys", false)
        .map_err(|e| OpenError::Migration {
            version: 0,
            detail: describe(&e),
        })?;
    let result = apply(conn);
    restore(conn)?;
    result
}

fn apply(conn: &mut Connection) -> Result<(), OpenError> {
    let failed = |version: i64| {
        move |e: rusqlite::Error| OpenError::Migration {
            version,
            detail: describe(&e),
        }
    };
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at INTEGER
         )",
    )
    .map_err(failed(0))?;

    let found: Option<i64> = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get(0)
        })
        .map_err(failed(0))?;
    if let Some(found) = found {
        if found > latest() {
            return Err(OpenError::SchemaTooNew {
                found,
                known: latest(),
            });
        }
    }

    for &(version, sql) in MIGRATIONS {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed(version))?;
        let applied = tx
            .query_row(
                "SELECT 1 FROM schema_migrations WHERE version = ?1",
                [version],
                |_| Ok(()),
            )
            .optional()
            .map_err(failed(version))?
            .is_some();
        if applied {
            continue; // the transaction rolls back (nothing was written) when dropped
        }
        tx.execute_batch(sql).map_err(failed(version))?;
        if version == name_fold::VERSION {
            name_fold::apply(&tx).map_err(|detail| OpenError::Migration { version, detail })?;
        }
        let dangling = tx
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(failed(version))?;
        if dangling > 0 {
            return Err(OpenError::Migration {
                version,
                detail: format!("{dangling} rows break a foreign key after the migration"),
            });
        }
        // `applied_at` is bookkeeping for operators in the database's own time: the
        // store's code never reads a clock (domain times are passed in).
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at)
             VALUES (?1, CAST(strftime('%s', 'now') AS INTEGER))",
            params![version],
        )
        .map_err(failed(version))?;
        tx.commit().map_err(failed(version))?;
        tracing::info!(version, "applied SQLite schema migration");
    }
    Ok(())
}

/// For a read-only open: the database must be at exactly this build's schema, since it
/// cannot be migrated and an older one lacks what the queries read.
pub(crate) fn check_current(conn: &Connection) -> Result<(), OpenError> {
    let failed = |e: rusqlite::Error| OpenError::Migration {
        version: 0,
        detail: describe(&e),
    };
    let recorded: bool = conn
        .query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'schema_migrations'",
            [],
            |r| r.get(0),
        )
        .map_err(failed)?;
    let found: i64 = if recorded {
        conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get::<_, Option<i64>>(0)
        })
        .map_err(failed)?
        .unwrap_or(0)
    } else {
        0
    };
    match found.cmp(&latest()) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Greater => Err(OpenError::SchemaTooNew {
            found,
            known: latest(),
        }),
        std::cmp::Ordering::Less => Err(OpenError::SchemaTooOld {
            found,
            known: latest(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_strictly_increasing_from_one() {
        assert_eq!(MIGRATIONS.first().map(|(v, _)| *v), Some(1));
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} then {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, MIGRATIONS.len() as i64);
    }
}
