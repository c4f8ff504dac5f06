//! Entry point: everything lives in the library so the integration tests can reach it.

fn main() -> std::process::ExitCode {
    netserver::run()
}
