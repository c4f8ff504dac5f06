//! Entry point: everything lives in the library so the integration tests can reach it.

/// mimalloc: every request allocates and frees a few dozen small buffers (body, parse tree,
/// answer); it serves those from thread-local pages at about half glibc malloc's cost on
/// the protocol path.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    netserver::run()
}
