//! `store copy`: moves a whole installation from one store to another (typically from the
//! embedded SQLite file to PostgreSQL), table by table, keeping every id.
//!
//! This is table-level bulk work, so it lives here beside the backends and not in
//! `accounts::Store`, whose methods serve requests one associate at a time. The pieces:
//!
//! - [`rows`]: a backend-neutral row model, a row holding every column of its table's
//!   schema as stored;
//! - `sqlite` and `postgres`: each backend's dump (batches of rows in id order, from one
//!   read snapshot) and load (batched inserts into one write transaction, identity
//!   sequences set past the highest copied id, row counts);
//! - [`copy`] here: opens both sides with [`crate::open`] (so each is migrated to the
//!   current schema), refuses a target that already holds data unless told to replace
//!   it, streams every table across, compares the counts inside the target's transaction
//!   and commits only when they match. Any failure leaves the target as it was.
//!
//! Tickets are copied only on request ([`Options::with_tickets`]): by default users log
//! in again on the new store.

mod error;
mod postgres;
pub mod rows;
mod sqlite;

use std::path::Path;

pub use error::{CopyError, Mismatch, Side};
pub use rows::{Batch, Everything, Row, Table};

use crate::location::{self, Location};
use postgres::PgDb;
use rows::After;
use sqlite::SqliteDb;

/// Rows per batch: large enough that a round trip to PostgreSQL carries real work, small
/// enough that a batch of associates (with their hashes) stays a few megabytes.
pub const DEFAULT_BATCH_ROWS: usize = 5_000;

/// What to copy and how to treat a target that already holds data.
#[derive(Debug, Clone)]
pub struct Options {
    /// Copy log-in tickets too, so that users stay logged in.
    pub with_tickets: bool,
    /// Replace the target's data: empty its tables inside the copy's transaction first.
    pub force: bool,
    /// Rows read and written per batch.
    pub batch_rows: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            with_tickets: false,
            force: false,
            batch_rows: DEFAULT_BATCH_ROWS,
        }
    }
}

/// Told about each table as the copy goes; `NoProgress` ignores everything.
pub trait Progress {
    /// The copy of `table`, which has `rows` rows in the source, starts.
    fn table_started(&mut self, table: Table, rows: u64);
    /// `rows` more rows of the table are in the target.
    fn rows_copied(&mut self, table: Table, rows: u64);
    /// The table is done.
    fn table_done(&mut self, table: Table);
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn table_started(&mut self, _: Table, _: u64) {}
    fn rows_copied(&mut self, _: Table, _: u64) {}
    fn table_done(&mut self, _: Table) {}
}

/// One table's row counts after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: Table,
    pub source: u64,
    /// `None` when the table was not copied (tickets without `with_tickets`).
    pub target: Option<u64>,
}

/// What a successful copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Every table, in [`Table::ALL`] order.
    pub counts: Vec<TableCount>,
    /// Whether the target held data that was replaced (only with [`Options::force`]).
    pub replaced: Vec<(Table, u64)>,
}

/// Copies the installation at `from` into `to` (see the module documentation).
pub async fn copy(
    from: &str,
    to: &str,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Report, CopyError> {
    let (source, target) = locate(from, to)?;
    let source = Db::open(from, &source, Side::Source).await?;
    let target = Db::open(to, &target, Side::Target).await?;
    source.begin_read().await?;
    target.begin_write().await?;

    let occupied = occupied(&target).await?;
    if !occupied.is_empty() {
        if !options.force {
            return Err(CopyError::TargetNotEmpty(occupied));
        }
        target.wipe().await?;
    }

    let mut counts = Vec::new();
    for table in Table::ALL {
        let rows = source.count(table).await?;
        let copied = table != Table::Tickets || options.with_tickets;
        if copied {
            progress.table_started(table, rows);
            copy_table(&source, &target, table, options.batch_rows, progress).await?;
            if table.has_sequence() {
                target
                    .raise_sequence(table, source.high_water(table).await?)
                    .await?;
            }
            progress.table_done(table);
        }
        counts.push(TableCount {
            table,
            source: rows,
            target: if copied {
                Some(target.count(table).await?)
            } else {
                None
            },
        });
    }
    verify(&counts)?;
    target.commit().await?;
    Ok(Report {
        counts,
        replaced: occupied,
    })
}

/// Every row of the installation at `url`, read in one snapshot (for tests and checks).
/// The database is opened (and migrated) like a copy's source.
pub async fn read_everything(url: &str) -> Result<Everything, CopyError> {
    let location = location::parse(url).map_err(|error| CopyError::Open {
        side: Side::Source,
        error,
    })?;
    check_source(&location)?;
    let source = Db::open(url, &location, Side::Source).await?;
    source.begin_read().await?;
    let mut all = Everything::default();
    for table in Table::ALL {
        let mut after = After::Start;
        loop {
            let batch = source.read(table, after, DEFAULT_BATCH_ROWS).await?;
            let Some(last) = batch.last_key() else { break };
            after = last;
            all.push(batch);
        }
    }
    Ok(all)
}

/// Parses both URLs and refuses what cannot be a copy: in-memory databases, a source
/// file that does not exist (opening it would create an empty one), one database on both
/// sides.
fn locate(from: &str, to: &str) -> Result<(Location, Location), CopyError> {
    let source = location::parse(from).map_err(|error| CopyError::Open {
        side: Side::Source,
        error,
    })?;
    let target = location::parse(to).map_err(|error| CopyError::Open {
        side: Side::Target,
        error,
    })?;
    check_source(&source)?;
    if target == Location::SqliteMemory {
        return Err(CopyError::InMemory(Side::Target));
    }
    if same_database(&source, &target) {
        return Err(CopyError::SameDatabase);
    }
    Ok((source, target))
}

/// A source must exist (opening a missing file would create an empty one) and outlive
/// its opening.
fn check_source(source: &Location) -> Result<(), CopyError> {
    match source {
        Location::SqliteMemory => Err(CopyError::InMemory(Side::Source)),
        Location::SqliteFile(path) if !path.is_file() => {
            Err(CopyError::SourceMissing(path.clone()))
        }
        _ => Ok(()),
    }
}

fn same_database(a: &Location, b: &Location) -> bool {
    match (a, b) {
        (Location::SqliteFile(a), Location::SqliteFile(b)) => same_file(a, b),
        (Location::Postgres(a), Location::Postgres(b)) => {
            match (postgres::config(&a.0), postgres::config(&b.0)) {
                (Ok(a), Ok(b)) => {
                    a.get_hosts() == b.get_hosts()
                        && a.get_ports() == b.get_ports()
                        && a.get_dbname() == b.get_dbname()
                }
                _ => false,
            }
        }
        _ => false,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The target's tables holding more than a freshly migrated database, with their counts.
async fn occupied(target: &Db) -> Result<Vec<(Table, u64)>, CopyError> {
    let mut found = Vec::new();
    for table in Table::ALL {
        let n = target.count_beyond_fresh(table).await?;
        if n > 0 {
            found.push((table, n));
        }
    }
    Ok(found)
}

/// `SELECT COUNT(*)` of the rows a freshly migrated database does not have: every row,
/// except the built-in default tenant.
pub(crate) fn beyond_fresh_sql(table: Table) -> String {
    match table {
        Table::Tenants => {
            "SELECT COUNT(*) FROM tenants WHERE NOT (id = 1 AND name_key = 'default')".into()
        }
        other => format!("SELECT COUNT(*) FROM {other}"),
    }
}

async fn copy_table(
    source: &Db,
    target: &Db,
    table: Table,
    batch_rows: usize,
    progress: &mut dyn Progress,
) -> Result<(), CopyError> {
    let mut after = After::Start;
    loop {
        let batch = source.read(table, after, batch_rows.max(1)).await?;
        let Some(last) = batch.last_key() else {
            return Ok(());
        };
        after = last;
        let n = batch.len() as u64;
        target.write(batch).await?;
        progress.rows_copied(table, n);
    }
}

fn verify(counts: &[TableCount]) -> Result<(), CopyError> {
    let mismatches: Vec<Mismatch> = counts
        .iter()
        .filter_map(|c| match c.target {
            Some(target) if target != c.source => Some(Mismatch {
                table: c.table,
                source: c.source,
                target,
            }),
            _ => None,
        })
        .collect();
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(CopyError::CountMismatch(mismatches))
    }
}

/// One side of a copy on its backend.
enum Db {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

impl Db {
    /// Opens the database with [`crate::open`] (creating and migrating it as `serve`
    /// would), then takes a connection of its own for the copy.
    async fn open(url: &str, location: &Location, side: Side) -> Result<Db, CopyError> {
        let store = crate::open(url)
            .await
            .map_err(|error| CopyError::Open { side, error })?;
        drop(store);
        match location {
            Location::SqliteFile(path) => Ok(Db::Sqlite(SqliteDb::connect(path, side).await?)),
            Location::Postgres(url) => {
                let config =
                    postgres::config(&url.0).map_err(|error| CopyError::Open { side, error })?;
                Ok(Db::Postgres(PgDb::connect(&config, side).await?))
            }
            Location::SqliteMemory => Err(CopyError::InMemory(side)),
        }
    }

    async fn begin_read(&self) -> Result<(), CopyError> {
        match self {
            Db::Sqlite(db) => db.begin_read().await,
            Db::Postgres(db) => db.begin_read().await,
        }
    }

    async fn begin_write(&self) -> Result<(), CopyError> {
        match self {
            Db::Sqlite(db) => db.begin_write().await,
            Db::Postgres(db) => db.begin_write().await,
        }
    }

    async fn commit(&self) -> Result<(), CopyError> {
        match self {
            Db::Sqlite(db) => db.commit().await,
            Db::Postgres(db) => db.commit().await,
        }
    }

    async fn count(&self, table: Table) -> Result<u64, CopyError> {
        match self {
            Db::Sqlite(db) => db.count(table).await,
            Db::Postgres(db) => db.count(table).await,
        }
    }

    async fn count_beyond_fresh(&self, table: Table) -> Result<u64, CopyError> {
        match self {
            Db::Sqlite(db) => db.count_beyond_fresh(table).await,
            Db::Postgres(db) => db.count_beyond_fresh(table).await,
        }
    }

    async fn high_water(&self, table: Table) -> Result<Option<i64>, CopyError> {
        match self {
            Db::Sqlite(db) => db.high_water(table).await,
            Db::Postgres(db) => db.high_water(table).await,
        }
    }

    async fn raise_sequence(&self, table: Table, high_water: Option<i64>) -> Result<(), CopyError> {
        match self {
            Db::Sqlite(db) => db.raise_sequence(table, high_water).await,
            Db::Postgres(db) => db.raise_sequence(table, high_water).await,
        }
    }

    async fn wipe(&self) -> Result<(), CopyError> {
        match self {
            Db::Sqlite(db) => db.wipe().await,
            Db::Postgres(db) => db.wipe().await,
        }
    }

    async fn read(&self, table: Table, after: After, limit: usize) -> Result<Batch, CopyError> {
        match self {
            Db::Sqlite(db) => db.read(table, after, limit).await,
            Db::Postgres(db) => db.read(table, after, limit).await,
        }
    }

    async fn write(&self, batch: Batch) -> Result<(), CopyError> {
        match self {
            Db::Sqlite(db) => db.write(batch).await,
            Db::Postgres(db) => db.write(batch).await,
        }
    }
}
