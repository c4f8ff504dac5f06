//! `netserver store copy`: moves a whole installation from one store to another, e.g. from
//! the embedded SQLite file to PostgreSQL. The work is `store::copy`; this module shows its
//! progress on standard error (a bar on a terminal, a line per table otherwise) and prints
//! the per-table counts it verified. Database URLs are only ever shown redacted, and no
//! hash, digest or ticket is printed.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use store::copy::{self, Options, Progress, Report, Table};

use crate::cli::{CliError, CopyArgs, Resolved, StoreCommand};
use crate::output::outln;
use crate::wiring::redact_url;

pub async fn run(cfg: Resolved, cmd: StoreCommand) -> Result<(), CliError> {
    match cmd {
        StoreCommand::Copy(args) => copy_store(cfg, args).await,
    }
}

async fn copy_store(cfg: Resolved, args: CopyArgs) -> Result<(), CliError> {
    let from = args.from.unwrap_or(cfg.database);
    let options = Options {
        with_tickets: args.with_tickets,
        force: args.force,
        ..Options::default()
    };
    eprintln!("Copying {} to {}", redact_url(&from), redact_url(&args.to));
    let mut progress = Bars::new();
    let report = copy::copy(&from, &args.to, &options, &mut progress)
        .await
        .map_err(|e| e.to_string())?;
    outln!("{}", summary(&report).trim_end_matches('\n'));
    outln!(
        "Counts match: {} is a copy of {}.",
        redact_url(&args.to),
        redact_url(&from)
    );
    Ok(())
}

/// The counts table and, with `--force`, what was replaced.
fn summary(report: &Report) -> String {
    let mut out = String::new();
    if !report.replaced.is_empty() {
        let parts: Vec<String> = report
            .replaced
            .iter()
            .map(|(table, n)| format!("{table}: {n}"))
            .collect();
        out.push_str(&format!(
            "Replaced the target's earlier rows ({}).\n",
            parts.join(", ")
        ));
    }
    out.push_str(&format!(
        "{:<18}{:>10}{:>10}\n",
        "TABLE", "SOURCE", "TARGET"
    ));
    for count in &report.counts {
        match count.target {
            Some(target) => out.push_str(&format!(
                "{:<18}{:>10}{:>10}\n",
                count.table.name(),
                count.source,
                target
            )),
            None => out.push_str(&format!(
                "{:<18}{:>10}{:>10}  not copied (--with-tickets copies them)\n",
                count.table.name(),
                count.source,
                "-"
            )),
        }
    }
    out
}

/// A progress bar per table on a terminal; one plain line per table anywhere else.
struct Bars {
    terminal: bool,
    bar: ProgressBar,
    started: Instant,
    rows: u64,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            terminal: std::io::stderr().is_terminal(),
            bar: ProgressBar::hidden(),
            started: Instant::now(),
            rows: 0,
        }
    }
}

impl Progress for Bars {
    fn table_started(&mut self, table: Table, rows: u64) {
        self.started = Instant::now();
        self.rows = 0;
        if self.terminal {
            // Drawn on standard error, and only there: `new` draws to stderr when it is a terminal.
            self.bar = ProgressBar::new(rows).with_prefix(table.name());
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix:>16} [{bar:30}] {human_pos}/{human_len} rows ({rate}, {eta} left)",
            ) {
                let style = style
                    .with_key(
                        "rate",
                        |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{:.0} rows/s", state.per_sec());
                        },
                    )
                    .progress_chars("=> ");
                self.bar.set_style(style);
            }
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    fn rows_copied(&mut self, _: Table, rows: u64) {
        self.rows += rows;
        self.bar.inc(rows);
    }

    fn table_done(&mut self, table: Table) {
        if self.terminal {
            self.bar.finish();
        } else {
            let rows = match self.rows {
                1 => "1 row".to_owned(),
                n => format!("{n} rows"),
            };
            eprintln!(
                "copied {table}: {rows} in {:.1} s",
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use store::copy::TableCount;

    use super::*;

    #[test]
    fn the_summary_shows_counts_and_what_was_not_copied() {
        let report = Report {
            counts: vec![
                TableCount {
                    table: Table::Associates,
                    source: 1_000,
                    target: Some(1_000),
                },
                TableCount {
                    table: Table::Tickets,
                    source: 3,
                    target: None,
                },
            ],
            replaced: vec![(Table::Audit, 2)],
        };
        let text = summary(&report);
        assert!(
            text.contains("Replaced the target's earlier rows (audit: 2)."),
            "{text}"
        );
        assert!(
            text.contains("associates              1000      1000\n"),
            "{text}"
        );
        assert!(
            text.contains("tickets                    3         -  not copied"),
            "{text}"
        );
    }
}
