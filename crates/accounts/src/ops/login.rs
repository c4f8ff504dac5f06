//! Proving a name and password: the log-in that issues a ticket, and the password sent
//! on a call instead of a ticket. Both pay the same Argon2id verification, count the same
//! failures towards the lock and the per-address limit, and commit what a success writes
//! in one transaction.

use crate::app::Agent;
use crate::associate::Associate;
use crate::audit::{AuditEvent, Outcome};
use crate::error::AccountError;
use crate::lockout::LoginRefusal;
use crate::ops::{Accounts, Authenticated, CallContext, Principal};
use crate::policy::normalize;
use crate::secret::Secret;
use crate::settings::Mode;
use crate::store::Login;
use crate::ticket;

/// The audit name of a log-in.
const LOG_IN: &str = "AuthenticateUsernamePassword";
/// The audit name of a password sent on a call in place of a ticket.
const PASSWORD_ON_CALL: &str = "PasswordCredentials";

/// Who is trying to prove a password, for the audit records of the attempt.
struct Attempt<'a> {
    ctx: &'a CallContext,
    operation: &'static str,
    /// The calling application's name (Online).
    app: Option<String>,
}

impl Attempt<'_> {
    /// The attempt's audit record; the actor is the associate only when it succeeded.
    fn event(&self, target: Option<i32>, outcome: Outcome) -> AuditEvent {
        let actor = target.filter(|_| outcome == Outcome::Success);
        self.ctx
            .audit(actor, target, self.operation, outcome, self.app.clone())
    }
}

/// A proved password: the associate, and what its success writes (the upgraded hash,
/// the lifted lock) before a ticket or audit record is added.
struct Proved {
    associate: Associate,
    login: Login,
}

impl Accounts {
    /// `Ok(None)` is a failed log-in. An unknown name, a retired user, a user without a
    /// password, a wrong password and a locked associate all cost one Argon2id
    /// verification and give the same answer: a locked associate is verified too, then
    /// refused, so that neither its existence nor its lock shows.
    ///
    /// `Err` for a refused application token (Online), `Err(ServerBusy)` when the log-in's
    /// lane of the hashing queue is full, and `Err(TooManyAttempts)` when the client's
    /// address is over the per-minute rate limit (all checked before any password work).
    /// A success writes its ticket and audit record in one transaction: when the record
    /// cannot be written, there is no ticket either.
    pub async fn authenticate(
        &self,
        name: &str,
        password: &Secret,
        ctx: &CallContext,
    ) -> Result<Option<Authenticated>, AccountError> {
        let mut attempt = Attempt {
            ctx,
            operation: LOG_IN,
            app: None,
        };
        let app = match self.check_app(ctx, Agent::SoPrincipal).await {
            Ok(app) => app,
            Err(refused) => {
                let outcome = Outcome::Failure(refused.code().into());
                self.audit_attempt(&attempt, None, outcome).await;
                return Err(refused);
            }
        };
        attempt.app = app.as_ref().map(|a| a.name.clone());
        let Some(Proved {
            associate,
            mut login,
        }) = self.prove(name, password, &attempt).await?
        else {
            return Ok(None);
        };
        let ttl = self
            .settings
            .ticket_ttl
            .min(self.settings.ticket_max_lifetime);
        let issued = ticket::issue(associate.id, app.map(|a| a.id), ctx.now, ttl);
        let expires_at = issued.record.expires_at;
        login.ticket = Some(issued.record);
        login.audit = Some(attempt.event(Some(associate.id), Outcome::Success));
        self.store.commit_login(login).await?;
        self.standing.succeeded(ctx.client.as_deref(), ctx.now);
        Ok(Some(Authenticated {
            associate,
            ticket: issued.ticket,
            expires_at,
        }))
    }

    /// The caller of a call that carries a name and password instead of a ticket (on-site
    /// only), proved as a log-in proves it; no ticket is issued and a success writes only
    /// what the proof changed (an upgraded hash, a lifted lock). The call's own audit
    /// record names the caller.
    pub(crate) async fn password_caller(
        &self,
        name: &str,
        password: &Secret,
        ctx: &CallContext,
    ) -> Result<Principal, AccountError> {
        if self.settings.mode == Mode::Online {
            return Err(AccountError::PasswordCredentialsRefused);
        }
        let attempt = Attempt {
            ctx,
            operation: PASSWORD_ON_CALL,
            app: None,
        };
        let proved = self.prove(name, password, &attempt).await?;
        let Some(Proved { associate, login }) = proved else {
            return Err(AccountError::CredentialsRefused);
        };
        if !login.is_empty() {
            self.store.commit_login(login).await?;
        }
        self.standing.succeeded(ctx.client.as_deref(), ctx.now);
        Ok(Principal {
            associate,
            ticket_id: None,
            app: None,
        })
    }

    /// Judges a name and password: `None` for a refusal (counted and audited here),
    /// `Err` when the attempt was refused before the password was judged.
    ///
    /// The hashing lane is the client address's standing (`crate::standing`), decided
    /// before the name is looked up; a refusal updates that standing here, a success in
    /// the caller once its writes are committed.
    async fn prove(
        &self,
        name: &str,
        password: &Secret,
        attempt: &Attempt<'_>,
    ) -> Result<Option<Proved>, AccountError> {
        let ctx = attempt.ctx;
        let client = ctx.client.as_deref();
        let pass = self.standing.pass(client, ctx.now);
        // Refused as busy before any verification: nothing about the name or the
        // password was judged, so nothing is counted or audited (a flood would fill the
        // audit trail); the log line of the call names the outcome.
        if self.hasher.full(pass.lane()) {
            return Err(AccountError::ServerBusy);
        }
        if let Some(client) = client {
            if !self.login_rate.allow(client, ctx.now) {
                tracing::warn!(client = %client, "log-in rate limit reached");
                let outcome = Outcome::Failure(AccountError::TooManyAttempts.code().into());
                self.audit_attempt(attempt, None, outcome).await;
                return Err(AccountError::TooManyAttempts);
            }
        }
        let found = self
            .store
            .associate_by_name(ctx.tenant, name.trim())
            .await?;
        let password = normalize(password);
        let stored = found.as_ref().and_then(|a| a.password_hash.as_deref());
        let verified = self.hasher.verify(&password, stored, pass.lane()).await?;
        drop(pass);
        let Some(associate) = found else {
            self.standing.failed(client);
            // No row to count the failure on; the verification above cost the same work.
            let outcome = LoginRefusal::Failed.outcome();
            self.audit_attempt(attempt, None, outcome).await;
            return Ok(None);
        };
        let locked = associate.lock.is_locked(ctx.now);
        if locked || associate.retired || !verified.matches {
            self.standing.failed(client);
            self.refuse(&associate, attempt, locked).await;
            return Ok(None);
        }
        // Parameters changed since this hash was made: upgrade it now that we hold the
        // password (or at a later log-in, when the hashing queue is full now).
        let rehash = match verified.needs_rehash {
            false => None,
            true => match self.hasher.hash(&password).await {
                Ok(phc) => Some(phc),
                Err(AccountError::ServerBusy) => None,
                Err(e) => return Err(e),
            },
        };
        let login = Login {
            associate_id: associate.id,
            rehash,
            clear_lock: !associate.lock.is_clear(),
            ticket: None,
            audit: None,
        };
        Ok(Some(Proved { associate, login }))
    }

    /// A refused proof of an existing associate: the failure counted and its audit record
    /// written in one store transaction, so that it costs one commit like the refusal of
    /// an unknown name (only its audit record): with two, a wrong password answered
    /// measurably later than an unknown name or a locked associate. A store failure is
    /// logged, and the audit record then written on its own; the answer is the same.
    async fn refuse(&self, found: &Associate, attempt: &Attempt<'_>, locked: bool) {
        let ctx = attempt.ctx;
        // The outcome is named again by the store from what counting this failure did.
        let event = attempt.event(Some(found.id), LoginRefusal::of(None, locked).outcome());
        let settings = &self.settings.lockout;
        let recorded = self
            .store
            .record_refused_login(found.id, ctx.now, settings, locked, event)
            .await;
        match recorded {
            Ok(Some(r)) if r.locked_now() => tracing::warn!(
                associate = found.id,
                failures = r.after.failed_logins,
                until = r.after.locked_until.map_or(0, |t| t.0),
                "associate locked after repeated failed log-ins"
            ),
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "could not record a refused log-in");
                let outcome = LoginRefusal::of(None, locked).outcome();
                self.audit_attempt(attempt, Some(found.id), outcome).await;
            }
        }
    }

    /// The audit record of a refused attempt; a store failure is logged, the refusal
    /// stands.
    async fn audit_attempt(&self, attempt: &Attempt<'_>, target: Option<i32>, outcome: Outcome) {
        let event = attempt.event(target, outcome);
        if let Err(e) = self.store.record_audit(event).await {
            tracing::error!(error = %e, "could not write the audit record of a log-in");
        }
    }
}
