//! `[http]`: how the HTTP listener treats connections and the requests on them: who the
//! client is behind a proxy and the public address (`trusted_proxies`, `public_url`), and
//! the connection limits and shutdown grace. Every numeric key has a range, checked at
//! start with the key's name in the message.

use std::time::Duration;

use serde::Deserialize;
use server::{PublicUrl, TrustedProxies};

use super::Key;

/// The `[http]` section; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSection {
    /// Proxies (addresses or networks) whose `Forwarded` / `X-Forwarded-For` headers
    /// name the client; empty: the TCP peer is the client, whatever the headers say.
    pub trusted_proxies: Option<Vec<String>>,
    /// The address clients reach the server at (`https://crm.example.com/prefix`), the
    /// only one the WSDL and info pages name; unset: the request's plain `Host`.
    pub public_url: Option<String>,
    /// Time for a request's head to arrive, from its first byte.
    pub header_timeout_seconds: Option<u64>,
    /// Time for a request's body to arrive, from the end of its head.
    pub body_timeout_seconds: Option<u64>,
    /// How long an idle connection is kept open between requests.
    pub keep_alive_seconds: Option<u64>,
    /// Open connections at most (clamped below the process's open-file limit).
    pub max_connections: Option<usize>,
    /// Bytes of one request head (request line and headers).
    pub max_header_bytes: Option<usize>,
    /// Header lines in one request head.
    pub max_headers: Option<usize>,
    /// How long a stop (SIGTERM, SIGINT) waits for requests under way.
    pub shutdown_grace_seconds: Option<u64>,
}

pub const HEADER_TIMEOUT_SECONDS: Key<u64> = Key::new("[http] header_timeout_seconds", 1..=300);
pub const BODY_TIMEOUT_SECONDS: Key<u64> = Key::new("[http] body_timeout_seconds", 1..=3600);
pub const KEEP_ALIVE_SECONDS: Key<u64> = Key::new("[http] keep_alive_seconds", 1..=3600);
pub const MAX_CONNECTIONS: Key<usize> = Key::new("[http] max_connections", 1..=1_000_000);
pub const MAX_HEADER_BYTES: Key<usize> = Key::new("[http] max_header_bytes", 1024..=1_048_576);
pub const MAX_HEADERS: Key<usize> = Key::new("[http] max_headers", 8..=1000);
pub const SHUTDOWN_GRACE_SECONDS: Key<u64> = Key::new("[http] shutdown_grace_seconds", 0..=600);

impl HttpSection {
    /// `[http] trusted_proxies`, checked; the message names the key and the entry.
    pub fn trusted_proxies(&self) -> Result<TrustedProxies, String> {
        TrustedProxies::parse(self.trusted_proxies.as_deref().unwrap_or_default())
            .map_err(|e| format!("[http] trusted_proxies: {e}"))
    }

    /// `[http] public_url`, checked; the message names the key.
    pub fn public_url(&self) -> Result<Option<PublicUrl>, String> {
        self.public_url
            .as_deref()
            .map(PublicUrl::parse)
            .transpose()
            .map_err(|e| format!("[http] public_url: {e}"))
    }

    /// The settings, defaults for keys not given; an out-of-range key is an error naming it.
    pub fn settings(&self) -> Result<server::HttpSettings, String> {
        let d = server::HttpSettings::default();
        let secs = |key: &Key<u64>, value: Option<u64>, default: Duration| {
            Ok::<_, String>(key.check(value)?.map_or(default, Duration::from_secs))
        };
        Ok(server::HttpSettings {
            header_timeout: secs(
                &HEADER_TIMEOUT_SECONDS,
                self.header_timeout_seconds,
                d.header_timeout,
            )?,
            body_timeout: secs(
                &BODY_TIMEOUT_SECONDS,
                self.body_timeout_seconds,
                d.body_timeout,
            )?,
            keep_alive: secs(&KEEP_ALIVE_SECONDS, self.keep_alive_seconds, d.keep_alive)?,
            max_connections: MAX_CONNECTIONS.or(self.max_connections, d.max_connections)?,
            max_header_bytes: MAX_HEADER_BYTES.or(self.max_header_bytes, d.max_header_bytes)?,
            max_headers: MAX_HEADERS.or(self.max_headers, d.max_headers)?,
            shutdown_grace: secs(
                &SHUTDOWN_GRACE_SECONDS,
                self.shutdown_grace_seconds,
                d.shutdown_grace,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FileConfig;

    #[test]
    fn both_keys_are_read_and_checked_with_the_key_in_the_message() {
        let f: FileConfig = toml::from_str(
            "[http]\ntrusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\"]\npublic_url = \"https://crm.example.com/ns\"\n",
        )
        .unwrap();
        assert!(!f.http.trusted_proxies().unwrap().is_empty());
        assert_eq!(
            f.http.public_url().unwrap().unwrap().to_string(),
            "https://crm.example.com/ns"
        );
        let d = FileConfig::default();
        assert!(d.http.trusted_proxies().unwrap().is_empty());
        assert_eq!(d.http.public_url().unwrap(), None);

        let f: FileConfig =
            toml::from_str("[http]\ntrusted_proxies = [\"10.0.0.0/8\", \"proxy.lan\"]\n").unwrap();
        let e = f.http.trusted_proxies().unwrap_err();
        assert!(
            e.contains("[http] trusted_proxies") && e.contains("\"proxy.lan\""),
            "{e}"
        );
        let f: FileConfig = toml::from_str("[http]\npublic_url = \"crm.example.com\"\n").unwrap();
        let e = f.http.public_url().unwrap_err();
        assert!(
            e.contains("[http] public_url") && e.contains("http://"),
            "{e}"
        );
        assert!(toml::from_str::<FileConfig>("[http]\ntrusted_proxy = []\n").is_err());
    }

    fn section(toml: &str) -> HttpSection {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn defaults_and_values_are_read() {
        let d = HttpSection::default().settings().unwrap();
        assert_eq!(d.header_timeout, Duration::from_secs(10));
        assert_eq!(d.body_timeout, Duration::from_secs(30));
        assert_eq!(d.keep_alive, Duration::from_secs(60));
        assert_eq!(d.max_connections, 4096);
        assert_eq!(d.max_header_bytes, 16 * 1024);
        assert_eq!(d.max_headers, 100);
        assert_eq!(d.shutdown_grace, Duration::from_secs(10));
        let s = section(
            "header_timeout_seconds = 2\nbody_timeout_seconds = 3\nkeep_alive_seconds = 4\n\
             max_connections = 64\nmax_header_bytes = 4096\nmax_headers = 20\nshutdown_grace_seconds = 0\n",
        )
        .settings()
        .unwrap();
        assert_eq!(s.header_timeout, Duration::from_secs(2));
        assert_eq!(s.body_timeout, Duration::from_secs(3));
        assert_eq!(s.keep_alive, Duration::from_secs(4));
        assert_eq!(s.max_connections, 64);
        assert_eq!(s.max_header_bytes, 4096);
        assert_eq!(s.max_headers, 20);
        assert_eq!(s.shutdown_grace, Duration::ZERO);
    }

    #[test]
    fn out_of_range_values_name_their_key() {
        for (toml, expected) in [
            (
                "header_timeout_seconds = 0",
                "[http] header_timeout_seconds = 0 is out of range: use 1 to 300",
            ),
            (
                "body_timeout_seconds = 3601",
                "[http] body_timeout_seconds = 3601",
            ),
            ("keep_alive_seconds = 0", "[http] keep_alive_seconds = 0"),
            ("max_connections = 0", "[http] max_connections = 0"),
            (
                "max_header_bytes = 100",
                "[http] max_header_bytes = 100 is out of range: use 1024 to 1048576",
            ),
            ("max_headers = 5000", "[http] max_headers = 5000"),
            (
                "shutdown_grace_seconds = 601",
                "[http] shutdown_grace_seconds = 601",
            ),
        ] {
            let e = section(toml).settings().unwrap_err();
            assert!(e.contains(expected), "{toml}: {e}");
        }
        assert!(toml::from_str::<HttpSection>("keepalive_seconds = 3").is_err());
    }
}
