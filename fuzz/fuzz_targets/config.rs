//! The TOML configuration loader: any text is a checked configuration or a message,
//! never a panic. The same two steps as `FileConfig::load` after reading the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netserver::config::FileConfig;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = toml::from_str::<FileConfig>(text) else {
        return;
    };
    if file.check().is_ok() {
        // A checked file gives every part of the running configuration.
        file.kdf().expect("kdf");
        file.settings().expect("settings");
        file.server().expect("server");
        file.store_options().expect("store options");
    }
});
