//! Unit tests of the operations over the in-memory store ([`MemoryStore`]), at fixed
//! times and with the cheapest Argon2id parameters: the domain's rules (rights, the
//! privilege guard, must-change, history, the lock, Online's application checks, tenant
//! isolation) without HTTP, SQL or a clock. Each file covers one rule; this one holds the
//! fixture they share.

mod lockout;
mod online;
mod password_calls;
mod passwords;
mod rights;
mod tenants;

use std::sync::Arc;
use std::time::Duration;

use crate::associate::{Associate, Right, UserType};
use crate::audit::{AuditEvent, AuditFilter};
use crate::hasher::{Hasher, KdfParams};
use crate::ops::{Accounts, CallContext, NewUser};
use crate::secret::Secret;
use crate::settings::Settings;
use crate::store::AuditStore;
use crate::tenant::{TenantId, DEFAULT_TENANT};
use crate::testkit::MemoryStore;
use crate::time::Timestamp;

/// The time every test starts at.
const T0: Timestamp = Timestamp(1_800_000_000);

/// A password every default policy accepts.
const GOOD: &str = "Kingfisher-Meadow-41";

/// One domain service over a fresh in-memory store.
struct Fixture {
    accounts: Accounts,
    store: Arc<MemoryStore>,
}

/// The settings the tests start from: the defaults with a lock after three failures and
/// no per-address rate limit (the contexts carry no address anyway).
fn settings() -> Settings {
    let mut settings = Settings::default();
    settings.lockout.threshold = 3;
    settings.login_rate_per_minute = 0;
    settings
}

fn fixture() -> Fixture {
    fixture_with(settings())
}

fn fixture_with(settings: Settings) -> Fixture {
    let store = Arc::new(MemoryStore::new());
    let hasher = Arc::new(Hasher::new(KdfParams::insecure_for_tests(), 2).unwrap());
    let accounts = Accounts::new(store.clone(), hasher, settings);
    Fixture { accounts, store }
}

/// A call at `now` in the default tenant, with `ticket`.
fn call(ticket: Option<&Secret>, now: Timestamp) -> CallContext {
    CallContext {
        tenant: DEFAULT_TENANT,
        credentials: ticket.cloned().map(crate::Credentials::Ticket),
        app_token: None,
        client: None,
        operation_id: "0123456789abcdef0123456789abcdef".into(),
        now,
    }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

impl Fixture {
    /// Adds `name` to `tenant` with `rights` and the password [`GOOD`].
    async fn user_in(&self, tenant: TenantId, name: &str, rights: &[Right]) -> Associate {
        let user = NewUser {
            name: name.into(),
            full_name: String::new(),
            user_type: UserType::Internal,
            rights: rights.to_vec(),
            password: Some(Secret::new(GOOD)),
            must_change: false,
        };
        self.accounts.add_user(tenant, user, T0).await.unwrap()
    }

    async fn user(&self, name: &str, rights: &[Right]) -> Associate {
        self.user_in(DEFAULT_TENANT, name, rights).await
    }

    /// Logs `name` in with `password` at `now` in `ctx`'s tenant; the ticket, or `None`
    /// when refused.
    async fn login_as(&self, ctx: &CallContext, name: &str, password: &str) -> Option<Secret> {
        let password = Secret::new(password);
        let login = self.accounts.authenticate(name, &password, ctx).await;
        login.unwrap().map(|a| a.ticket)
    }

    /// A ticket of `name` (password [`GOOD`]) obtained at [`T0`].
    async fn ticket(&self, name: &str) -> Secret {
        let ctx = call(None, T0);
        self.login_as(&ctx, name, GOOD).await.unwrap()
    }

    /// The stored associate.
    async fn stored(&self, associate: &Associate) -> Associate {
        use crate::store::DirectoryStore;
        let found = self.store.associate_by_id(associate.id).await.unwrap();
        found.unwrap()
    }

    /// The tenant's audit trail, newest first.
    async fn trail(&self, tenant: TenantId) -> Vec<AuditEvent> {
        let all = AuditFilter {
            since: None,
            associate_id: None,
            limit: 1_000,
        };
        self.store.audit_query(tenant, all).await.unwrap()
    }

    /// The outcome codes of the default tenant's trail, oldest first.
    async fn outcomes(&self) -> Vec<(String, String)> {
        let trail = self.trail(DEFAULT_TENANT).await;
        let pairs = trail.into_iter().rev();
        pairs
            .map(|e| (e.operation, e.outcome.as_str().to_owned()))
            .collect()
    }
}
