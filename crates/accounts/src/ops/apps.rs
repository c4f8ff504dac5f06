//! Application tokens: the check every call passes through in Online mode, and the
//! administrative verbs of the CLI (add, list, revoke).

use crate::app::{self, Agent, AppRecord, NewApp};
use crate::audit::AuditEvent;
use crate::error::{AccountError, StoreError};
use crate::ops::{Accounts, CallContext};
use crate::secret::Secret;
use crate::settings::Mode;
use crate::tenant::TenantId;
use crate::time::Timestamp;

impl Accounts {
    /// Whether the calling application may use `agent`. On-site installations do not
    /// look at tokens at all. Online: the token must belong to a registered, unrevoked
    /// app; the User agent must be enabled and the app must have user management.
    /// Answers the app in Online mode: its name for the audit trail, its id for the ticket.
    pub(crate) async fn check_app(
        &self,
        ctx: &CallContext,
        agent: Agent,
    ) -> Result<Option<AppRecord>, AccountError> {
        if self.settings.mode == Mode::Onsite {
            return Ok(None);
        }
        let token = ctx
            .app_token
            .as_ref()
            .filter(|t| !t.expose().trim().is_empty())
            .ok_or(AccountError::AppTokenMissing)?;
        let found = self
            .store
            .app_by_digest(&app::digest(token.expose()))
            .await?;
        let app = found
            .filter(|a| {
                app::matches(token, &a.digest) && a.revoked_at.is_none() && a.tenant == ctx.tenant
            })
            .ok_or(AccountError::AppTokenInvalid)?;
        if agent == Agent::User {
            if !self.settings.user_agent_enabled {
                return Err(AccountError::UserAgentDisabled);
            }
            if !app.user_management {
                return Err(AccountError::PartnerAppRestricted);
            }
        }
        Ok(Some(app))
    }

    /// Registers an application and returns its token, the only time it exists in clear.
    pub async fn add_app(
        &self,
        tenant: TenantId,
        name: &str,
        user_management: bool,
        now: Timestamp,
    ) -> Result<(AppRecord, Secret), AccountError> {
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Err(AccountError::ArgumentMissing("name"));
        }
        let (token, digest) = app::issue();
        let new = NewApp {
            tenant,
            name: name.clone(),
            digest,
            user_management,
            created_at: now,
        };
        let created = self.store.insert_app(new).await.map_err(|e| match e {
            StoreError::Conflict => AccountError::AppNameTaken(name),
            other => AccountError::from(other),
        })?;
        self.audit_app(tenant, "app add", now).await?;
        Ok((created, token))
    }

    /// Revokes an application by name; its token stops working at once. `false` when it
    /// was already revoked: then nothing is changed or audited again.
    pub async fn revoke_app(
        &self,
        tenant: TenantId,
        name: &str,
        now: Timestamp,
    ) -> Result<bool, AccountError> {
        let name = name.trim();
        // Names match case-insensitively, as the store matches them.
        let key = name.to_lowercase();
        let already = self
            .store
            .list_apps(tenant)
            .await?
            .iter()
            .any(|a| a.name.to_lowercase() == key && a.revoked_at.is_some());
        if already {
            return Ok(false);
        }
        if !self.store.revoke_app(tenant, name, now).await? {
            return Err(AccountError::AppNotFound(name.to_owned()));
        }
        self.audit_app(tenant, "app revoke", now).await?;
        Ok(true)
    }

    async fn audit_app(
        &self,
        tenant: TenantId,
        operation: &str,
        now: Timestamp,
    ) -> Result<(), AccountError> {
        let event = AuditEvent::by_cli(tenant, operation, None, now);
        Ok(self.store.record_audit(event).await?)
    }
}
