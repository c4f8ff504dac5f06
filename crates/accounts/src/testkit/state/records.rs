//! Tickets, applications and the audit trail, as the SQL backends keep them.

use super::{broken, next_id, position, State};
use crate::app::{AppRecord, NewApp};
use crate::audit::{AuditEvent, AuditFilter};
use crate::error::StoreError;
use crate::name_key::name_key;
use crate::store::TicketRecord;
use crate::tenant::TenantId;
use crate::time::Timestamp;

impl State {
    pub(in crate::testkit) fn insert_ticket(
        &mut self,
        ticket: TicketRecord,
    ) -> Result<(), StoreError> {
        let duplicate = self.tickets.iter().any(|t| t.id == ticket.id);
        let owner = self.associate(ticket.associate_id).is_some();
        // A match, not `is_none_or`, which is newer than the workspace MSRV.
        let app = match ticket.app_id {
            Some(id) => position(id, self.apps.len()).is_some(),
            None => true,
        };
        if duplicate || !owner || !app {
            return Err(broken("insert ticket"));
        }
        self.tickets.push(ticket);
        Ok(())
    }

    pub(in crate::testkit) fn ticket(&self, id: &str) -> Option<TicketRecord> {
        self.tickets.iter().find(|t| t.id == id).cloned()
    }

    pub(in crate::testkit) fn renew_ticket(&mut self, id: &str, expires_at: Timestamp) {
        if let Some(t) = self.tickets.iter_mut().find(|t| t.id == id) {
            t.expires_at = expires_at;
        }
    }

    /// Removes at most `limit` of the tickets expired before `now`, longest expired first.
    pub(in crate::testkit) fn purge_tickets(&mut self, now: Timestamp, limit: u32) -> u64 {
        let mut expired: Vec<(Timestamp, String)> = self
            .tickets
            .iter()
            .filter(|t| t.expires_at < now)
            .map(|t| (t.expires_at, t.id.clone()))
            .collect();
        expired.sort();
        expired.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        self.tickets
            .retain(|t| !expired.iter().any(|(_, id)| *id == t.id));
        u64::try_from(expired.len()).unwrap_or(u64::MAX)
    }

    pub(in crate::testkit) fn insert_app(&mut self, new: NewApp) -> Result<AppRecord, StoreError> {
        if position(new.tenant, self.tenants.len()).is_none() {
            return Err(broken("insert app"));
        }
        let key = name_key(&new.name);
        let taken = self.apps.iter().any(|a| {
            a.digest == new.digest || (a.tenant == new.tenant && name_key(&a.name) == key)
        });
        if taken {
            return Err(StoreError::Conflict);
        }
        let app = AppRecord {
            id: next_id(self.apps.len()),
            tenant: new.tenant,
            name: new.name,
            digest: new.digest,
            user_management: new.user_management,
            created_at: new.created_at,
            revoked_at: None,
        };
        self.apps.push(app.clone());
        Ok(app)
    }

    pub(in crate::testkit) fn app_by_digest(&self, digest: &[u8; 32]) -> Option<AppRecord> {
        self.apps.iter().find(|a| a.digest == *digest).cloned()
    }

    pub(in crate::testkit) fn apps_of(&self, tenant: TenantId) -> Vec<AppRecord> {
        self.apps
            .iter()
            .filter(|a| a.tenant == tenant)
            .cloned()
            .collect()
    }

    pub(in crate::testkit) fn revoke_app(
        &mut self,
        tenant: TenantId,
        name: &str,
        at: Timestamp,
    ) -> bool {
        let key = name_key(name);
        let found = self
            .apps
            .iter_mut()
            .find(|a| a.tenant == tenant && name_key(&a.name) == key);
        let Some(app) = found else {
            return false;
        };
        app.revoked_at = app.revoked_at.or(Some(at));
        true
    }

    pub(in crate::testkit) fn record_audit(&mut self, event: AuditEvent) {
        self.audit.push(event);
    }

    /// Newest first: by time, then by insertion.
    pub(in crate::testkit) fn audit_query(
        &self,
        tenant: TenantId,
        filter: &AuditFilter,
    ) -> Vec<AuditEvent> {
        let mut found: Vec<&AuditEvent> = self
            .audit
            .iter()
            .rev()
            .filter(|e| e.tenant == tenant)
            .filter(|e| !matches!(filter.since, Some(since) if e.at < since))
            .filter(|e| {
                let id = filter.associate_id;
                id.is_none() || e.actor == id || e.target == id
            })
            .collect();
        // Stable: records of one time stay newest-inserted first.
        found.sort_by_key(|e| std::cmp::Reverse(e.at));
        let limit = usize::try_from(filter.limit).unwrap_or(usize::MAX);
        found.into_iter().take(limit).cloned().collect()
    }

    /// Removes at most `limit` of the records older than `before`, oldest first.
    pub(in crate::testkit) fn purge_audit(&mut self, before: Timestamp, limit: u32) -> u64 {
        let mut old: Vec<(Timestamp, usize)> = self
            .audit
            .iter()
            .enumerate()
            .filter(|(_, e)| e.at < before)
            .map(|(index, e)| (e.at, index))
            .collect();
        old.sort();
        old.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let mut gone: Vec<usize> = old.into_iter().map(|(_, index)| index).collect();
        gone.sort_unstable();
        for index in gone.iter().rev() {
            self.audit.remove(*index);
        }
        u64::try_from(gone.len()).unwrap_or(u64::MAX)
    }
}
