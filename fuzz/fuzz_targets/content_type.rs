//! The content-type and SOAP action parser: any pair of header values (split at the
//! first NUL) gives a version and an action or none, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use soap::SoapVersion;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (content_type, soap_action) = match text.split_once('\0') {
        Some((ct, action)) => (Some(ct), Some(action)),
        None => (Some(text), None),
    };
    let _ = SoapVersion::from_content_type(content_type.unwrap_or(""));
    for (ct, action) in [
        (content_type, soap_action),
        (None, soap_action),
        (content_type, None),
        (soap_action, content_type),
    ] {
        if let Some(action) = soap::action_from_headers(ct, action) {
            assert!(!action.is_empty());
            assert_eq!(action.trim(), action, "actions come back trimmed");
        }
    }
});
