//! Entry point: everything lives in the library so the integration tests can reach it.

/// mimalloc rather than the C library's allocator: a request makes a few dozen small
/// allocations, which cost about a tenth of the protocol path's instructions with glibc's
/// malloc (and its arena locks under load) and much less here. The Argon2 work areas,
/// the large allocations, are mapped by the hasher itself and never pass through it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    netserver::run()
}
