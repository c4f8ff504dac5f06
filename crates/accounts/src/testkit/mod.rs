//! Test support, compiled for this crate's own tests and, behind the `testkit` feature,
//! for other crates' tests: [`MemoryStore`], a whole store in memory with the semantics
//! the store crate's conformance suite pins (it runs the suite too), so that the
//! operations can be tested in milliseconds with fixed times and no database.

mod memory;
mod state;

pub use memory::MemoryStore;
