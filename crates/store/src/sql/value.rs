//! Values in neither backend's types: what a statement binds ([`Value`]) and how a row's
//! columns are read ([`RawRow`], implemented by each backend's row type, and [`Cols`],
//! which looks columns up by name and turns a bad value into an error naming the column,
//! never the value).

use std::borrow::Cow;

use accounts::{StoreError, Timestamp};

use super::Result;
use crate::schema::Table;

/// The kinds of column the schema has. `Int` is a 64-bit integer (`BIGINT` on
/// PostgreSQL), `Int32` one that holds 32 bits (`INTEGER` on PostgreSQL; a wider value in
/// SQLite, whose integers are all 64-bit, is refused when read); both are [`Value::Int`].
/// `Bool` is SQLite's `INTEGER` 0/1 and PostgreSQL's `BOOLEAN`; `Blob` is `BLOB`/`BYTEA`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Int,
    Int32,
    Bool,
    Text,
    Blob,
}

/// A parameter or a column value. Text and blobs borrow what a statement binds and own
/// what a row yields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<i32> for Value<'_> {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}

impl From<u32> for Value<'_> {
    fn from(v: u32) -> Self {
        Value::Int(v.into())
    }
}

/// A count or limit beyond `i64` is `i64::MAX`: no table holds that many rows.
impl From<usize> for Value<'_> {
    fn from(v: usize) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<Timestamp> for Value<'_> {
    fn from(v: Timestamp) -> Self {
        Value::Int(v.0)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(v: &'a String) -> Self {
        Value::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Value<'_> {
    fn from(v: String) -> Self {
        Value::Text(Cow::Owned(v))
    }
}

impl<'a> From<&'a [u8]> for Value<'a> {
    fn from(v: &'a [u8]) -> Self {
        Value::Blob(Cow::Borrowed(v))
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One row as a backend returned it.
pub(crate) trait RawRow {
    /// Column `idx` read as `ty` (SQL `NULL` as [`Value::Null`]); an error describes the
    /// mismatch without the value.
    fn value(&self, idx: usize, ty: Ty) -> std::result::Result<Value<'static>, String>;
}

/// A row of a known table, read by column name.
pub(crate) struct Cols<'r> {
    raw: &'r dyn RawRow,
    table: Table,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(raw: &'r dyn RawRow, table: Table) -> Cols<'r> {
        Cols { raw, table }
    }

    /// The error for a value of `column` that the domain does not accept.
    pub(crate) fn invalid(&self, column: &str) -> StoreError {
        self.undecodable(column, "")
    }

    fn undecodable(&self, column: &str, detail: &str) -> StoreError {
        let table = self.table;
        if detail.is_empty() {
            StoreError::Backend(format!("cannot decode column {table}.{column}"))
        } else {
            StoreError::Backend(format!("cannot decode column {table}.{column}: {detail}"))
        }
    }

    fn at(&self, idx: usize, column: &str, ty: Ty) -> Result<Value<'static>> {
        self.raw
            .value(idx, ty)
            .map_err(|detail| self.undecodable(column, &detail))
    }

    /// Column `column` read as `ty`; an integer is read as the schema declares it, so
    /// that a 32-bit column's range is checked.
    fn get(&self, column: &str, ty: Ty) -> Result<Value<'static>> {
        let idx = self
            .table
            .index(column)
            .ok_or_else(|| self.undecodable(column, "no such column"))?;
        let declared = self.table.columns().get(idx).map(|c| c.ty);
        let ty = match (ty, declared) {
            (Ty::Int, Some(Ty::Int32)) => Ty::Int32,
            _ => ty,
        };
        self.at(idx, column, ty)
    }

    /// An integer column that may be `NULL`, converted to `T` (an id, a count).
    pub(crate) fn opt_int<T: TryFrom<i64>>(&self, column: &str) -> Result<Option<T>> {
        match self.get(column, Ty::Int)? {
            Value::Null => Ok(None),
            Value::Int(v) => T::try_from(v)
                .map(Some)
                .map_err(|_| self.undecodable(column, "out of range")),
            _ => Err(self.undecodable(column, "")),
        }
    }

    pub(crate) fn int<T: TryFrom<i64>>(&self, column: &str) -> Result<T> {
        self.opt_int(column)?
            .ok_or_else(|| self.undecodable(column, "NULL"))
    }

    pub(crate) fn time(&self, column: &str) -> Result<Timestamp> {
        self.int(column).map(Timestamp)
    }

    pub(crate) fn opt_time(&self, column: &str) -> Result<Option<Timestamp>> {
        Ok(self.opt_int(column)?.map(Timestamp))
    }

    pub(crate) fn bool(&self, column: &str) -> Result<bool> {
        match self.get(column, Ty::Bool)? {
            Value::Bool(v) => Ok(v),
            _ => Err(self.undecodable(column, "")),
        }
    }

    pub(crate) fn opt_text(&self, column: &str) -> Result<Option<String>> {
        match self.get(column, Ty::Text)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v.into_owned())),
            _ => Err(self.undecodable(column, "")),
        }
    }

    pub(crate) fn text(&self, column: &str) -> Result<String> {
        self.opt_text(column)?
            .ok_or_else(|| self.undecodable(column, "NULL"))
    }

    /// A blob column of exactly `N` bytes (a SHA-256 digest).
    pub(crate) fn bytes<const N: usize>(&self, column: &str) -> Result<[u8; N]> {
        match self.get(column, Ty::Blob)? {
            Value::Blob(v) => v
                .as_ref()
                .try_into()
                .map_err(|_| self.undecodable(column, "wrong length")),
            _ => Err(self.undecodable(column, "")),
        }
    }

    /// The first column as an integer, for queries that select one computed value
    /// (`SELECT COUNT(*)`).
    pub(crate) fn first_int<T: TryFrom<i64>>(&self, what: &str) -> Result<T> {
        match self.at(0, what, Ty::Int)? {
            Value::Int(v) => T::try_from(v).map_err(|_| self.undecodable(what, "out of range")),
            _ => Err(self.undecodable(what, "")),
        }
    }
}
