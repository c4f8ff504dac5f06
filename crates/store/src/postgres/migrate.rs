//! Forward-only schema migrations for PostgreSQL, separate from SQLite's.
//!
//! All pending migrations run in ONE transaction that first takes a transaction-scoped
//! advisory lock, so two nodes starting at once against a new database queue: the second
//! finds the versions already recorded in `schema_migrations` and applies nothing. A
//! database whose recorded version is newer than this build's list is refused.

use tokio_postgres::Client;

use super::error::describe;
use super::name_fold;
use crate::error::OpenError;

/// The migrations in order: (version, SQL). Never edit or reorder a released one, append
/// a new one instead. A gap is allowed (a version another line of work reserved): each
/// version is applied unless it is itself recorded, so one filled in later still runs.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_init.sql")),
    (2, include_str!("migrations/0002_ticket_app.sql")),
    (3, include_str!("migrations/0003_name_fold.sql")),
];

/// The advisory lock key that serialises migrations (any constant shared by all nodes;
/// these are the ASCII bytes of "netsrvmg").
const LOCK_KEY: i64 = 0x6e65_7473_7276_6d67;

/// The newest schema version this build knows.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

/// Applies every migration not yet recorded in the database.
pub(crate) async fn migrate(client: &mut Client) -> Result<(), OpenError> {
    let failed = |version: i64| {
        move |e: tokio_postgres::Error| OpenError::Migration {
            version,
            detail: describe(&e),
        }
    };
    let tx = client.transaction().await.map_err(failed(0))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .await
        .map_err(failed(0))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             applied_at BIGINT
         )",
    )
    .await
    .map_err(failed(0))?;
    let found: Option<i64> = tx
        .query_one("SELECT MAX(version) FROM schema_migrations", &[])
        .await
        .map_err(failed(0))?
        .try_get(0)
        .map_err(failed(0))?;
    if let Some(found) = found {
        if found > latest() {
            return Err(OpenError::SchemaTooNew {
                found,
                known: latest(),
            });
        }
    }
    let recorded: Vec<i64> = tx
        .query("SELECT version FROM schema_migrations", &[])
        .await
        .map_err(failed(0))?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()
        .map_err(failed(0))?;
    let mut applied = Vec::new();
    for &(version, sql) in MIGRATIONS {
        if recorded.contains(&version) {
            continue;
        }
        tx.batch_execute(sql).await.map_err(failed(version))?;
        if version == name_fold::VERSION {
            name_fold::apply(&tx)
                .await
                .map_err(|detail| OpenError::Migration { version, detail })?;
        }
        // `applied_at` is bookkeeping for operators in the database's own time: the
        // store's code never reads a clock (domain times are passed in).
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at)
             VALUES ($1, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT))",
            &[&version],
        )
        .await
        .map_err(failed(version))?;
        applied.push(version);
    }
    tx.commit().await.map_err(failed(latest()))?;
    for version in applied {
        tracing::info!(version, "applied PostgreSQL schema migration");
    }
    Ok(())
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
}
