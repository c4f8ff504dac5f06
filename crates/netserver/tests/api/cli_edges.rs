//! The edges an operator meets first, over the real binary: configuration values out of
//! range, stores that cannot be opened as asked, closed pipes, repeated verbs, unhelpful
//! errors and the help text.

use crate::cli::{err, out, Env};

/// Each numeric key out of its range stops `serve` before it touches the store, naming
/// the key; the lowest accepted values start it.
#[test]
fn serve_refuses_numeric_keys_out_of_range_by_name() {
    for (section, expected) in [
        (
            "[soap]\nmax_message_bytes = 0",
            "[soap] max_message_bytes = 0 is out of range",
        ),
        (
            "[tickets]\nlifetime_seconds = 0",
            "[tickets] lifetime_seconds = 0 is out of range",
        ),
        ("[kdf]\nworkers = 0", "[kdf] workers = 0 is out of range"),
        (
            "[kdf]\nmemory_kib = 0",
            "[kdf] memory_kib = 0 is out of range",
        ),
        (
            "[soap]\nmax_depth = 2",
            "[soap] max_depth = 2 is out of range",
        ),
    ] {
        let env = Env::with_config(section);
        let o = env.run(&["serve", "--listen", "127.0.0.1:0"], "");
        assert!(!o.status.success(), "{section}: {}", out(&o));
        let e = err(&o);
        assert!(
            e.contains(expected) && e.contains("netserver.toml"),
            "{section}: {e}"
        );
        assert!(!out(&o).contains("shown only now"), "{}", out(&o));
        assert!(!env.db().exists(), "{section}: the store was created");
    }
}
