//! The statement layer both backends share: what a query, a parameter and a row are,
//! and the two traits every backend implements ([`Exec`], [`Tx`]), so that
//! each query and each multi-statement flow (`crate::queries`) is written once.
//!
//! Why this and not a query builder (such as `sea-query`): the statements are a fixed,
//! short list whose SQL is nearly the same on both backends, and reads best as SQL. What
//! differs is small and mechanical, and each backend's `dialect` module handles it in one
//! place: placeholders (`?1` is written; PostgreSQL gets `$1`), `FOR UPDATE` (written;
//! SQLite, whose writers hold the database's write lock from `BEGIN IMMEDIATE`, drops
//! it), booleans and blobs ([`Value`] maps to `INTEGER`/`BOOLEAN`, `BLOB`/`BYTEA`),
//! integers of either width, and how a unique-key clash reads. A builder would still need
//! the transaction flows and the row decoding written over something like these traits,
//! and would add a dependency and a second language for the same statements.
//!
//! SQL written here uses only what both backends accept: `?N` placeholders, `RETURNING`,
//! `TRUE`/`FALSE`, `ON CONFLICT … DO UPDATE`, and `CAST(?N AS type)` where a parameter's
//! type cannot be inferred from its use (`CAST(?2 AS TEXT) IS NULL`).
//!
//! How a backend runs a flow: PostgreSQL awaits it on its connection; SQLite calls it
//! from its blocking pool thread and polls it once (`sqlite::dialect::complete`): every
//! SQLite future here is ready at once, since the connection is synchronous.

mod value;

use std::future::Future;

use accounts::StoreError;

use crate::schema::Table;

pub(crate) use value::{Cols, RawRow, Ty, Value};

pub(crate) type Result<T> = std::result::Result<T, StoreError>;

/// Decodes one row of a query's table into `T`.
pub(crate) type Decode<T> = fn(&Cols<'_>) -> Result<T>;

/// One statement: its SQL (with `?N` placeholders, see the module doc), the table whose
/// columns its rows carry (what [`Cols`] looks names up in), what it does (for error
/// texts) and the unique keys whose clash is [`StoreError::Conflict`] rather than a
/// failure.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query<'s> {
    pub(crate) what: &'static str,
    pub(crate) table: Table,
    pub(crate) sql: &'s str,
    /// Columns of `table` (`"name_key"`) whose unique key, when it clashes, is a conflict.
    pub(crate) unique: &'static [&'static str],
}

impl<'s> Query<'s> {
    pub(crate) const fn new(what: &'static str, table: Table, sql: &'s str) -> Query<'s> {
        Query {
            what,
            table,
            sql,
            unique: &[],
        }
    }

    /// The same statement, with a clash on a unique key over one of `columns` reported as
    /// [`StoreError::Conflict`].
    pub(crate) const fn conflict_on(self, columns: &'static [&'static str]) -> Query<'s> {
        Query {
            unique: columns,
            ..self
        }
    }
}

/// Runs statements: a connection outside a transaction (each statement commits on its
/// own) or a transaction.
pub(crate) trait Exec: Send {
    /// Runs a statement; the number of rows it changed.
    fn exec(
        &mut self,
        q: &Query<'_>,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<u64>> + Send;

    /// Runs a query expected to return at most one row, decoding it with `decode`.
    fn query_opt<T: Send>(
        &mut self,
        q: &Query<'_>,
        params: &[Value<'_>],
        decode: Decode<T>,
    ) -> impl Future<Output = Result<Option<T>>> + Send;

    /// Runs a query and decodes every row with `decode`, in the order returned.
    fn query_all<T: Send>(
        &mut self,
        q: &Query<'_>,
        params: &[Value<'_>],
        decode: Decode<T>,
    ) -> impl Future<Output = Result<Vec<T>>> + Send;
}

/// An open write transaction: committed by [`Tx::commit`], rolled back when dropped
/// without it (so `?` on any step leaves nothing behind).
///
/// The backend opens it (`sqlite::dialect::begin`, `postgres::dialect::Session::begin`)
/// and hands it to a flow, which takes it by value and commits it. On SQLite it holds
/// the database's write lock from the start (`BEGIN IMMEDIATE`), so a read-modify-write
/// in it never meets a concurrent writer; on PostgreSQL such a flow locks its rows
/// (`SELECT … FOR UPDATE`).
pub(crate) trait Tx: Exec {
    fn commit(self) -> impl Future<Output = Result<()>> + Send;
}
