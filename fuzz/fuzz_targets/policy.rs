//! The password policy verdict over any Unicode: a preset judges the NFKC form of any
//! string, with or without subject names, and never panics.
//!
//! The first byte picks the preset and whether a subject is given, so each input costs
//! one verdict (the strength estimate is the slow part) and the fuzzer still reaches every
//! preset; the rest is UTF-8, `name \n full name \n password` when it has two line breaks,
//! else all password.
#![no_main]

use accounts::{normalize, PasswordPolicy, Secret, Subject};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut parts = text.splitn(3, '\n');
    let (name, full_name, password) = match (parts.next(), parts.next(), parts.next()) {
        (Some(n), Some(f), Some(p)) => (n, f, p),
        _ => ("", "", text),
    };
    let subject = Subject { name, full_name };
    let normal = normalize(&Secret::new(password));
    assert_eq!(
        normalize(&normal).expose(),
        normal.expose(),
        "NFKC is idempotent"
    );
    let presets = PasswordPolicy::preset_names();
    let preset = presets[usize::from(pick) % presets.len()];
    let policy = PasswordPolicy::preset(preset).expect("a listed preset");
    let subject = (pick & 0x80 != 0).then_some(&subject);
    if policy.verdict(&normal, subject).is_ok() {
        let len = normal.expose().chars().count();
        assert!((policy.min_len..=policy.max_len).contains(&len));
    }
});
