//! Application tokens: what an Online installation asks every call to carry.
//!
//! A token is 256 random bits from the OS CSPRNG, sent as unpadded base64url. Only its
//! SHA-256 digest is stored; the digest is the lookup key (the token has no id part) and
//! the fetched row is compared again in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::secret::Secret;
use crate::tenant::TenantId;
use crate::time::Timestamp;

/// The agent a call is for; the application check depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    SoPrincipal,
    User,
}

/// A registered application. An app without user management is a partner app.
#[derive(Debug, Clone, PartialEq)]
pub struct AppRecord {
    pub id: i64,
    /// The tenant that registered it; its token is worthless at any other.
    pub tenant: TenantId,
    pub name: String,
    pub digest: [u8; 32],
    pub user_management: bool,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// An application to register.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApp {
    pub tenant: TenantId,
    pub name: String,
    pub digest: [u8; 32],
    pub user_management: bool,
    pub created_at: Timestamp,
}

/// A new random token and its digest.
pub(crate) fn issue() -> (Secret, [u8; 32]) {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = URL_SAFE_NO_PAD.encode(raw);
    let digest = digest(&token);
    (Secret::new(token), digest)
}

pub(crate) fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.trim().as_bytes()).into()
}

/// Constant-time check of a presented token against a stored digest.
pub(crate) fn matches(token: &Secret, stored: &[u8; 32]) -> bool {
    digest(token.expose()).ct_eq(stored).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_match_their_digest() {
        let (a, da) = issue();
        let (b, db) = issue();
        assert_ne!(a, b);
        assert_ne!(da, db);
        assert_eq!(a.expose().len(), 43);
        assert!(a
            .expose()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert!(matches(&a, &da));
        assert!(!matches(&b, &da));
        assert!(!matches(&Secret::new(""), &da));
    }
}
