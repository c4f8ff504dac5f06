//! SQLite's side of the name-fold migration (see `crate::name_fold`): read each table's
//! names, refuse on a clash, rewrite the keys that change.

use rusqlite::{params, Transaction};

use super::error::describe;
use crate::name_fold::{parked_key, plan, select, Named, TABLES};

/// The version of `0008_name_fold.sql`, after whose SQL this step runs.
pub(crate) const VERSION: i64 = 8;

pub(crate) fn apply(tx: &Transaction<'_>) -> Result<(), String> {
    for (table, scope) in TABLES {
        let rows = read(tx, table, scope).map_err(|e| describe(&e))?;
        let changes = plan(table, &rows)?;
        let sql = format!("UPDATE {table} SET name_key = ?1 WHERE id = ?2");
        let mut update = tx.prepare(&sql).map_err(|e| describe(&e))?;
        for (id, _) in &changes {
            update
                .execute(params![parked_key(*id), id])
                .map_err(|e| describe(&e))?;
        }
        for (id, key) in &changes {
            update.execute(params![key, id]).map_err(|e| describe(&e))?;
        }
    }
    Ok(())
}

fn read(tx: &Transaction<'_>, table: &str, scope: Option<&str>) -> rusqlite::Result<Vec<Named>> {
    let mut stmt = tx.prepare(&select(table, scope, "INTEGER"))?;
    let rows = stmt.query_map([], |r| {
        Ok(Named {
            id: r.get(0)?,
            scope: r.get(1)?,
            name: r.get(2)?,
            key: r.get(3)?,
        })
    })?;
    rows.collect()
}
