//! PostgreSQL's side of the name-fold migration (see `crate::name_fold`): read each
//! table's names, refuse on a clash, rewrite the keys that change.

use tokio_postgres::Transaction;

use super::error::describe;
use crate::name_fold::{parked_key, plan, select, Named, TABLES};

/// The version of `0003_name_fold.sql`, after whose SQL this step runs.
pub(crate) const VERSION: i64 = 3;

pub(crate) async fn apply(tx: &Transaction<'_>) -> Result<(), String> {
    for (table, scope) in TABLES {
        let rows = tx
            .query(&select(table, scope, "BIGINT"), &[])
            .await
            .map_err(|e| describe(&e))?
            .iter()
            .map(|r| {
                Ok(Named {
                    id: r.try_get(0)?,
                    scope: r.try_get(1)?,
                    name: r.try_get(2)?,
                    key: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>, tokio_postgres::Error>>()
            .map_err(|e| describe(&e))?;
        let changes = plan(table, &rows)?;
        // `id` is BIGINT in tenants and INTEGER elsewhere: compare as BIGINT.
        let sql = format!("UPDATE {table} SET name_key = $1 WHERE id = $2::BIGINT");
        let update = tx.prepare(&sql).await.map_err(|e| describe(&e))?;
        for (id, _) in &changes {
            tx.execute(&update, &[&parked_key(*id), id])
                .await
                .map_err(|e| describe(&e))?;
        }
        for (id, key) in &changes {
            tx.execute(&update, &[key, id])
                .await
                .map_err(|e| describe(&e))?;
        }
    }
    Ok(())
}
