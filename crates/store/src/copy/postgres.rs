//! Dump from and load into PostgreSQL, on one dedicated connection per side.
//!
//! As a source the connection holds one `REPEATABLE READ READ ONLY` transaction, so the
//! copy reads one consistent snapshot. As a target it holds one transaction for the whole
//! copy; if the connection goes away before [`PgDb::commit`], PostgreSQL rolls it back.
//! Rows are written a batch per statement, each column sent as one array parameter of
//! the column's kind (`bigint[]`, `integer[]`, `boolean[]`, `text[]`, `bytea[]`) and
//! expanded with `unnest`, which costs one round trip per batch however wide it is.

use std::str::FromStr;

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config};

use super::error::{CopyError, Side};
use super::rows::{select_sql, upsert_suffix, After, Batch, Row, Table};
use crate::error::OpenError;
use crate::postgres::error::describe;
use crate::postgres::pool;
use crate::sql::{Ty, Value};

pub(crate) struct PgDb {
    client: Client,
    side: Side,
}

/// The parsed connection settings of a URL, with the store's connect timeout unless the
/// URL sets one. Statements have no deadline: a large copy takes as long as it takes.
pub(crate) fn config(url: &str) -> Result<Config, OpenError> {
    let mut config = Config::from_str(url).map_err(|_| OpenError::BadPostgresUrl)?;
    pool::refuse_tls(&config)?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(crate::StoreOptions::default().timeout);
    }
    Ok(config)
}

impl PgDb {
    /// A connection to an existing, migrated database.
    pub(crate) async fn connect(config: &Config, side: Side) -> Result<PgDb, CopyError> {
        let client = pool::connect(config).await.map_err(|e| {
            CopyError::database(
                side,
                format!(
                    "cannot connect to {}: {}",
                    pool::address(config),
                    describe(&e)
                ),
            )
        })?;
        Ok(PgDb { client, side })
    }

    fn failed(&self, what: &str, e: &tokio_postgres::Error) -> CopyError {
        CopyError::database(self.side, format!("{what}: {}", describe(e)))
    }

    pub(crate) async fn begin_read(&self) -> Result<(), CopyError> {
        self.client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(|e| self.failed("begin a read transaction", &e))
    }

    /// Starts the target's write transaction and locks its tables against other writers
    /// (a server node started too early) until it ends; readers are not blocked.
    pub(crate) async fn begin_write(&self) -> Result<(), CopyError> {
        let tables: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        self.client
            .batch_execute(&format!(
                "BEGIN; LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE",
                tables.join(", ")
            ))
            .await
            .map_err(|e| self.failed("begin a write transaction", &e))
    }

    pub(crate) async fn commit(&self) -> Result<(), CopyError> {
        self.client
            .batch_execute("COMMIT")
            .await
            .map_err(|e| self.failed("commit", &e))
    }

    pub(crate) async fn count(&self, table: Table) -> Result<u64, CopyError> {
        self.count_sql(table, &format!("SELECT COUNT(*) FROM {table}"))
            .await
    }

    /// Rows beyond what a freshly migrated database holds (the built-in default tenant).
    pub(crate) async fn count_beyond_fresh(&self, table: Table) -> Result<u64, CopyError> {
        self.count_sql(table, &super::beyond_fresh_sql(table)).await
    }

    async fn count_sql(&self, table: Table, sql: &str) -> Result<u64, CopyError> {
        let what = format!("count table {table}");
        let n: i64 = self
            .client
            .query_one(sql, &[])
            .await
            .and_then(|row| row.try_get(0))
            .map_err(|e| self.failed(&what, &e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The highest id the table has ever handed out: its largest id, or its identity
    /// sequence's last value (kept after the row is deleted), whichever is larger.
    pub(crate) async fn high_water(&self, table: Table) -> Result<Option<i64>, CopyError> {
        let what = format!("read the highest id of table {table}");
        let row = self
            .client
            .query_one(
                &format!(
                    "SELECT (SELECT MAX(id)::bigint FROM {table}),
                            pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass)"
                ),
                &[&table.name()],
            )
            .await
            .map_err(|e| self.failed(&what, &e))?;
        let max: Option<i64> = row.try_get(0).map_err(|e| self.failed(&what, &e))?;
        let last: Option<i64> = row.try_get(1).map_err(|e| self.failed(&what, &e))?;
        Ok(max.max(last))
    }

    /// Sets the table's identity sequence so that the next id is above `high_water` and
    /// above every id in the table.
    pub(crate) async fn raise_sequence(
        &self,
        table: Table,
        high_water: Option<i64>,
    ) -> Result<(), CopyError> {
        let what = format!("set the next id of table {table}");
        let max: Option<i64> = self
            .client
            .query_one(&format!("SELECT MAX(id)::bigint FROM {table}"), &[])
            .await
            .and_then(|row| row.try_get(0))
            .map_err(|e| self.failed(&what, &e))?;
        // setval(seq, n, true): the next id is n + 1; (seq, 1, false): the next id is 1.
        let (value, called) = match high_water.max(max) {
            Some(n) if n >= 1 => (n, true),
            _ => (1, false),
        };
        self.client
            .query_one(
                "SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)",
                &[&table.name(), &value, &called],
            )
            .await
            .map_err(|e| self.failed(&what, &e))?;
        Ok(())
    }

    /// Empties every table (inside the write transaction, so a failed copy restores them).
    pub(crate) async fn wipe(&self) -> Result<(), CopyError> {
        let tables: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        self.client
            .batch_execute(&format!("TRUNCATE {}", tables.join(", ")))
            .await
            .map_err(|e| self.failed("empty the tables", &e))
    }

    pub(crate) async fn read(
        &self,
        table: Table,
        after: After,
        limit: usize,
    ) -> Result<Batch, CopyError> {
        let read_error = |e: tokio_postgres::Error| CopyError::Read {
            table,
            detail: describe(&e),
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = match &after {
            After::Start => {
                let sql = select_sql(table, &after, "", "$1");
                self.client.query(&sql, &[&limit]).await
            }
            After::Id(id) => {
                let sql = select_sql(table, &after, "$1::bigint", "$2");
                self.client.query(&sql, &[id, &limit]).await
            }
            After::Text(text) => {
                let sql = select_sql(table, &after, "$1::text", "$2");
                self.client.query(&sql, &[text, &limit]).await
            }
        }
        .map_err(read_error)?;
        let rows = rows
            .iter()
            .map(|r| Row::read(table, r))
            .collect::<Result<_, _>>()?;
        Ok(Batch::new(table, rows))
    }

    /// `INSERT … SELECT * FROM unnest($1::type[], …)` with one array per column.
    pub(crate) async fn write(&self, batch: Batch) -> Result<(), CopyError> {
        let table = batch.table();
        let mut arrays = Vec::new();
        let mut types = Vec::new();
        for (i, column) in table.columns().iter().enumerate() {
            arrays.push(column_array(&batch, i, column.ty)?);
            types.push(format!("${}::{}[]", i + 1, sql_type(column.ty)));
        }
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT * FROM unnest({}){}",
            table.column_list(),
            types.join(", "),
            upsert_suffix(table)
        );
        let params: Vec<&(dyn ToSql + Sync)> = arrays.iter().map(|a| a.as_ref()).collect();
        self.client
            .execute(&sql, &params)
            .await
            .map(|_| ())
            .map_err(|e| CopyError::Write {
                table,
                detail: describe(&e),
            })
    }
}

/// The array type that carries a column of kind `ty`.
fn sql_type(ty: Ty) -> &'static str {
    match ty {
        Ty::Int => "bigint",
        Ty::Int32 => "integer",
        Ty::Bool => "boolean",
        Ty::Text => "text",
        Ty::Blob => "bytea",
    }
}

/// Column `idx` of every row of `batch`, as one array parameter of the column's kind.
fn column_array(
    batch: &Batch,
    idx: usize,
    ty: Ty,
) -> Result<Box<dyn ToSql + Sync + '_>, CopyError> {
    let table = batch.table();
    let mismatch = || CopyError::Write {
        table,
        detail: format!(
            "column {} holds a value of another kind or range",
            table.column(idx)
        ),
    };
    let cells = batch.rows().iter().map(|r| r.values().get(idx));
    Ok(match ty {
        Ty::Int => Box::new(
            cells
                .map(|v| match v {
                    Some(Value::Int(v)) => Ok(Some(*v)),
                    Some(Value::Null) => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Ty::Int32 => Box::new(
            cells
                .map(|v| match v {
                    Some(Value::Int(v)) => i32::try_from(*v).map(Some).map_err(|_| mismatch()),
                    Some(Value::Null) => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Ty::Bool => Box::new(
            cells
                .map(|v| match v {
                    Some(Value::Bool(v)) => Ok(Some(*v)),
                    Some(Value::Null) => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Ty::Text => Box::new(
            cells
                .map(|v| match v {
                    Some(Value::Text(v)) => Ok(Some(v.as_ref())),
                    Some(Value::Null) => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<Result<Vec<Option<&str>>, _>>()?,
        ),
        Ty::Blob => Box::new(
            cells
                .map(|v| match v {
                    Some(Value::Blob(v)) => Ok(Some(v.as_ref())),
                    Some(Value::Null) => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<Result<Vec<Option<&[u8]>>, _>>()?,
        ),
    })
}
