//! The password policy verdict over any Unicode: every preset judges the NFKC form of any
//! string, with any subject names (the input is `name \n full name \n password` when it
//! has two line breaks, else all password), and never panics.
#![no_main]

use accounts::{normalize, PasswordPolicy, Secret, Subject};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
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
    for preset in PasswordPolicy::preset_names() {
        let policy = PasswordPolicy::preset(preset).expect("a listed preset");
        for subject in [None, Some(&subject)] {
            if policy.verdict(&normal, subject).is_ok() {
                let len = normal.expose().chars().count();
                assert!((policy.min_len..=policy.max_len).contains(&len));
            }
        }
    }
});
