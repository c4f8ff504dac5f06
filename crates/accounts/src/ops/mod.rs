//! The operations the protocol adapters call: log-in, ticket checks, password changes and
//! the administrative verbs of the CLI. Each takes the time it runs at.

mod admin;
mod apply;
mod apps;
mod auth;
mod listing;
mod login;
mod password;
mod query;
mod rules;
mod tenants;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::associate::{Associate, AssociateId};
use crate::audit::{AuditEvent, Outcome};
use crate::hasher::Hasher;
use crate::lockout::RateLimiter;
use crate::secret::Secret;
use crate::settings::Settings;
use crate::standing::Standing;
use crate::store::Store;
use crate::tenant::TenantId;
use crate::time::Timestamp;
use crate::unknown_tickets::UnknownTickets;

pub use admin::NewUser;
pub use password::TargetRef;
pub use query::Validation;

/// How the caller of a User agent call says who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A ticket from a log-in (SOAP's `Credentials` header, REST's `SOTicket`).
    Ticket(Secret),
    /// A name and password proved on this very call as a log-in proves them, without a
    /// ticket (REST's `Basic`, on-site only).
    Password { name: String, password: Secret },
}

/// What a protocol adapter knows about one call.
#[derive(Debug, Clone)]
pub struct CallContext {
    /// The tenant the request's path named (the default tenant without a customer segment).
    pub tenant: TenantId,
    pub credentials: Option<Credentials>,
    pub app_token: Option<Secret>,
    /// The client's address as the transport saw it, for the audit trail.
    pub client: Option<String>,
    /// The request's id: in every audit record it writes, and returned to the caller.
    pub operation_id: String,
    pub now: Timestamp,
}

impl CallContext {
    /// The ticket the caller sent, if that is how it authenticates.
    pub fn ticket(&self) -> Option<&Secret> {
        match &self.credentials {
            Some(Credentials::Ticket(ticket)) => Some(ticket),
            _ => None,
        }
    }

    /// An audit record of this call.
    pub(crate) fn audit(
        &self,
        actor: Option<AssociateId>,
        target: Option<AssociateId>,
        operation: &str,
        outcome: Outcome,
        app: Option<String>,
    ) -> AuditEvent {
        AuditEvent {
            tenant: self.tenant,
            at: self.now,
            actor,
            target,
            operation: operation.into(),
            outcome,
            client: self.client.clone(),
            app,
            operation_id: Some(self.operation_id.clone()),
        }
    }
}

/// The authenticated caller of one request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub associate: Associate,
    /// The ticket it called with; `None` when it proved its password on the call.
    pub ticket_id: Option<String>,
    /// The calling application's name, when known.
    pub app: Option<String>,
}

impl Principal {
    /// An audit record of `ctx`'s call, made by this caller.
    pub(crate) fn audit(
        &self,
        ctx: &CallContext,
        target: Option<AssociateId>,
        operation: &str,
        outcome: Outcome,
    ) -> AuditEvent {
        let actor = Some(self.associate.id);
        ctx.audit(actor, target, operation, outcome, self.app.clone())
    }
}

/// A successful log-in.
#[derive(Debug)]
pub struct Authenticated {
    pub associate: Associate,
    pub ticket: Secret,
    pub expires_at: Timestamp,
}

/// The domain service: one per server, shared by all requests.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn Store>,
    hasher: Arc<Hasher>,
    settings: Arc<Settings>,
    /// Log-in attempts per client address (this process only).
    login_rate: Arc<RateLimiter>,
    /// Administrators' password sets refused as reused, per administrator (this process
    /// only): past the limit, their sets are refused before any password work.
    reuse_refusals: Arc<RateLimiter>,
    /// Ticket ids the store was asked for and did not have.
    unknown_tickets: Arc<UnknownTickets>,
    /// Client addresses whose log-ins go in the hashing queue's priority lane.
    standing: Arc<Standing>,
}

impl Accounts {
    pub fn new(store: Arc<dyn Store>, hasher: Arc<Hasher>, settings: Settings) -> Self {
        Accounts {
            store,
            hasher,
            login_rate: Arc::new(RateLimiter::new(settings.login_rate_per_minute)),
            reuse_refusals: Arc::new(RateLimiter::per_window(
                settings.reuse_refusals_per_hour,
                std::time::Duration::from_secs(3600),
            )),
            unknown_tickets: Arc::default(),
            standing: Arc::default(),
            settings: Arc::new(settings),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Readiness: whether requests can be served now, i.e. the store answers.
    pub async fn ready(&self) -> Result<(), crate::AccountError> {
        Ok(self.store.ping().await?)
    }
}
