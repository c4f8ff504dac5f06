//! The netserver binary's library half: configuration, command-line interface and the
//! wiring of store, domain and HTTP server. `main.rs` only calls `run`.

pub mod cli;
pub mod client;
pub mod commands;
pub mod config;
mod fdlimit;
pub mod logging;
mod output;
mod utc;
pub mod wiring;

pub use cli::run;
