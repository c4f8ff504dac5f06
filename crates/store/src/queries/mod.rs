//! Every statement behind the `Store` methods, written once over [`crate::sql`]'s traits
//! and run by both backends. Each multi-statement write is one transaction ([`crate::sql::Tx`]);
//! a read-modify-write reads its row `FOR UPDATE`, which on PostgreSQL locks the row (so
//! concurrent writers, from any number of server nodes, queue on it and none is lost) and
//! which SQLite, whose transaction holds the write lock from its start, drops.
//!
//! A flow is an `async fn` that takes an open transaction (`mut tx: impl Tx`), runs its
//! statements on it and ends with `tx.commit()` (any `?` before that rolls back). The
//! backends' `Store` methods open the transaction and call it:
//! `self.pool.write(move |c| complete(queries::f(begin(c)?, …)))` on SQLite and
//! `with_conn!(self, "…", |c| async { queries::f(c.begin().await?, …).await })` on
//! PostgreSQL. A single statement takes `&mut impl Exec`, a connection outside a
//! transaction: `on(c)` and `c.db()`.

mod apps;
mod audit;
mod directory;
mod passwords;
mod tickets;

pub(crate) use apps::*;
pub(crate) use audit::*;
pub(crate) use directory::*;
pub(crate) use passwords::*;
pub(crate) use tickets::*;

use accounts::{AuditEvent, StoreError};

use crate::schema::{self, Fields, Table};
use crate::sql::{Decode, Exec, Query, Result, Value};

/// `SELECT` of every column of `table`, followed by `rest` (`WHERE …`).
fn select(table: Table, rest: &str) -> String {
    format!("SELECT {} FROM {table} {rest}", table.column_list())
}

/// `INSERT` of `fields` into `table`, with `?N` placeholders, and the values to bind.
fn insert_sql<'a>(table: Table, fields: Fields<'a>) -> (String, Vec<Value<'a>>) {
    let mut names = Vec::with_capacity(fields.len());
    let mut marks = Vec::with_capacity(fields.len());
    let mut values = Vec::with_capacity(fields.len());
    for (i, (name, value)) in fields.into_iter().enumerate() {
        names.push(name);
        marks.push(format!("?{}", i + 1));
        values.push(value);
    }
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    (sql, values)
}

/// Inserts one row and reads it back whole (`RETURNING`); a clash on a unique key over
/// one of `unique` is [`StoreError::Conflict`].
async fn insert_returning<E: Exec, T: Send>(
    db: &mut E,
    what: &'static str,
    table: Table,
    fields: Fields<'_>,
    unique: &'static [&'static str],
    decode: Decode<T>,
) -> Result<T> {
    let (sql, values) = insert_sql(table, fields);
    let sql = format!("{sql} RETURNING {}", table.column_list());
    let q = Query::new(what, table, &sql).conflict_on(unique);
    db.query_opt(&q, &values, decode)
        .await?
        .ok_or_else(|| StoreError::Backend(format!("{what}: the new row cannot be read back")))
}

async fn write_audit<E: Exec>(db: &mut E, event: &AuditEvent) -> Result<()> {
    let (sql, values) = insert_sql(Table::Audit, schema::new_audit_event(event));
    db.exec(&Query::new("insert audit", Table::Audit, &sql), &values)
        .await?;
    Ok(())
}
