//! The netserver binary's library half: configuration, command-line interface and the
//! wiring of store, domain and HTTP server. `main.rs` only calls `run`. Public beside
//! `run` is only what other targets use: `wiring` and `client` (the integration tests,
//! the store bench, the fuzz targets) and `config` (the configuration fuzz target).

mod cli;
pub mod client;
mod commands;
pub mod config;
mod fdlimit;
mod logging;
mod output;
mod utc;
pub mod wiring;

pub use cli::run;
