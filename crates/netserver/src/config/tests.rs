//! The configuration's unit tests: layering, every key's range, and the documented example.

use super::*;

#[test]
fn file_values_override_defaults() {
    let f: FileConfig = toml::from_str(
        "listen = \"0.0.0.0:9\"\n[kdf]\nmemory_kib = 64\n[password]\nmin_length = 12\n[soap]\nfaults = true\n",
    )
    .unwrap();
    assert_eq!(f.listen.as_deref(), Some("0.0.0.0:9"));
    assert_eq!(f.kdf().unwrap().m_kib, 64);
    assert_eq!(f.kdf().unwrap().t, 2);
    assert_eq!(f.settings().unwrap().policy.min_len, 12);
    assert!(f.server().unwrap().faults);
}

#[test]
fn mode_and_online_settings() {
    let d = FileConfig::default().settings().unwrap();
    assert_eq!(d.mode, Mode::Onsite);
    assert!(!d.user_agent_enabled);
    let f: FileConfig =
        toml::from_str("mode = \"online\"\n[online]\nuser_agent_enabled = true\n").unwrap();
    let s = f.settings().unwrap();
    assert_eq!(s.mode, Mode::Online);
    assert!(s.user_agent_enabled);
    let bad: FileConfig = toml::from_str("mode = \"cloud\"\n").unwrap();
    assert!(bad.settings().unwrap_err().contains("mode"));
    assert!(toml::from_str::<FileConfig>("[online]\nuser_agent = true\n").is_err());
}

#[test]
fn audit_retention_defaults_to_a_year() {
    assert_eq!(FileConfig::default().audit_retention_days(), Ok(365));
    let f: FileConfig = toml::from_str("[audit]\nretention_days = 0\n").unwrap();
    assert_eq!(f.audit_retention_days(), Ok(0));
    assert!(toml::from_str::<FileConfig>("[audit]\nretention = 3\n").is_err());
}

#[test]
fn the_store_timeout_is_read_and_bounded() {
    assert_eq!(
        FileConfig::default().store_options().unwrap().timeout,
        Duration::from_secs(5)
    );
    let f: FileConfig = toml::from_str("[store]\ntimeout_ms = 750\n").unwrap();
    assert_eq!(
        f.store_options().unwrap().timeout,
        Duration::from_millis(750)
    );
    for bad in [0, 49, 600_001] {
        let f: FileConfig = toml::from_str(&format!("[store]\ntimeout_ms = {bad}\n")).unwrap();
        let e = f.store_options().unwrap_err();
        assert!(
            e.contains("timeout_ms") && e.contains("out of range"),
            "{e}"
        );
    }
    assert!(toml::from_str::<FileConfig>("[store]\ntimeout = 1\n").is_err());
}

#[test]
fn the_hashing_queue_bound_is_read_and_checked() {
    let d = FileConfig::default().settings().unwrap();
    assert_eq!(d.hash_queue_max_wait, Duration::from_secs(2));
    let f: FileConfig = toml::from_str("[kdf]\nmax_queue_ms = 250\n").unwrap();
    assert_eq!(
        f.settings().unwrap().hash_queue_max_wait,
        Duration::from_millis(250)
    );
    for bad in [0, 49, 60_001] {
        let f: FileConfig = toml::from_str(&format!("[kdf]\nmax_queue_ms = {bad}\n")).unwrap();
        let e = f.settings().unwrap_err();
        assert!(
            e.contains("[kdf] max_queue_ms") && e.contains("use 50 to 60000"),
            "{e}"
        );
    }
}

#[test]
fn the_ticket_ceiling_is_read_and_checked() {
    let d = FileConfig::default().settings().unwrap();
    assert_eq!(d.ticket_max_lifetime, Duration::from_secs(86_400));
    let f: FileConfig = toml::from_str("[tickets]\nmax_lifetime_seconds = 43200\n").unwrap();
    assert_eq!(
        f.settings().unwrap().ticket_max_lifetime,
        Duration::from_secs(43_200)
    );
    for (toml, expected) in [
        (
            "max_lifetime_seconds = 299",
            "max_lifetime_seconds = 299 is out of range",
        ),
        (
            "max_lifetime_seconds = 2592001",
            "out of range: use 300 to 2592000",
        ),
        (
            "lifetime_seconds = 7200\nmax_lifetime_seconds = 3600",
            "max_lifetime_seconds (3600) must not be less than [tickets] lifetime_seconds (7200)",
        ),
    ] {
        let f: FileConfig = toml::from_str(&format!("[tickets]\n{toml}\n")).unwrap();
        let e = f.settings().unwrap_err();
        assert!(e.contains(expected), "{toml}: {e}");
    }
}

#[test]
fn unknown_keys_and_bad_policies_are_refused() {
    assert!(toml::from_str::<FileConfig>("lisen = \"x\"").is_err());
    let f: FileConfig = toml::from_str("[password]\nmin_length = 300\n").unwrap();
    assert!(f.settings().unwrap_err().contains("min_length"));
}

#[test]
fn the_lockout_section_is_read_and_checked() {
    let f: FileConfig = toml::from_str(
        "[lockout]\nthreshold = 3\nwindow_seconds = 60\nbase_delay_seconds = 10\nmax_delay_seconds = 40\nlogin_attempts_per_minute_per_address = 0\n",
    )
    .unwrap();
    let s = f.settings().unwrap();
    assert_eq!(s.lockout.threshold, 3);
    assert_eq!(s.lockout.window, Duration::from_secs(60));
    assert_eq!(s.lockout.base_delay, Duration::from_secs(10));
    assert_eq!(s.lockout.max_delay, Duration::from_secs(40));
    assert_eq!(s.login_rate_per_minute, 0);
    let d = FileConfig::default().settings().unwrap();
    assert_eq!(d.lockout, LockoutSettings::default());
    assert_eq!(d.login_rate_per_minute, 30);
    for (toml, expected) in [
        (
            "window_seconds = 0",
            "[lockout] window_seconds = 0 is out of range: use 1 to 86400",
        ),
        (
            "base_delay_seconds = 0",
            "[lockout] base_delay_seconds = 0 is out of range",
        ),
        (
            "max_delay_seconds = 90000",
            "[lockout] max_delay_seconds = 90000 is out of range",
        ),
        (
            "threshold = 1001",
            "[lockout] threshold = 1001 is out of range: use 0 to 1000",
        ),
        (
            "base_delay_seconds = 600\nmax_delay_seconds = 60",
            "[lockout] max_delay_seconds = 60 must not be less than base_delay_seconds = 600",
        ),
    ] {
        let f: FileConfig = toml::from_str(&format!("[lockout]\n{toml}\n")).unwrap();
        let e = f.settings().unwrap_err();
        assert!(e.contains(expected), "{toml}: {e}");
    }
    assert!(toml::from_str::<FileConfig>("[lockout]\nthreshhold = 3\n").is_err());
    assert!(toml::from_str::<FileConfig>("[lockout]\nthreshold = -1\n").is_err());
}

/// Each numeric key refused at its range's edges, with its name in the message, through
/// the same check every command runs at start.
#[test]
fn every_numeric_key_is_checked_with_its_name() {
    for (toml, expected) in [
        (
            "[kdf]\nmemory_kib = 0",
            "[kdf] memory_kib = 0 is out of range: use 8 to",
        ),
        (
            "[kdf]\niterations = 0",
            "[kdf] iterations = 0 is out of range",
        ),
        (
            "[kdf]\nparallelism = 0",
            "[kdf] parallelism = 0 is out of range",
        ),
        (
            "[kdf]\nparallelism = 65",
            "[kdf] parallelism = 65 is out of range",
        ),
        (
            "[kdf]\nmemory_kib = 8\nparallelism = 2",
            "[kdf] memory_kib = 8 must be at least 8 per lane",
        ),
        (
            "[kdf]\nworkers = 0",
            "[kdf] workers = 0 is out of range: use 1 to 1024",
        ),
        (
            "[tickets]\nlifetime_seconds = 0",
            "[tickets] lifetime_seconds = 0 is out of range: use 60 to",
        ),
        (
            "[tickets]\nlifetime_seconds = 2592001",
            "[tickets] lifetime_seconds = 2592001",
        ),
        (
            "[soap]\nmax_message_bytes = 0",
            "[soap] max_message_bytes = 0 is out of range: use 1024 to",
        ),
        (
            "[soap]\nmax_depth = 0",
            "[soap] max_depth = 0 is out of range",
        ),
        (
            "[soap]\nmax_nodes = 0",
            "[soap] max_nodes = 0 is out of range",
        ),
        (
            "[audit]\nretention_days = 36501",
            "[audit] retention_days = 36501 is out of range",
        ),
        (
            "[store]\ntimeout_ms = 49",
            "[store] timeout_ms = 49 is out of range: use 50 to 600000",
        ),
        (
            "[lockout]\nlogin_attempts_per_minute_per_address = 100001",
            "[lockout] login_attempts_per_minute_per_address = 100001 is out of range",
        ),
    ] {
        let f: FileConfig = toml::from_str(toml).unwrap();
        let e = f.check().unwrap_err();
        assert!(e.contains(expected), "{toml}: {e}");
    }
    let edges: FileConfig = toml::from_str(
        "[kdf]\nmemory_kib = 16\niterations = 1\nparallelism = 2\nworkers = 1\n\
         [tickets]\nlifetime_seconds = 60\n[soap]\nmax_message_bytes = 1024\nmax_depth = 8\n\
         max_nodes = 64\n[audit]\nretention_days = 0\n[store]\ntimeout_ms = 600000\n",
    )
    .unwrap();
    assert_eq!(edges.check(), Ok(()));
}

/// The example in docs/configuration.md lists every key at its default: it must parse
/// (no key the program does not know) and pass every check.
#[test]
fn the_documented_example_is_a_valid_configuration() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/configuration.md"
    ))
    .unwrap();
    let start = doc.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let f: FileConfig = toml::from_str(&doc[start..end]).unwrap();
    assert_eq!(f.check(), Ok(()));
}
