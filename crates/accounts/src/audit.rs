//! Audit records: who did what to whom, when, from where, and how it ended.
//! Never the password, ticket or token itself.

use crate::associate::AssociateId;
use crate::tenant::TenantId;
use crate::time::Timestamp;

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// The tenant whose trail it belongs to.
    pub tenant: TenantId,
    pub at: Timestamp,
    /// The authenticated caller; `None` before authentication succeeded.
    pub actor: Option<AssociateId>,
    pub target: Option<AssociateId>,
    /// Operation name, e.g. `SetPassword`, `AuthenticateUsernamePassword`, `user add`.
    pub operation: String,
    pub outcome: Outcome,
    /// Client address as the transport saw it.
    pub client: Option<String>,
}

/// `Success`, or the stable error code of the failure.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Success,
    Failure(String),
}

impl Outcome {
    pub fn as_str(&self) -> &str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure(code) => code,
        }
    }
    pub fn parse(s: &str) -> Outcome {
        if s == "success" {
            Outcome::Success
        } else {
            Outcome::Failure(s.to_owned())
        }
    }
}
