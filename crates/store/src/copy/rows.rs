//! The backend-neutral row model of a copy: a [`Row`] holds every column of its table's
//! schema (`crate::schema`) exactly as stored (names, name keys, rights text, times,
//! hashes, digests), so that a copy loses nothing and a column added to the schema is
//! copied without a change here.
//!
//! `Debug` of a row prints `<redacted>` in place of a password hash or a digest: rows
//! may end up in a test's failure message or a log line.

use std::fmt;

use super::error::CopyError;
pub use crate::schema::Table;
use crate::sql::{RawRow, Value};

/// One row of a table: every column of the table's schema, in its order.
#[derive(Clone, PartialEq)]
pub struct Row {
    table: Table,
    values: Vec<Value<'static>>,
}

impl Row {
    /// Reads every column of a row of `table` selected with [`select_sql`].
    pub(crate) fn read(table: Table, raw: &dyn RawRow) -> Result<Row, CopyError> {
        let values = table
            .columns()
            .iter()
            .enumerate()
            .map(|(i, column)| {
                raw.value(i, column.ty).map_err(|detail| CopyError::Read {
                    table,
                    detail: format!("column {}: {detail}", table.column(i)),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Row { table, values })
    }

    pub fn table(&self) -> Table {
        self.table
    }

    /// Every column's value, in the order of the table's columns.
    pub(crate) fn values(&self) -> &[Value<'static>] {
        &self.values
    }

    fn get(&self, column: &str) -> Option<&Value<'static>> {
        self.table.index(column).and_then(|i| self.values.get(i))
    }

    /// An integer column's value; `None` when it is `NULL` or not an integer column.
    pub fn int(&self, column: &str) -> Option<i64> {
        match self.get(column) {
            Some(Value::Int(v)) => Some(*v),
            _ => None,
        }
    }

    /// A text column's value; `None` when it is `NULL` or not a text column.
    pub fn text(&self, column: &str) -> Option<&str> {
        match self.get(column) {
            Some(Value::Text(v)) => Some(&**v),
            _ => None,
        }
    }

    /// The row's key (its `id`), where the next batch starts.
    fn key(&self) -> Option<After> {
        match self.get("id")? {
            Value::Int(id) => Some(After::Id(*id)),
            Value::Text(id) => Some(After::Text(id.to_string())),
            _ => None,
        }
    }
}

const REDACTED: &str = "<redacted>";

impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut row = f.debug_struct(self.table.name());
        for (column, value) in self.table.columns().iter().zip(&self.values) {
            if column.secret && *value != Value::Null {
                row.field(column.name, &REDACTED);
            } else {
                row.field(column.name, value);
            }
        }
        row.finish()
    }
}

/// A run of rows of one table, in key order, as read from a source and written to a target.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    table: Table,
    rows: Vec<Row>,
}

/// Where the next batch of a table starts: at the beginning, or after this key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    Start,
    Id(i64),
    Text(String),
}

impl Batch {
    pub(crate) fn new(table: Table, rows: Vec<Row>) -> Batch {
        Batch { table, rows }
    }

    pub fn table(&self) -> Table {
        self.table
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The key of the last row, where the next batch starts; `None` when empty.
    pub(crate) fn last_key(&self) -> Option<After> {
        self.rows.last().and_then(Row::key)
    }
}

/// `SELECT` of every column of the next `LIMIT` rows after a key, in key order; the
/// backend's placeholders are given as `key` and `limit`.
pub(crate) fn select_sql(table: Table, after: &After, key: &str, limit: &str) -> String {
    let columns = table.column_list();
    match after {
        After::Start => format!("SELECT {columns} FROM {table} ORDER BY id LIMIT {limit}"),
        _ => format!("SELECT {columns} FROM {table} WHERE id > {key} ORDER BY id LIMIT {limit}"),
    }
}

/// What an `INSERT` of a copied row adds so that it overwrites a row of the same id: only
/// for the tenants, whose default tenant a fresh target already has (its migrations
/// create it).
pub(crate) fn upsert_suffix(table: Table) -> String {
    if table != Table::Tenants {
        return String::new();
    }
    let sets: Vec<String> = table
        .columns()
        .iter()
        .filter(|c| c.name != "id")
        .map(|c| format!("{0} = excluded.{0}", c.name))
        .collect();
    format!(" ON CONFLICT (id) DO UPDATE SET {}", sets.join(", "))
}

/// Every row of an installation, table by table (tests compare a source and its copy).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Everything {
    pub tenants: Vec<Row>,
    pub associates: Vec<Row>,
    pub password_history: Vec<Row>,
    pub apps: Vec<Row>,
    pub audit: Vec<Row>,
    pub tickets: Vec<Row>,
}

impl Everything {
    /// Appends a batch to its table.
    pub(crate) fn push(&mut self, batch: Batch) {
        let rows = match batch.table {
            Table::Tenants => &mut self.tenants,
            Table::Associates => &mut self.associates,
            Table::PasswordHistory => &mut self.password_history,
            Table::Apps => &mut self.apps,
            Table::Audit => &mut self.audit,
            Table::Tickets => &mut self.tickets,
        };
        rows.extend(batch.rows);
    }
}
