//! The one integration-test binary: a real netserver on port 0 over real HTTP, a fresh
//! SQLite store per test, cheap Argon2id parameters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod audit;
mod auth;
mod bootstrap;
mod busy;
mod cli;
mod cli_edges;
mod common_spellings;
mod connections;
mod crash;
mod doc_example;
mod doc_links;
mod documented;
mod envelope;
mod family;
mod file_modes;
mod gate;
mod generation;
mod helpers;
mod lanes;
mod lockout;
mod names;
mod nodes;
mod online;
mod oracle;
mod outage;
mod password_properties;
mod policy_cli;
mod protocol;
mod proxies;
mod public_url;
mod raw;
mod readiness;
mod refusals;
mod secrets;
mod set_password;
mod shutdown;
mod store_copy;
mod sweeper;
mod tenant_get;
mod tenants;
mod ticket_app;
mod wire_samples;
mod wsdl;
mod zeep;
