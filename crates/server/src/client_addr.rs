//! The client's address: the TCP peer, unless that peer is one of `[http]
//! trusted_proxies`; then the address that proxy (and any trusted proxy before it)
//! reports in `Forwarded` (RFC 7239, preferred when present) or `X-Forwarded-For`.
//!
//! The chain is read from the right, where our own proxy appended the address it saw,
//! and the first hop that is not a trusted proxy is the client: everything left of it
//! was written by that client and proves nothing. A hop that is not an address
//! (`unknown`, an obfuscated name) ends the walk at the last address read. From a peer
//! that is not a trusted proxy the headers are ignored, so nobody can pick the address
//! the per-address log-in limit and the audit trail see.

use std::net::IpAddr;

use http::{HeaderMap, HeaderName};

/// The proxies whose forwarding headers are believed, as networks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<Net>,
}

/// An address with a prefix length (a single address has the full length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const FORWARDED: HeaderName = HeaderName::from_static("forwarded");

impl TrustedProxies {
    /// Parses addresses (`10.0.0.7`, `::1`) and networks (`10.0.0.0/8`, `fd00::/8`); the
    /// message names the entry that is neither.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        let nets = entries
            .iter()
            .map(|e| Net::parse(e.as_ref().trim()))
            .collect::<Result<_, _>>()?;
        Ok(TrustedProxies { nets })
    }

    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        self.nets.iter().any(|n| n.contains(addr))
    }

    /// The client of a request that arrived from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded_hops(headers).unwrap_or_else(|| x_forwarded_for_hops(headers));
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(addr) = parse_hop(hop) else {
                break;
            };
            client = addr;
            if !self.trusts(addr) {
                break;
            }
        }
        client
    }
}

impl Net {
    fn parse(entry: &str) -> Result<Net, String> {
        let bad = || {
            format!(
                "{entry:?} is neither an IP address nor a network (address/prefix length), \
                 e.g. 10.0.0.7, 10.0.0.0/8, fd00::/8"
            )
        };
        let (addr, prefix) = match entry.split_once('/') {
            Some((addr, len)) => (addr, Some(len)),
            None => (entry, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(len) => len
                .parse::<u8>()
                .ok()
                .filter(|l| *l <= max)
                .ok_or_else(bad)?,
        };
        Ok(Net { addr, prefix })
    }

    fn contains(&self, addr: IpAddr) -> bool {
        let addr = match (self.addr, addr) {
            // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
            (IpAddr::V4(_), IpAddr::V6(v6)) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
            _ => addr,
        };
        match (self.addr, addr) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                masked(u32::from(net).into(), 32, self.prefix)
                    == masked(u32::from(a).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                masked(u128::from(net), 128, self.prefix) == masked(u128::from(a), 128, self.prefix)
            }
            _ => false,
        }
    }
}

/// The top `prefix` bits of a `width`-bit value.
fn masked(value: u128, width: u32, prefix: u8) -> u128 {
    let drop = width - u32::from(prefix);
    if drop >= 128 {
        0
    } else {
        value >> drop
    }
}

/// The `for=` values of every `Forwarded` header line, in order; `None` without one.
fn forwarded_hops(headers: &HeaderMap) -> Option<Vec<String>> {
    let mut lines = headers.get_all(FORWARDED).iter().peekable();
    lines.peek()?;
    let mut hops = Vec::new();
    for line in lines {
        let Ok(line) = line.to_str() else {
            // An unreadable line: its hops cannot be placed, so none to the left count.
            hops.push(String::new());
            continue;
        };
        for element in line.split(',') {
            let value = element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"').to_owned())
            });
            hops.push(value.unwrap_or_default());
        }
    }
    Some(hops)
}

/// The entries of every `X-Forwarded-For` header line, in order.
fn x_forwarded_for_hops(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .flat_map(|line| {
            line.to_str().map_or_else(
                |_| vec![String::new()],
                |l| l.split(',').map(|h| h.trim().to_owned()).collect(),
            )
        })
        .collect()
}

/// An address as proxies write a hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, or
/// `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(addr) = hop.parse() {
        return Some(addr);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (addr, _port) = hop.rsplit_once(':')?;
    addr.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn entries_parse_or_name_themselves() {
        let p = TrustedProxies::parse(&["10.0.0.0/8", " 192.0.2.7 ", "fd00::/8", "::1"]).unwrap();
        assert!(p.trusts(ip("10.200.3.4")) && p.trusts(ip("192.0.2.7")));
        assert!(!p.trusts(ip("192.0.2.8")) && !p.trusts(ip("11.0.0.1")));
        assert!(p.trusts(ip("fd12::5")) && p.trusts(ip("::1")) && !p.trusts(ip("fe80::1")));
        assert!(p.trusts(ip("::ffff:10.1.2.3")));
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0.0/", "::/129", ""] {
            let e = TrustedProxies::parse(&[bad]).unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
        let all = TrustedProxies::parse(&["0.0.0.0/0"]).unwrap();
        assert!(all.trusts(ip("203.0.113.9")));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let p = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        // Two header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.9:5555"),
        ]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        // Not from a trusted proxy: the headers are ignored.
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(p.client(ip("198.51.100.1"), &h), ip("198.51.100.1"));
        // No header from the proxy: the proxy is the client.
        assert_eq!(p.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        // Only trusted hops: the leftmost is the client.
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 10.0.0.2")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("10.9.9.9"));
        // Garbage ends the walk at the last address read.
        let h = headers(&[("x-forwarded-for", "203.0.113.9, unknown, 10.0.0.2")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("10.0.0.2"));
    }

    #[test]
    fn forwarded_is_preferred_and_read_in_its_forms() {
        let p = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.77"),
            (
                "forwarded",
                "for=6.6.6.6, For=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.1",
            ),
        ]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "proto=http;for=192.0.2.60:80")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("192.0.2.60"));
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    }

    #[test]
    fn no_trusted_proxies_means_the_peer_always() {
        let p = TrustedProxies::default();
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=1.2.3.4"),
        ]);
        assert_eq!(p.client(ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }
}
