//! The path and tenant (customer segment) parser: any path names a service or nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(endpoint) = server::fuzzing::parse_path(path) {
        // The address written into the WSDL is made of the path's own segments and ends
        // at the service.
        assert!(endpoint.svc_path.starts_with('/'));
        assert!(endpoint.svc_path.len() <= path.len() + 1);
        assert!(endpoint.svc_path.to_ascii_lowercase().ends_with(".svc"));
        if let Some(customer) = &endpoint.customer {
            assert!(!customer.is_empty() && !customer.contains('/'));
            assert!(endpoint.svc_path.starts_with(&format!("/{customer}/")));
        }
    }
});
