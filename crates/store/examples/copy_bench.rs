//! How fast `store copy` moves a large installation.
//!
//! ```sh
//! cargo run --release -p store --example copy_bench -- [ASSOCIATES] [TARGET_URL] [SOURCE_PATH]
//! ```
//!
//! Builds a SQLite source with ASSOCIATES associates (default 100000), each with an
//! Argon2id-sized hash, and one audit record per associate, then copies it into
//! TARGET_URL (default: a SQLite file beside the source; a PostgreSQL target must be an
//! empty database) and prints the time and rows per second. The source is written to
//! SOURCE_PATH when given (and kept, e.g. to time `netserver store copy` on it), else to
//! a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark run: a failed unwrap stops it with the cause

use std::path::PathBuf;
use std::time::Instant;

use rusqlite::{params, Connection};
use store::copy::{self, NoProgress, Options};

/// As long as a real Argon2id PHC string with the default parameters.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$\
                    aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let n: i64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let source = args
        .get(3)
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("source.db"));
    let target = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("target.db").display()));
    let from = format!("sqlite://{}", source.display());

    let started = Instant::now();
    drop(store::open(&from).await.map_err(|e| e.to_string())?);
    fill(&source, n).map_err(|e| e.to_string())?;
    println!(
        "source: {n} associates and {n} audit records in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let report = copy::copy(&from, &target, &Options::default(), &mut NoProgress)
        .await
        .map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let rows: u64 = report.counts.iter().filter_map(|c| c.target).sum();
    println!(
        "copied {rows} rows ({n} associates) in {seconds:.2} s: {:.0} associates/s, {:.0} rows/s",
        n as f64 / seconds,
        rows as f64 / seconds
    );
    Ok(())
}

/// Writes `n` associates and `n` audit records in one transaction.
fn fill(path: &std::path::Path, n: i64) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    let tx = conn.transaction()?;
    {
        let mut associate = tx.prepare(
            "INSERT INTO associates (id, tenant_id, name, name_key, full_name, user_type, rights,
                                     password_hash, created_at)
             VALUES (?1, 1, ?2, ?2, ?3, 'internal', 'admin-users', ?4, 1700000000)",
        )?;
        let mut audit = tx.prepare(
            "INSERT INTO audit (tenant_id, at, actor, target, operation, outcome, client)
             VALUES (1, 1700000000, 1, ?1, 'user add', 'success', 'cli')",
        )?;
        for id in 1..=n {
            let name = format!("user{id:07}");
            associate.execute(params![id, name, format!("User {id}"), HASH])?;
            audit.execute(params![id])?;
        }
    }
    tx.commit()
}
