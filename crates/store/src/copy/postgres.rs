//! Dump from and load into PostgreSQL, on one dedicated connection per side.
//!
//! As a source the connection holds one `REPEATABLE READ READ ONLY` transaction, so the
//! copy reads one consistent snapshot. As a target it holds one transaction for the whole
//! copy; if the connection goes away before [`PgDb::commit`], PostgreSQL rolls it back.
//! Rows are written a batch per statement, each column sent as one array parameter and
//! expanded with `unnest`, which costs one round trip per batch however wide it is.

use std::str::FromStr;

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, Row};

use super::decode::{empty, push, Column, SourceRow};
use super::error::{CopyError, Side};
use super::rows::{
    After, AppRow, AssociateRow, AuditRow, Batch, HistoryRow, Table, TenantRow, TicketRow,
};
use crate::error::OpenError;
use crate::postgres::pool;
use crate::postgres::rows::describe;

pub(crate) struct PgDb {
    client: Client,
    side: Side,
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

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
                let sql = table.select_sql(&after, "", "$1");
                self.client.query(&sql, &[&limit]).await
            }
            After::Id(id) => {
                let sql = table.select_sql(&after, "$1::bigint", "$2");
                self.client.query(&sql, &[id, &limit]).await
            }
            After::Text(text) => {
                let sql = table.select_sql(&after, "$1::text", "$2");
                self.client.query(&sql, &[text, &limit]).await
            }
        }
        .map_err(read_error)?;
        decode(table, &rows)
    }

    pub(crate) async fn write(&self, batch: Batch) -> Result<(), CopyError> {
        let table = batch.table();
        match &batch {
            Batch::Tenants(rows) => self.write_tenants(rows).await,
            Batch::Associates(rows) => self.write_associates(rows).await,
            Batch::PasswordHistory(rows) => self.write_history(rows).await,
            Batch::Apps(rows) => self.write_apps(rows).await,
            Batch::Audit(rows) => self.write_audit(rows).await,
            Batch::Tickets(rows) => self.write_tickets(rows).await,
        }
        .map_err(|e| CopyError::Write {
            table,
            detail: describe(&e),
        })
    }

    /// `INSERT … SELECT * FROM unnest($1::type[], …)` with one array per column.
    async fn insert(
        &self,
        table: Table,
        types: &[&str],
        suffix: &str,
        params: Params<'_>,
    ) -> Result<(), tokio_postgres::Error> {
        let arrays: Vec<String> = types
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("${}::{ty}[]", i + 1))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) SELECT * FROM unnest({}){suffix}",
            table.columns().join(", "),
            arrays.join(", ")
        );
        self.client.execute(&sql, params).await.map(|_| ())
    }

    async fn write_tenants(&self, rows: &[TenantRow]) -> Result<(), tokio_postgres::Error> {
        let id: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let name: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        let key: Vec<&str> = rows.iter().map(|r| r.name_key.as_str()).collect();
        let created: Vec<i64> = rows.iter().map(|r| r.created_at).collect();
        // The default tenant that migrations create is overwritten by the source's.
        self.insert(
            Table::Tenants,
            &["bigint", "text", "text", "bigint"],
            " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, \
             name_key = EXCLUDED.name_key, created_at = EXCLUDED.created_at",
            &[&id, &name, &key, &created],
        )
        .await
    }

    async fn write_associates(&self, rows: &[AssociateRow]) -> Result<(), tokio_postgres::Error> {
        let id: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let tenant: Vec<i64> = rows.iter().map(|r| r.tenant_id).collect();
        let name: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        let key: Vec<&str> = rows.iter().map(|r| r.name_key.as_str()).collect();
        let full: Vec<&str> = rows.iter().map(|r| r.full_name.as_str()).collect();
        let ty: Vec<&str> = rows.iter().map(|r| r.user_type.as_str()).collect();
        let rights: Vec<&str> = rows.iter().map(|r| r.rights.as_str()).collect();
        let retired: Vec<bool> = rows.iter().map(|r| r.retired).collect();
        let hash: Vec<Option<&str>> = rows.iter().map(|r| r.password_hash.as_deref()).collect();
        let created: Vec<Option<i64>> = rows.iter().map(|r| r.created_at).collect();
        let must: Vec<bool> = rows.iter().map(|r| r.must_change).collect();
        let failed: Vec<i32> = rows.iter().map(|r| r.failed_logins).collect();
        let first: Vec<Option<i64>> = rows.iter().map(|r| r.first_failure_at).collect();
        let locked: Vec<Option<i64>> = rows.iter().map(|r| r.locked_until).collect();
        self.insert(
            Table::Associates,
            &[
                "integer", "bigint", "text", "text", "text", "text", "text", "boolean", "text",
                "bigint", "boolean", "integer", "bigint", "bigint",
            ],
            "",
            &[
                &id, &tenant, &name, &key, &full, &ty, &rights, &retired, &hash, &created, &must,
                &failed, &first, &locked,
            ],
        )
        .await
    }

    async fn write_history(&self, rows: &[HistoryRow]) -> Result<(), tokio_postgres::Error> {
        let id: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let associate: Vec<i32> = rows.iter().map(|r| r.associate_id).collect();
        let hash: Vec<&str> = rows.iter().map(|r| r.password_hash.as_str()).collect();
        let replaced: Vec<i64> = rows.iter().map(|r| r.replaced_at).collect();
        self.insert(
            Table::PasswordHistory,
            &["bigint", "integer", "text", "bigint"],
            "",
            &[&id, &associate, &hash, &replaced],
        )
        .await
    }

    async fn write_apps(&self, rows: &[AppRow]) -> Result<(), tokio_postgres::Error> {
        let id: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let tenant: Vec<i64> = rows.iter().map(|r| r.tenant_id).collect();
        let name: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        let key: Vec<&str> = rows.iter().map(|r| r.name_key.as_str()).collect();
        let digest: Vec<&[u8]> = rows.iter().map(|r| r.digest.as_slice()).collect();
        let um: Vec<bool> = rows.iter().map(|r| r.user_management).collect();
        let created: Vec<i64> = rows.iter().map(|r| r.created_at).collect();
        let revoked: Vec<Option<i64>> = rows.iter().map(|r| r.revoked_at).collect();
        self.insert(
            Table::Apps,
            &[
                "bigint", "bigint", "text", "text", "bytea", "boolean", "bigint", "bigint",
            ],
            "",
            &[&id, &tenant, &name, &key, &digest, &um, &created, &revoked],
        )
        .await
    }

    async fn write_audit(&self, rows: &[AuditRow]) -> Result<(), tokio_postgres::Error> {
        let id: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let tenant: Vec<i64> = rows.iter().map(|r| r.tenant_id).collect();
        let at: Vec<i64> = rows.iter().map(|r| r.at).collect();
        let actor: Vec<Option<i32>> = rows.iter().map(|r| r.actor).collect();
        let target: Vec<Option<i32>> = rows.iter().map(|r| r.target).collect();
        let op: Vec<&str> = rows.iter().map(|r| r.operation.as_str()).collect();
        let outcome: Vec<&str> = rows.iter().map(|r| r.outcome.as_str()).collect();
        let client: Vec<Option<&str>> = rows.iter().map(|r| r.client.as_deref()).collect();
        let app: Vec<Option<&str>> = rows.iter().map(|r| r.app.as_deref()).collect();
        let op_id: Vec<Option<&str>> = rows.iter().map(|r| r.operation_id.as_deref()).collect();
        self.insert(
            Table::Audit,
            &[
                "bigint", "bigint", "bigint", "integer", "integer", "text", "text", "text", "text",
                "text",
            ],
            "",
            &[
                &id, &tenant, &at, &actor, &target, &op, &outcome, &client, &app, &op_id,
            ],
        )
        .await
    }

    async fn write_tickets(&self, rows: &[TicketRow]) -> Result<(), tokio_postgres::Error> {
        let id: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let digest: Vec<&[u8]> = rows.iter().map(|r| r.digest.as_slice()).collect();
        let associate: Vec<i32> = rows.iter().map(|r| r.associate_id).collect();
        let created: Vec<i64> = rows.iter().map(|r| r.created_at).collect();
        let expires: Vec<i64> = rows.iter().map(|r| r.expires_at).collect();
        let app: Vec<Option<i64>> = rows.iter().map(|r| r.app_id).collect();
        self.insert(
            Table::Tickets,
            &["text", "bytea", "integer", "bigint", "bigint", "bigint"],
            "",
            &[&id, &digest, &associate, &created, &expires, &app],
        )
        .await
    }
}

impl SourceRow for Row {
    fn col<T: Column>(&self, table: Table, idx: usize) -> Result<T, CopyError> {
        self.try_get(idx).map_err(|_| CopyError::Read {
            table,
            detail: format!("cannot decode column {}", table.column(idx)),
        })
    }
}

fn decode(table: Table, rows: &[Row]) -> Result<Batch, CopyError> {
    let mut batch = empty(table);
    for r in rows {
        push(&mut batch, r)?;
    }
    Ok(batch)
}
