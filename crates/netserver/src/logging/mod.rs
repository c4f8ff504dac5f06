//! The log of `serve`: `key=value` lines on standard error, buffered.
//!
//! Every SOAP call writes one line. Writing each line straight to standard error costs a
//! system call per request, and handing each line to a writer thread costs a thread wake-up
//! per request; on the protocol path either is a large share of the work. So lines collect
//! in a 64 KiB buffer that is written when full, by a flusher thread every
//! [`FLUSH_EVERY`], and when the guard returned by [`init`] is dropped (at shutdown).
//! A crash can lose at most the last [`FLUSH_EVERY`] of log lines; the audit trail, which
//! is what must survive, lives in the store.

mod line;

use std::io::{BufWriter, Stderr, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a line may wait in the buffer.
pub const FLUSH_EVERY: Duration = Duration::from_millis(200);

type Shared = Arc<Mutex<BufWriter<Stderr>>>;

/// Flushes the log when dropped and stops the flusher thread.
pub struct LogGuard {
    buffer: Shared,
    stop: Arc<AtomicBool>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        flush(&self.buffer);
    }
}

/// Hands the formatter the locked buffer for one line.
struct Buffered(Shared);

/// The buffer, locked while one line is written into it.
struct Locked<'a>(std::sync::MutexGuard<'a, BufWriter<Stderr>>);

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffered {
    type Writer = Locked<'a>;
    fn make_writer(&'a self) -> Locked<'a> {
        Locked(self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Write for Locked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        // A line is complete; the flusher, not each line, empties the buffer.
        Ok(())
    }
}

fn flush(buffer: &Shared) {
    let mut b = buffer.lock().unwrap_or_else(|p| p.into_inner());
    let _ = b.flush();
}

/// The variable that sets the log filter.
pub const LOG_VARIABLE: &str = "NETSERVER_LOG";

/// The log filter from `NETSERVER_LOG`, `info` without it. A value that is not a filter,
/// or a bare word that is neither a level nor one of this program's modules (which the
/// filter syntax reads as a module name, silently logging nothing), is warned about on
/// standard error and replaced by `info`.
pub fn filter_from_env() -> tracing_subscriber::EnvFilter {
    let value = std::env::var(LOG_VARIABLE).ok();
    let (filter, warning) = filter(value.as_deref());
    if let Some(warning) = warning {
        eprintln!("warning: {warning}");
    }
    filter
}

/// The modules a bare word in the filter may name.
const MODULES: &[&str] = &["netserver", "server", "accounts", "store", "soap"];
const LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "off"];

fn filter(value: Option<&str>) -> (tracing_subscriber::EnvFilter, Option<String>) {
    let default = || tracing_subscriber::EnvFilter::new("info");
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return (default(), None);
    };
    let unknown = value.split(',').map(str::trim).find(|d| {
        let word = d.split(['=', '[', ':']).next().unwrap_or("");
        !d.contains('=')
            && !d.contains('[')
            && !LEVELS.contains(&word.to_ascii_lowercase().as_str())
            && !MODULES.contains(&word)
    });
    if let Some(word) = unknown {
        return (
            default(),
            Some(format!(
                "{LOG_VARIABLE}='{value}': '{word}' is neither a level ({}) nor a module                  of netserver ({}); logging at info",
                LEVELS.join(", "),
                MODULES.join(", ")
            )),
        );
    }
    match tracing_subscriber::EnvFilter::try_new(value) {
        Ok(filter) => (filter, None),
        Err(e) => (
            default(),
            Some(format!(
                "{LOG_VARIABLE}='{value}' is not a log filter ({e}); logging at info"
            )),
        ),
    }
}

/// Installs the global subscriber with `filter` (an `EnvFilter` directive such as `info`).
pub fn init(filter: tracing_subscriber::EnvFilter) -> LogGuard {
    let buffer: Shared = Arc::new(Mutex::new(BufWriter::with_capacity(
        64 * 1024,
        std::io::stderr(),
    )));
    let stop = Arc::new(AtomicBool::new(false));
    let (b, s) = (buffer.clone(), stop.clone());
    let _ = std::thread::Builder::new()
        .name("log-flush".into())
        .spawn(move || {
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(FLUSH_EVERY);
                flush(&b);
            }
        });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Buffered(buffer.clone()));
    // Colours only for a terminal, so that a log file holds plain `key=value` text, in
    // the cheaper line format of `line`.
    let _ = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        builder.try_init()
    } else {
        builder
            .with_ansi(false)
            .event_format(line::PlainLine)
            .try_init()
    };
    LogGuard { buffer, stop }
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn levels_modules_and_directives_are_taken_silently() {
        for good in [
            None,
            Some(""),
            Some("debug"),
            Some("WARN"),
            Some("store=debug,info"),
            Some("netserver"),
        ] {
            let (_, warning) = filter(good);
            assert_eq!(warning, None, "{good:?}");
        }
    }

    #[test]
    fn anything_else_is_warned_about() {
        for (bad, expected) in [
            ("verbose", "'verbose' is neither a level"),
            ("info,loud", "'loud' is neither a level"),
            ("store=shouty", "is not a log filter"),
        ] {
            let (filter, warning) = filter(Some(bad));
            let warning = warning.unwrap_or_default();
            assert!(
                warning.contains(expected) && warning.contains("NETSERVER_LOG"),
                "{bad}: {warning}"
            );
            assert_eq!(filter.to_string(), "info");
        }
    }
}
