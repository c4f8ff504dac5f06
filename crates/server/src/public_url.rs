//! The address the WSDL and the info pages name for a service.
//!
//! A WSDL's `soap:address` is where generated proxies send every call, passwords
//! included; built from the request's `Host` header it is whatever the requester (or a
//! cache in front, keyed without the header) made it. So the address comes from
//! `[http] public_url` when that is set, and otherwise from a `Host` header only when it
//! is a plain `host[:port]`: a DNS name, an IPv4 address or a bracketed IPv6 address,
//! and a port 1–65535. Anything else is refused with 400, as HTTP/1.1 asks of an invalid
//! `Host`, rather than answered with a guessed address.

use std::fmt;
use std::net::Ipv6Addr;

/// `[http] public_url`: scheme, host, optional port and optional path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// `http` or `https`.
    scheme: &'static str,
    /// `host[:port]` as validated by [`is_plain_host`].
    authority: String,
    /// Empty, or `/a/b` (no trailing slash): what a proxy in front adds before our paths.
    prefix: String,
}

impl PublicUrl {
    /// Parses `scheme://host[:port][/prefix]`; the message says what is wrong.
    pub fn parse(url: &str) -> Result<PublicUrl, String> {
        let (scheme, rest) = if let Some(rest) = strip_prefix_ci(url, "https://") {
            ("https", rest)
        } else if let Some(rest) = strip_prefix_ci(url, "http://") {
            ("http", rest)
        } else {
            return Err(format!(
                "{url:?} must start with http:// or https://, e.g. https://crm.example.com"
            ));
        };
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !is_plain_host(authority) {
            return Err(format!(
                "{url:?}: {authority:?} is not a plain host[:port] (a DNS name, an IPv4 \
                 address or a bracketed IPv6 address, and a port 1-65535)"
            ));
        }
        let prefix = path.trim_end_matches('/');
        if !prefix.bytes().all(path_byte) {
            return Err(format!(
                "{url:?}: the path may hold letters, digits, '/', '-', '.', '_', '~' and \
                 %-escapes only (no query, fragment or spaces)"
            ));
        }
        Ok(PublicUrl {
            scheme,
            authority: authority.to_ascii_lowercase(),
            prefix: prefix.to_owned(),
        })
    }

    /// The address of the service at `svc_path` (`/Remote/Services88/User.svc`).
    pub fn address(&self, svc_path: &str) -> String {
        format!(
            "{}://{}{}{svc_path}",
            self.scheme, self.authority, self.prefix
        )
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.prefix)
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"/-._~%".contains(&b)
}

/// Is `authority` a plain `host[:port]`: a DNS name (labels of letters, digits and
/// inner hyphens, at most 63 bytes each and 253 in all), an IPv4 address, or an IPv6
/// address in brackets; then optionally `:` and a port 1–65535.
pub fn is_plain_host(authority: &str) -> bool {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return false;
        };
        if v6.parse::<Ipv6Addr>().is_err() {
            return false;
        }
        match after {
            "" => return true,
            _ => match after.strip_prefix(':') {
                Some(port) => ("", Some(port)),
                None => return false,
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port_ok = match port {
        None => true,
        Some(p) => {
            (1..=5).contains(&p.len())
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| (1..=65_535).contains(&n))
        }
    };
    port_ok && (authority.starts_with('[') || is_dns_name(host))
}

fn is_dns_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_hosts_pass_and_anything_else_fails() {
        for ok in [
            "localhost",
            "crm.example.test:8443",
            "127.0.0.1:8080",
            "[::1]",
            "[2001:db8::1]:443",
            "a-b.c",
        ] {
            assert!(is_plain_host(ok), "{ok}");
        }
        for bad in [
            "",
            "evil\"><x",
            "a b",
            "user@host",
            "host:",
            "host:0",
            "host:65536",
            "host:80:80",
            "-a.b",
            "a..b",
            "host/x",
            "[::1",
            "[nope]:80",
            "[::1]x",
            "h\u{f6}st",
            "host.:80",
        ] {
            assert!(!is_plain_host(bad), "{bad:?}");
        }
    }

    #[test]
    fn public_urls_parse_into_addresses() {
        let u = PublicUrl::parse("HTTPS://CRM.Example.com:8443/netserver/").unwrap();
        assert_eq!(
            u.address("/Remote/Services88/User.svc"),
            "https://crm.example.com:8443/netserver/Remote/Services88/User.svc"
        );
        assert_eq!(u.to_string(), "https://crm.example.com:8443/netserver");
        let u = PublicUrl::parse("http://10.0.0.5").unwrap();
        assert_eq!(u.address("/x.svc"), "http://10.0.0.5/x.svc");
        for bad in [
            "crm.example.com",
            "ftp://crm.example.com",
            "https://",
            "https://user@crm.example.com",
            "https://crm.example.com:99999",
            "https://crm.example.com/a b",
            "https://crm.example.com/a?x=1",
            "https://crm.example.com/#x",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
