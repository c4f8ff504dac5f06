//! The conformance suite on the domain's in-memory store (`accounts::testkit`), so that
//! the double the domain's unit tests run on keeps the semantics of the real backends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::sync::Arc;

use accounts::testkit::MemoryStore;
use accounts::Store;

async fn fresh() -> ((), Arc<dyn Store>) {
    ((), Arc::new(MemoryStore::new()))
}

store::conformance_tests!(fresh);
