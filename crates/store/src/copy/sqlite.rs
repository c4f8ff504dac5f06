//! Dump from and load into SQLite, on one dedicated connection per side.
//!
//! As a source the connection holds one read transaction from the first read to the end,
//! so under WAL the copy sees one consistent snapshot even while a server writes. As a
//! target it holds one `BEGIN IMMEDIATE` transaction: every statement of the copy is in
//! it, and dropping the connection without [`SqliteDb::commit`] rolls it all back.
//! The calls are blocking and run on tokio's blocking pool.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::types::Value;
use rusqlite::{params, Connection};

use super::error::{CopyError, Side};
use super::rows::{select_sql, upsert_suffix, After, Batch, Row, Table};
use crate::sqlite::error::describe;
use crate::sqlite::pool;

pub(crate) struct SqliteDb {
    conn: Arc<Mutex<Connection>>,
    side: Side,
}

impl SqliteDb {
    /// A connection to an existing, migrated database file.
    pub(crate) async fn connect(path: &Path, side: Side) -> Result<SqliteDb, CopyError> {
        let path = path.to_path_buf();
        let conn = tokio::task::spawn_blocking(move || pool::connect(&path))
            .await
            .map_err(|e| CopyError::Task(e.to_string()))?
            .map_err(|e| CopyError::database(side, format!("cannot connect: {}", describe(&e))))?;
        Ok(SqliteDb {
            conn: Arc::new(Mutex::new(conn)),
            side,
        })
    }

    async fn run<T, F>(&self, f: F) -> Result<T, CopyError>
    where
        F: FnOnce(&mut Connection, Side) -> Result<T, CopyError> + Send + 'static,
        T: Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let side = self.side;
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut conn, side)
        })
        .await
        .map_err(|e| CopyError::Task(e.to_string()))?
    }

    /// Starts the source's read snapshot (the first read inside `BEGIN` fixes it).
    pub(crate) async fn begin_read(&self) -> Result<(), CopyError> {
        self.run(|c, side| {
            c.execute_batch("BEGIN; SELECT COUNT(*) FROM schema_migrations;")
                .map_err(|e| failed(side, "begin a read transaction", &e))
        })
        .await
    }

    /// Starts the target's write transaction, taking the write lock now.
    pub(crate) async fn begin_write(&self) -> Result<(), CopyError> {
        self.run(|c, side| {
            c.execute_batch("BEGIN IMMEDIATE")
                .map_err(|e| failed(side, "begin a write transaction", &e))
        })
        .await
    }

    pub(crate) async fn commit(&self) -> Result<(), CopyError> {
        self.run(|c, side| {
            c.execute_batch("COMMIT")
                .map_err(|e| failed(side, "commit", &e))
        })
        .await
    }

    pub(crate) async fn count(&self, table: Table) -> Result<u64, CopyError> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        self.count_sql(table, sql).await
    }

    /// Rows beyond what a freshly migrated database holds (the built-in default tenant).
    pub(crate) async fn count_beyond_fresh(&self, table: Table) -> Result<u64, CopyError> {
        self.count_sql(table, super::beyond_fresh_sql(table)).await
    }

    async fn count_sql(&self, table: Table, sql: String) -> Result<u64, CopyError> {
        self.run(move |c, side| {
            let n: i64 = c
                .query_row(&sql, [], |r| r.get(0))
                .map_err(|e| failed(side, &format!("count table {table}"), &e))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
        .await
    }

    /// The highest id the table has ever handed out: its largest id, or AUTOINCREMENT's
    /// record of it (kept after the row is deleted), whichever is larger.
    pub(crate) async fn high_water(&self, table: Table) -> Result<Option<i64>, CopyError> {
        self.run(move |c, side| {
            let what = format!("read the highest id of table {table}");
            let max: Option<i64> = c
                .query_row(&format!("SELECT MAX(id) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| failed(side, &what, &e))?;
            let seq: Option<i64> = c
                .query_row(
                    "SELECT MAX(seq) FROM sqlite_sequence WHERE name = ?1",
                    [table.name()],
                    |r| r.get(0),
                )
                .map_err(|e| failed(side, &what, &e))?;
            Ok(max.max(seq))
        })
        .await
    }

    /// Makes the table's AUTOINCREMENT hand out ids above `high_water` from now on.
    pub(crate) async fn raise_sequence(
        &self,
        table: Table,
        high_water: Option<i64>,
    ) -> Result<(), CopyError> {
        let Some(high_water) = high_water else {
            return Ok(()); // nothing was ever handed out: ids start at 1 anyway
        };
        self.run(move |c, side| {
            let what = format!("set the next id of table {table}");
            let updated = c
                .execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, ?2) WHERE name = ?1",
                    params![table.name(), high_water],
                )
                .map_err(|e| failed(side, &what, &e))?;
            if updated == 0 {
                c.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
                    params![table.name(), high_water],
                )
                .map_err(|e| failed(side, &what, &e))?;
            }
            Ok(())
        })
        .await
    }

    /// Deletes every row of every table, children first (inside the write transaction).
    pub(crate) async fn wipe(&self) -> Result<(), CopyError> {
        self.run(|c, _| {
            for table in Table::ALL.iter().rev() {
                c.execute(&format!("DELETE FROM {table}"), [])
                    .map_err(|e| CopyError::Write {
                        table: *table,
                        detail: format!("cannot empty it: {}", describe(&e)),
                    })?;
            }
            Ok(())
        })
        .await
    }

    pub(crate) async fn read(
        &self,
        table: Table,
        after: After,
        limit: usize,
    ) -> Result<Batch, CopyError> {
        self.run(move |c, _| read(c, table, &after, limit)).await
    }

    pub(crate) async fn write(&self, batch: Batch) -> Result<(), CopyError> {
        self.run(move |c, _| write(c, &batch)).await
    }
}

fn failed(side: Side, what: &str, e: &rusqlite::Error) -> CopyError {
    CopyError::database(side, format!("{what}: {}", describe(e)))
}

fn read(c: &Connection, table: Table, after: &After, limit: usize) -> Result<Batch, CopyError> {
    let read_error = |e: rusqlite::Error| CopyError::Read {
        table,
        detail: describe(&e),
    };
    let sql = select_sql(table, after, "?1", "?2");
    let mut stmt = c.prepare_cached(&sql).map_err(read_error)?;
    let key = match after {
        After::Start => Value::Null,
        After::Id(id) => Value::Integer(*id),
        After::Text(text) => Value::Text(text.clone()),
    };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // From the start the statement has no `?1`; SQLite still numbers the limit `?2`.
    let mut rows = stmt.query(params![key, limit]).map_err(read_error)?;
    let mut read = Vec::new();
    while let Some(row) = rows.next().map_err(read_error)? {
        read.push(Row::read(table, row)?);
    }
    Ok(Batch::new(table, read))
}

/// `INSERT` of one row with `?N` placeholders; the default tenant that migrations create
/// is overwritten by the source's.
fn insert_sql(table: Table) -> String {
    let placeholders: Vec<String> = (1..=table.columns().len())
        .map(|i| format!("?{i}"))
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({}){}",
        table.column_list(),
        placeholders.join(", "),
        upsert_suffix(table)
    )
}

fn write(c: &Connection, batch: &Batch) -> Result<(), CopyError> {
    let table = batch.table();
    let write_error = |e: rusqlite::Error| CopyError::Write {
        table,
        detail: describe(&e),
    };
    let mut stmt = c.prepare_cached(&insert_sql(table)).map_err(write_error)?;
    for row in batch.rows() {
        stmt.execute(rusqlite::params_from_iter(row.values()))
            .map_err(write_error)?;
    }
    Ok(())
}
