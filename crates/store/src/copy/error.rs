//! The one error type of a copy. Messages say which side (source or target), which table
//! and what happened; they never carry a database URL (only its scheme or an SQLite path),
//! a row's values, a hash or a digest.

use std::fmt;
use std::path::PathBuf;

use super::rows::Table;
use crate::error::OpenError;

/// Which database of a copy an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Source,
    Target,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Source => "source",
            Side::Target => "target",
        })
    }
}

/// One table whose counts differ after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub table: Table,
    pub source: u64,
    pub target: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("cannot open the {side} database: {error}")]
    Open { side: Side, error: OpenError },
    #[error("the source database file {0} does not exist")]
    SourceMissing(PathBuf),
    #[error(
        "an in-memory database cannot be the {0} of a copy: it lives only as long as the \
         command; name a file (sqlite://PATH) or a PostgreSQL database"
    )]
    InMemory(Side),
    #[error("the source and the target are the same database")]
    SameDatabase,
    #[error(
        "the target already holds data ({}); copying into it would mix two installations. \
         Pass --force to replace everything in the target with the source's data",
        describe_occupied(.0)
    )]
    TargetNotEmpty(Vec<(Table, u64)>),
    #[error("cannot read table {table} from the source: {detail}")]
    Read { table: Table, detail: String },
    #[error("cannot write table {table} to the target: {detail}")]
    Write { table: Table, detail: String },
    #[error("{side} database: {detail}")]
    Database { side: Side, detail: String },
    #[error(
        "the counts differ after the copy ({}); nothing was committed to the target",
        describe_mismatches(.0)
    )]
    CountMismatch(Vec<Mismatch>),
    #[error("the task running the copy failed: {0}")]
    Task(String),
}

impl CopyError {
    pub(crate) fn database(side: Side, detail: impl Into<String>) -> CopyError {
        CopyError::Database {
            side,
            detail: detail.into(),
        }
    }
}

fn rows(n: u64) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

fn describe_occupied(tables: &[(Table, u64)]) -> String {
    let parts: Vec<String> = tables
        .iter()
        .map(|(table, n)| format!("table {table} has {}", rows(*n)))
        .collect();
    parts.join(", ")
}

fn describe_mismatches(all: &[Mismatch]) -> String {
    let parts: Vec<String> = all
        .iter()
        .map(|m| {
            format!(
                "{}: {} in the source, {} in the target",
                m.table, m.source, m.target
            )
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_tables_and_counts() {
        let e = CopyError::TargetNotEmpty(vec![(Table::Associates, 1), (Table::Audit, 3)]);
        let text = e.to_string();
        assert!(
            text.contains("table associates has 1 row")
                && text.contains("table audit has 3 rows")
                && text.contains("--force"),
            "{text}"
        );
        let e = CopyError::CountMismatch(vec![Mismatch {
            table: Table::Audit,
            source: 5,
            target: 4,
        }]);
        assert!(e
            .to_string()
            .contains("audit: 5 in the source, 4 in the target"));
    }
}
