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
    /// Client address as the transport saw it; `cli` for the administrative verbs.
    pub client: Option<String>,
    /// The calling application's name, when it is known (registered apps in Online mode).
    pub app: Option<String>,
    /// The id of the request that wrote the record, as returned to the caller.
    pub operation_id: Option<String>,
}

impl AuditEvent {
    /// A successful administrative change made from the command line: no caller, no
    /// request, the client `cli`.
    pub fn by_cli(
        tenant: TenantId,
        operation: &str,
        target: Option<AssociateId>,
        at: Timestamp,
    ) -> AuditEvent {
        AuditEvent {
            tenant,
            at,
            actor: None,
            target,
            operation: operation.into(),
            outcome: Outcome::Success,
            client: Some("cli".into()),
            app: None,
            operation_id: None,
        }
    }
}

/// Which audit events to read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AuditFilter {
    /// Only events at or after this time.
    pub since: Option<Timestamp>,
    /// Only events whose actor or target is this associate.
    pub associate_id: Option<AssociateId>,
    /// At most this many, the newest.
    pub limit: u32,
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
