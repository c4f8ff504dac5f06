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
        builder.event_format(line::PlainLine).try_init()
    };
    LogGuard { buffer, stop }
}
