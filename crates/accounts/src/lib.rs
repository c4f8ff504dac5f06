//! The domain of netserver: associates and their functional rights, password policy and
//! hashing, log-in tickets, application tokens, audit events, the storage capabilities a
//! backend implements (`Store` is all of them), and the operations (`authenticate`,
//! `set_password_of`, …) the protocol adapters call.
//!
//! Nothing here knows HTTP, XML or SQL. Time is always passed in (`Timestamp`) so that
//! expiry is deterministic under test.

mod app;
mod associate;
mod audit;
mod error;
mod hasher;
mod lockout;
mod name_key;
mod ops;
mod policy;
mod secret;
mod settings;
mod standing;
mod store;
mod tenant;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
mod ticket;
mod time;
mod unknown_tickets;

pub use app::{Agent, AppRecord, NewApp};
pub use associate::{parse_rights, Associate, AssociateId, NewAssociate, Right, UserType};
pub use audit::{AuditEvent, AuditFilter, Outcome};
pub use error::{AccountError, StoreError};
pub use hasher::{Hasher, KdfParams, Lane, Verified, WorkArea};
pub use lockout::{refusal_outcome, FailureRecorded, LockState, LockoutSettings, RateLimiter};
pub use name_key::name_key;
pub use ops::{
    Accounts, Authenticated, Authority, CallContext, NewUser, Principal, TargetRef, Validation,
    CHANGE_BY_PASSWORD,
};
pub use policy::{normalize, PasswordPolicy, PolicyViolation, Subject};
pub use secret::Secret;
pub use settings::{Mode, Settings};
pub use store::{
    AppStore, AuditStore, CredentialStore, DirectoryStore, PasswordChange, Readiness, Store,
    TenantStore, TicketRecord, TicketStore,
};
pub use tenant::{
    valid_tenant_name, Tenant, TenantId, DEFAULT_TENANT, DEFAULT_TENANT_NAME, TENANT_NAME_MAX,
};
/// The ticket parser, for the fuzz targets (`fuzz/`) only.
#[cfg(feature = "fuzzing")]
pub use ticket::parse as parse_ticket;
pub use ticket::{IssuedTicket, TicketParts};
pub use time::{Clock, TestClock, Timestamp};
