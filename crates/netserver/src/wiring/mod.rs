//! Puts the pieces together, one job a module: the store opened from its URL (`open`),
//! the domain service over it (`domain`), the HTTP server on a bound listener (`start`),
//! the background sweeper that keeps the tables from growing forever (`sweeper`), and
//! what may be shown of a database URL (`redact`). `serve`, the other commands, the
//! integration tests and the bench reach them all through this module.

mod domain;
mod open;
mod redact;
mod start;
mod sweeper;

pub use domain::domain;
pub use open::{open_store, open_store_read_only};
pub use redact::redact_url;
pub use start::{bind, serve_on, start, Running};
pub use sweeper::{spawn_sweeper, sweep, sweep_audit, sweep_tickets, Swept, SWEEP_BATCH};
