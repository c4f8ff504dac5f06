//! `hello --sketch`: the minimal SOAP server of the performance anchors, as a floor for the
//! protocol path: parse the envelope into a tree (roxmltree, as netserver does), take the
//! ticket, look its SHA-256 digest up in memory, and answer an `ExceptionInfo` envelope
//! built with escaping. No log line, operation id, tenant, rights or HTTP framework.

use std::collections::HashSet;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";

/// Digests of the tickets the sketch knows (none of them is the benchmark's).
fn known() -> &'static HashSet<[u8; 32]> {
    static KNOWN: OnceLock<HashSet<[u8; 32]>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        (0..1000u32)
            .map(|i| Sha256::digest(i.to_le_bytes()).into())
            .collect()
    })
}

/// The answer to one request body.
pub fn answer(body: &[u8]) -> String {
    let ticket = std::str::from_utf8(body)
        .ok()
        .and_then(|text| {
            let doc = roxmltree::Document::parse(text).ok()?;
            let node = doc.descendants().find(|n| n.has_tag_name((NS, "Ticket")))?;
            node.text().map(str::to_owned)
        })
        .unwrap_or_default();
    let digest: [u8; 32] = Sha256::digest(ticket.as_bytes()).into();
    let (succeeded, message, kind) = if known().contains(&digest) {
        ("true", "", "")
    } else {
        (
            "false",
            "the ticket is not valid",
            "SoInvalidTicketException",
        )
    };
    let mut out = String::with_capacity(1024);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header>",
        "<ExceptionInfo xmlns=\"http://www.superoffice.net/ws/crm/NetServer/Services88\"><Message>"
    ));
    escape(message, &mut out);
    out.push_str("</Message><ExceptionType>");
    escape(kind, &mut out);
    out.push_str("</ExceptionType><Source>sketch</Source></ExceptionInfo><Succeeded xmlns=\"");
    out.push_str(NS);
    out.push_str("\">");
    out.push_str(succeeded);
    out.push_str("</Succeeded></s:Header><s:Body><SetPasswordResponse xmlns=\"");
    out.push_str(NS);
    out.push_str("\"><Response>false</Response></SetPasswordResponse></s:Body></s:Envelope>");
    out
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
