//! What the test modules share beyond `helpers` (the in-process server): one module a
//! kind of harness.

mod binary;

pub(crate) use binary::{
    bootstrap_password, change_admin_password, err, out, run_with_stdin, serve, serve_command,
    serve_to, Env, Server,
};
