//! Log-in tickets: `7T:` + base64 of `{GUID};<secret>`, as SuperOffice shapes them.
//!
//! The GUID is the row key; only the SHA-256 digest of the secret is stored, and the
//! comparison is constant-time. The secret carries 256 random bits.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::associate::AssociateId;
use crate::secret::Secret;
use crate::store::TicketRecord;
use crate::time::Timestamp;

const PREFIX: &str = "7T:";

/// A freshly issued ticket: the clear value for the caller, the record for the store.
#[derive(Debug)]
pub struct IssuedTicket {
    pub ticket: Secret,
    pub record: TicketRecord,
}

/// A ticket taken apart.
#[derive(Debug)]
pub struct TicketParts {
    pub id: String,
    pub secret: Secret,
}

/// A new ticket of `associate_id` obtained through the application `app_id` (Online).
pub fn issue(
    associate_id: AssociateId,
    app_id: Option<i64>,
    now: Timestamp,
    ttl: std::time::Duration,
) -> IssuedTicket {
    let id = format!("{{{}}}", uuid::Uuid::new_v4()).to_uppercase();
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let secret = STANDARD_NO_PAD.encode(raw);
    let ticket = format!("{PREFIX}{}", STANDARD.encode(format!("{id};{secret}")));
    IssuedTicket {
        ticket: Secret::new(ticket),
        record: TicketRecord {
            id,
            digest: digest(&secret),
            associate_id,
            created_at: now,
            expires_at: now.plus(ttl),
            app_id,
        },
    }
}

/// Splits a ticket; `None` for anything not shaped like one of ours.
pub fn parse(ticket: &str) -> Option<TicketParts> {
    let b64 = ticket.trim().strip_prefix(PREFIX)?;
    let bytes = STANDARD
        .decode(b64)
        .or_else(|_| STANDARD_NO_PAD.decode(b64))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(';')?;
    if issued_guid(id).is_none() || secret.is_empty() {
        return None;
    }
    Some(TicketParts {
        id: id.to_owned(),
        secret: Secret::new(secret),
    })
}

/// The GUID of `id` if `id` has the one form `issue` gives ids: `{`, an upper-case
/// hyphenated GUID, `}`. The store compares ids as strings, so an id of any other form (a
/// lower-case GUID included) names no ticket, and is refused without asking the store.
pub(crate) fn issued_guid(id: &str) -> Option<u128> {
    let guid = id.strip_prefix('{')?.strip_suffix('}')?;
    if guid.len() != 36 {
        return None;
    }
    let mut value = 0u128;
    for (i, b) in guid.bytes().enumerate() {
        let digit = match (i, b) {
            (8 | 13 | 18 | 23, b'-') => continue,
            (8 | 13 | 18 | 23, _) => return None,
            (_, b'0'..=b'9') => b - b'0',
            (_, b'A'..=b'F') => b - b'A' + 10,
            _ => return None,
        };
        value = value << 4 | u128::from(digit);
    }
    Some(value)
}

/// Constant-time check of a presented secret against a stored digest.
pub fn matches(secret: &Secret, stored: &[u8; 32]) -> bool {
    digest(secret.expose()).ct_eq(stored).into()
}

fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn issued_tickets_parse_back_and_match() {
        let t = issue(7, None, Timestamp(100), Duration::from_secs(60));
        assert!(t.ticket.expose().starts_with("7T:"));
        assert_eq!(t.record.expires_at, Timestamp(160));
        let parts = parse(t.ticket.expose()).unwrap();
        assert_eq!(parts.id, t.record.id);
        assert!(matches(&parts.secret, &t.record.digest));
        assert!(!matches(&Secret::new("other"), &t.record.digest));
    }

    #[test]
    fn record_holds_no_clear_secret() {
        let t = issue(1, None, Timestamp(0), Duration::from_secs(1));
        let parts = parse(t.ticket.expose()).unwrap();
        assert!(!format!("{:?}", t.record).contains(parts.secret.expose()));
    }

    #[test]
    fn foreign_shapes_are_refused() {
        assert!(parse("7T:1234abcxyzExample==").is_none());
        assert!(parse("").is_none());
        assert!(parse("8A:abc").is_none());
        let no_secret = format!(
            "7T:{}",
            STANDARD.encode("{00000000-0000-0000-0000-000000000000};")
        );
        assert!(parse(&no_secret).is_none());
    }

    #[test]
    fn issued_ids_give_their_guid() {
        let t = issue(7, None, Timestamp(100), Duration::from_secs(60));
        let id = &t.record.id;
        let expected = uuid::Uuid::parse_str(&id[1..37]).unwrap().as_u128();
        assert_eq!(issued_guid(id), Some(expected));
    }

    #[test]
    fn only_ids_of_the_issued_form_are_taken() {
        let t = issue(7, None, Timestamp(100), Duration::from_secs(60));
        let parts = parse(t.ticket.expose()).unwrap();
        let shaped = |id: &str| format!("7T:{}", STANDARD.encode(format!("{id};secret")));
        assert!(parse(&shaped(&parts.id)).is_some());
        for other in [
            parts.id.to_lowercase(),
            parts.id.trim_matches(['{', '}']).to_owned(),
            parts.id.replace('-', ""),
            format!("{{{}}}", "G".repeat(36)),
            "{0B4F6A52-3C1E-4F0A-9D2B-6E8A1C5D7F9}}".to_owned(),
            "{0B4F6A52+3C1E-4F0A-9D2B-6E8A1C5D7F90}".to_owned(),
        ] {
            assert!(parse(&shaped(&other)).is_none(), "{other}");
        }
    }
}
