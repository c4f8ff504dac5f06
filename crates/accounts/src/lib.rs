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
pub use lockout::{FailureRecorded, LockState, LockoutSettings, LoginRefusal};
pub use name_key::name_key;
pub use ops::{
    Accounts, Authenticated, CallContext, Credentials, NewUser, Principal, TargetRef, Validation,
};
pub use policy::{normalize, PasswordPolicy, PolicyViolation, Subject};
pub use secret::Secret;
pub use settings::{Mode, Settings};
pub use store::{
    AppStore, AuditStore, CredentialStore, DirectoryStore, Login, PasswordChange, Readiness, Store,
    TenantStore, TicketRecord, TicketStore,
};
pub use tenant::{Tenant, TenantId, DEFAULT_TENANT};
/// The ticket parser, for the fuzz targets (`fuzz/`) only.
#[cfg(feature = "fuzzing")]
pub use ticket::parse as parse_ticket;
pub use time::{Clock, TestClock, Timestamp};
