//! The benchmark's load generator (`bench/run` drives it).
//!
//! `loadgen http` posts one request template over N concurrent keep-alive HTTP/1.1
//! connections for a fixed time and prints one `key=value` line: requests, req/s, p50 and
//! p99 latency, errors (I/O, timeouts, unreadable answers), answers of another status than
//! expected (`non2xx`: any 2xx by default, or `--status`), mismatches (answers of the
//! expected status without the expected text) and reconnects (the server closed the
//! connection, e.g. gSOAP after a fault, or an error forced a new one).
//!
//! The template is read from a file; `{{ID}}` becomes the connection's id from `--ids`
//! (round robin) and `{{SEQ}}` a text unique per request, so each SetPassword sets a
//! different password on its own associate. It speaks plain HTTP/1.1 on tokio TCP streams
//! (no client library in the way) and reads `Content-Length`, chunked and read-to-close
//! bodies, so that it stays cheap next to the server on a small machine.
//!
//! `loadgen argon2` hashes with the server's Argon2id parameters on N threads, each reusing
//! one work area as the server's hasher does: the ceiling for SetPassword and log-in.
//!
//! `loadgen interleave` sends several templates in turn on one connection and prints the
//! median latency of each (log-in timing). `loadgen soak` runs bench/soak's mixed load
//! and judges memory, descriptors, ticket rows and every answer.

mod argon2_rate;
mod http;
mod interleave;
mod soak;
mod soak_mix;
mod soap_client;
mod wire;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use argon2_rate::argon2_rate;
use http::http;
use interleave::interleave;
use soak::soak;

#[derive(Debug, Parser)]
#[command(
    name = "loadgen",
    about = "HTTP load and raw Argon2id rate for bench/run"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Post a request template over keep-alive connections for a fixed time
    Http(HttpArgs),
    /// Hash with Argon2id on several threads for a fixed time; prints hashes/s
    Argon2(Argon2Args),
    /// Send several request templates in turn on one connection; median latency of each
    Interleave(InterleaveArgs),
    /// The soak's mixed load against one server, sampled once a minute, judged at the end
    Soak(SoakArgs),
}

#[derive(Debug, clap::Args)]
struct InterleaveArgs {
    /// The server's address, e.g. 127.0.0.1:8080
    #[arg(long)]
    addr: String,
    /// The request path
    #[arg(long, default_value = "/Remote/Services88/SoPrincipal.svc")]
    path: String,
    /// The SOAPAction
    #[arg(
        long,
        default_value = "http://www.superoffice.net/ws/crm/NetServer/Services88/SoPrincipal/AuthenticateUsernamePassword"
    )]
    action: String,
    /// A body template ({{SEQ}} = the round number modulo --seq-mod, from 1); repeatable
    #[arg(long)]
    body: Vec<PathBuf>,
    /// Text every answer must contain
    #[arg(long)]
    expect: String,
    /// Seconds
    #[arg(short, long, default_value_t = 10.0)]
    duration: f64,
    /// {{SEQ}} runs from 1 to this
    #[arg(long, default_value_t = 1000)]
    seq_mod: u64,
}

#[derive(Debug, clap::Args)]
struct SoakArgs {
    /// The server's address, e.g. 127.0.0.1:8080
    #[arg(long)]
    addr: String,
    /// The server's process id (its memory and descriptors are sampled)
    #[arg(long)]
    pid: u32,
    /// The server's SQLite file (its ticket rows are counted)
    #[arg(long)]
    db: PathBuf,
    /// NAME=ID,…: at least 12 associates, the first an administrator
    #[arg(long)]
    users: String,
    /// Their password
    #[arg(long)]
    password: String,
    /// Minutes of load
    #[arg(long, default_value_t = 30.0)]
    minutes: f64,
    /// Seconds between samples
    #[arg(long, default_value_t = 60.0)]
    interval: f64,
    /// The server's [tickets] lifetime_seconds
    #[arg(long, default_value_t = 120)]
    ticket_lifetime: u64,
    /// The server's [tickets] max_lifetime_seconds
    #[arg(long, default_value_t = 300)]
    ticket_max_lifetime: u64,
}

#[derive(Debug, clap::Args)]
struct HttpArgs {
    /// The URL to POST to (http only), e.g. http://127.0.0.1:8080/Remote/Services88/User.svc
    #[arg(long)]
    url: String,
    /// Concurrent connections
    #[arg(short, long, default_value_t = 64)]
    connections: usize,
    /// Seconds of load (after all connections are open)
    #[arg(short, long, default_value_t = 10.0)]
    duration: f64,
    /// Load generator threads
    #[arg(short, long, default_value_t = 2)]
    threads: usize,
    /// The request body template ({{ID}}, {{SEQ}})
    #[arg(long)]
    body: PathBuf,
    /// A request header, `Name: value`; repeatable
    #[arg(short = 'H', long = "header")]
    headers: Vec<String>,
    /// Comma-separated values of {{ID}}, one per connection (round robin)
    #[arg(long, default_value = "0")]
    ids: String,
    /// Text every answer of the expected status must contain; others count as mismatches
    #[arg(long)]
    expect: Option<String>,
    /// The expected HTTP status [default: any 2xx]
    #[arg(long)]
    status: Option<u16>,
    /// Seconds to wait for one answer before counting an error and reconnecting
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
}

#[derive(Debug, clap::Args)]
struct Argon2Args {
    /// Threads [default: the number of cores]
    #[arg(short, long)]
    threads: Option<usize>,
    /// Seconds of hashing
    #[arg(short, long, default_value_t = 10.0)]
    duration: f64,
    /// Memory in KiB [default: the server's]
    #[arg(long)]
    m_kib: Option<u32>,
    /// Iterations [default: the server's]
    #[arg(long)]
    t: Option<u32>,
    /// Lanes [default: the server's]
    #[arg(long)]
    p: Option<u32>,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Http(args) => http(args),
        Command::Argon2(args) => argon2_rate(args),
        Command::Interleave(args) => interleave(args),
        Command::Soak(args) => soak(args),
    };
    match outcome {
        Ok(line) => {
            println!("{line}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
