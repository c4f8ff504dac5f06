//! The request path end to end without a socket: a request written as HTTP text (request
//! line, headers, blank line, body; the wire samples have this form) goes through the
//! server's own handler over a temporary SQLite store with one administrator. Whatever
//! it is, the answer is a SOAP envelope a client can parse, or the plain 404 of a path
//! that names no service (and health its JSON); never a panic.
#![no_main]

use std::sync::OnceLock;

use accounts::{KdfParams, NewUser, Right, Secret, Settings, Timestamp, UserType};
use libfuzzer_sys::fuzz_target;
use server::fuzzing::State;
use server::ServerConfig;

struct Harness {
    runtime: tokio::runtime::Runtime,
    state: State,
    _dir: tempfile::TempDir,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
        let state = runtime.block_on(async {
            let store = netserver::wiring::open_store(&url, &Default::default())
                .await
                .expect("store");
            let accounts = netserver::wiring::domain(
                store,
                KdfParams::insecure_for_tests(),
                1,
                Settings::default(),
            )
            .expect("domain");
            let admin = NewUser {
                name: "admin".into(),
                full_name: "Admin Fuzzsson".into(),
                user_type: UserType::Internal,
                rights: vec![Right::AdminAll],
                password: Some(Secret::new("root-secret-pw-1")),
                must_change: false,
            };
            accounts
                .add_user(accounts::DEFAULT_TENANT, admin, Timestamp::now())
                .await
                .expect("admin");
            server::fuzzing::state(accounts, ServerConfig::default())
        });
        Harness {
            runtime,
            state,
            _dir: dir,
        }
    })
}

/// Splits `POST <path> ...\nName: value\n...\n\n<body>` (CR LF or LF); the path is the
/// second word of the first line.
fn split(data: &[u8]) -> Option<(&str, Vec<(&str, &[u8])>, &[u8])> {
    let (head, body) = match find(data, b"\r\n\r\n") {
        Some(at) => (&data[..at], &data[at + 4..]),
        None => match find(data, b"\n\n") {
            Some(at) => (&data[..at], &data[at + 2..]),
            None => (data, &[][..]),
        },
    };
    let mut lines = head.split(|&b| b == b'\n');
    let request_line = std::str::from_utf8(lines.next()?).ok()?;
    let path = request_line.split_whitespace().nth(1)?;
    let headers = lines
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let colon = line.iter().position(|&b| b == b':')?;
            let name = std::str::from_utf8(&line[..colon]).ok()?.trim();
            let value = line[colon + 1..].trim_ascii();
            Some((name, value))
        })
        .collect();
    Some((path, headers, body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn is_soap_type(content_type: &str) -> bool {
    content_type.starts_with("text/xml") || content_type.starts_with("application/soap+xml")
}

fuzz_target!(|data: &[u8]| {
    let Some((path, headers, body)) = split(data) else {
        return;
    };
    let harness = harness();
    let answer = harness.runtime.block_on(server::fuzzing::post(
        &harness.state,
        path,
        &headers,
        body.to_vec(),
    ));
    let Some(answer) = answer else {
        return;
    };
    match answer.content_type.as_deref() {
        Some(ct) if is_soap_type(ct) => {
            let text = std::str::from_utf8(&answer.body).expect("answers are UTF-8");
            let doc = roxmltree::Document::parse(text).expect("answers are well-formed");
            assert_eq!(doc.root_element().tag_name().name(), "Envelope");
        }
        // Health answers in JSON, whatever the method.
        Some("application/json") => assert!(path.to_ascii_lowercase().starts_with("/health")),
        other => assert_eq!(
            answer.status, 404,
            "only an unknown path is answered without an envelope ({other:?})"
        ),
    }
});
