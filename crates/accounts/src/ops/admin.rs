//! Administrative verbs used by the CLI on the store directly: add, list, retire, and
//! the first administrator of an empty store.

use rand::distributions::{Alphanumeric, DistString};

use crate::associate::{Associate, NewAssociate, Right, UserType};
use crate::audit::AuditEvent;
use crate::error::{AccountError, StoreError};
use crate::ops::Accounts;
use crate::policy::{normalize, Subject};
use crate::secret::Secret;
use crate::tenant::TenantId;
use crate::time::Timestamp;

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub full_name: String,
    pub user_type: UserType,
    pub rights: Vec<Right>,
    pub password: Option<Secret>,
    /// Must change the password at the next log-in.
    pub must_change: bool,
}

impl Accounts {
    /// Creates an associate; the password, if any, must satisfy the policy.
    pub async fn add_user(
        &self,
        tenant: TenantId,
        user: NewUser,
        now: Timestamp,
    ) -> Result<Associate, AccountError> {
        let name = user.name.trim().to_owned();
        if name.is_empty() {
            return Err(AccountError::ArgumentMissing("name"));
        }
        let password_hash = match &user.password {
            Some(pw) => {
                let pw = normalize(pw);
                let subject = Subject {
                    name: &name,
                    full_name: &user.full_name,
                };
                self.settings.policy.check_for(&pw, Some(&subject))?;
                Some(self.hasher.hash(&pw).await?)
            }
            None => None,
        };
        let new = NewAssociate {
            tenant,
            name: name.clone(),
            full_name: user.full_name,
            user_type: user.user_type,
            rights: user.rights,
            password_hash,
            must_change: user.must_change,
            created_at: now,
        };
        // The store fills in the new associate's id as the record's target.
        let audit = AuditEvent::by_cli(tenant, "user add", None, now);
        self.store
            .insert_associate_audited(new, Some(audit))
            .await
            .map_err(|e| match e {
                StoreError::Conflict => AccountError::AssociateNameTaken(name),
                other => AccountError::from(other),
            })
    }

    /// Retires an associate by name and revokes its tickets. Returns the associate as it
    /// was: one already retired is left alone (nothing is changed or audited again).
    pub async fn retire_user(
        &self,
        tenant: TenantId,
        name: &str,
        now: Timestamp,
    ) -> Result<Associate, AccountError> {
        let found = self.store.associate_by_name(tenant, name.trim()).await?;
        let associate =
            found.ok_or_else(|| AccountError::AssociateNameNotFound(name.trim().to_owned()))?;
        if associate.retired {
            return Ok(associate);
        }
        self.store.retire_associate(associate.id).await?;
        self.audit_admin(tenant, "user retire", Some(associate.id), now)
            .await?;
        Ok(associate)
    }

    /// Forgets an associate's failed log-ins and lifts its lock (`netserver user unlock`);
    /// returns the associate as it was, so the caller can say whether it was locked.
    pub async fn unlock_user(
        &self,
        tenant: TenantId,
        name: &str,
        now: Timestamp,
    ) -> Result<Associate, AccountError> {
        let found = self.store.associate_by_name(tenant, name.trim()).await?;
        let associate =
            found.ok_or_else(|| AccountError::AssociateNameNotFound(name.trim().to_owned()))?;
        self.store.clear_login_failures(associate.id).await?;
        self.audit_admin(tenant, "user unlock", Some(associate.id), now)
            .await?;
        Ok(associate)
    }

    /// On a tenant without users, creates `admin` with `admin-all` and a random password,
    /// which is returned once for the operator to read; `None` when it already has users.
    /// With `must_change` the administrator must change that password at its first
    /// log-in before anything else.
    pub async fn bootstrap_admin(
        &self,
        tenant: TenantId,
        now: Timestamp,
        must_change: bool,
    ) -> Result<Option<(Associate, Secret)>, AccountError> {
        if self.store.count_associates(tenant).await? > 0 {
            return Ok(None);
        }
        let password = Secret::new(Alphanumeric.sample_string(&mut rand::rngs::OsRng, 24));
        let user = NewUser {
            name: "admin".into(),
            full_name: "Administrator".into(),
            user_type: UserType::Internal,
            rights: vec![Right::AdminAll],
            password: Some(password.clone()),
            must_change,
        };
        match self.add_user(tenant, user, now).await {
            Ok(created) => Ok(Some((created, password))),
            // Another node sharing the store made it between our count and our insert.
            Err(AccountError::AssociateNameTaken(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) async fn audit_admin(
        &self,
        tenant: TenantId,
        operation: &str,
        target: Option<i32>,
        now: Timestamp,
    ) -> Result<(), AccountError> {
        let event = AuditEvent::by_cli(tenant, operation, target, now);
        Ok(self.store.record_audit(event).await?)
    }
}
