//! SQLite's side of the neutral values: a [`Value`] binds as SQLite's own kind (a
//! boolean as the integer 0 or 1), and a row's column reads as the kind the schema
//! declares, strictly: a boolean column holds 0 or 1, a 32-bit column no wider value.

use std::borrow::Cow;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::ToSql;

use super::error::describe;
use crate::sql::{RawRow, Ty, Value};

impl ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Bool(v) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*v))),
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Blob(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
        })
    }
}

impl RawRow for rusqlite::Row<'_> {
    fn value(&self, idx: usize, ty: Ty) -> std::result::Result<Value<'static>, String> {
        let found = self.get_ref(idx).map_err(|e| describe(&e))?;
        match (found, ty) {
            (ValueRef::Null, _) => Ok(Value::Null),
            (ValueRef::Integer(v), Ty::Int) => Ok(Value::Int(v)),
            (ValueRef::Integer(v), Ty::Int32) => i32::try_from(v)
                .map(|_| Value::Int(v))
                .map_err(|_| "an integer out of range for its column".to_owned()),
            (ValueRef::Integer(0), Ty::Bool) => Ok(Value::Bool(false)),
            (ValueRef::Integer(1), Ty::Bool) => Ok(Value::Bool(true)),
            (ValueRef::Text(v), Ty::Text) => std::str::from_utf8(v)
                .map(|s| Value::Text(Cow::Owned(s.to_owned())))
                .map_err(|_| "not UTF-8".to_owned()),
            (ValueRef::Blob(v), Ty::Blob) => Ok(Value::Blob(Cow::Owned(v.to_vec()))),
            (other, _) => Err(format!(
                "a {} value where {ty:?} was expected",
                other.data_type()
            )),
        }
    }
}
