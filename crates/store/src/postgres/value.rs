//! PostgreSQL's side of the neutral values: a [`Value`] binds as the parameter's type
//! that PostgreSQL inferred, and a row's column reads as the kind the schema declares.

use std::borrow::Cow;

use bytes::BytesMut;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::Row;

use crate::sql::{RawRow, Ty, Value};

/// Binds as the parameter's type, which PostgreSQL inferred when the statement was
/// prepared: an integer as `SMALLINT`, `INTEGER` or `BIGINT` (out of range is an error),
/// and a value of another kind than the parameter's is an error, not a conversion.
impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT2 => checked(&i16::try_from(*v)?, ty, out),
                Type::INT4 => checked(&i32::try_from(*v)?, ty, out),
                _ => checked(v, ty, out),
            },
            Value::Bool(v) => checked(v, ty, out),
            Value::Text(v) => checked::<&str>(&&**v, ty, out),
            Value::Blob(v) => checked::<&[u8]>(&&**v, ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn checked<T: ToSql>(
    value: &T,
    ty: &Type,
    out: &mut BytesMut,
) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
    if T::accepts(ty) {
        value.to_sql(ty, out)
    } else {
        Err(format!("a value of another kind bound to a {ty} parameter").into())
    }
}

impl RawRow for Row {
    fn value(&self, idx: usize, ty: Ty) -> std::result::Result<Value<'static>, String> {
        let column = self
            .columns()
            .get(idx)
            .ok_or_else(|| "no such column".to_owned())?;
        let wrong = |_| format!("a {} where {ty:?} was expected", column.type_());
        Ok(match ty {
            Ty::Int | Ty::Int32 => match *column.type_() {
                Type::INT2 => self
                    .try_get::<_, Option<i16>>(idx)
                    .map_err(wrong)?
                    .map(i64::from),
                Type::INT4 => self
                    .try_get::<_, Option<i32>>(idx)
                    .map_err(wrong)?
                    .map(i64::from),
                _ => self.try_get::<_, Option<i64>>(idx).map_err(wrong)?,
            }
            .map_or(Value::Null, Value::Int),
            Ty::Bool => self
                .try_get::<_, Option<bool>>(idx)
                .map_err(wrong)?
                .map_or(Value::Null, Value::Bool),
            Ty::Text => self
                .try_get::<_, Option<String>>(idx)
                .map_err(wrong)?
                .map_or(Value::Null, |v| Value::Text(Cow::Owned(v))),
            Ty::Blob => self
                .try_get::<_, Option<Vec<u8>>>(idx)
                .map_err(wrong)?
                .map_or(Value::Null, |v| Value::Blob(Cow::Owned(v))),
        })
    }
}
