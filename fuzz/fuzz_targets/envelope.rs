//! The envelope reader with the server's default limits: any bytes, either version hint.
//! It must answer (a request or a fault) and never panic; memory stays within the
//! limits, which `fuzz/run` enforces with libFuzzer's `-malloc_limit_mb`/`-rss_limit_mb`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use soap::{Limits, SoapVersion};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    for hint in [SoapVersion::V11, SoapVersion::V12] {
        match soap::parse_request(data, hint, &limits) {
            Ok(request) => {
                // A read request stays within the limits it was read under.
                assert!(data.len() <= limits.max_bytes);
                assert!(!request.operation.name.is_empty());
            }
            Err(fault) => {
                // Every refusal can be written as a fault a client can read.
                let bytes = soap::write_fault(&fault, None);
                let text = std::str::from_utf8(&bytes).expect("faults are UTF-8");
                roxmltree::Document::parse(text).expect("faults are well-formed");
            }
        }
    }
});
