//! The ticket parser: any string gives a ticket's parts or `None`, never a panic, and
//! what it accepts has the one id form tickets are issued with.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(parts) = accounts::parse_ticket(text) {
        let id = parts.id.as_bytes();
        assert_eq!(id.len(), 38, "an id is a braced GUID");
        assert!(id[0] == b'{' && id[37] == b'}');
        assert!(!parts.secret.expose().is_empty());
    }
});
