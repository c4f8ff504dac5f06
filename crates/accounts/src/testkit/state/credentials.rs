//! An associate's password, its history and the soft lock, as the SQL backends keep them.

use super::State;
use crate::associate::AssociateId;
use crate::audit::AuditEvent;
use crate::error::StoreError;
use crate::lockout::{FailureRecorded, LockoutSettings, LoginRefusal};
use crate::store::{Login, PasswordChange};
use crate::time::Timestamp;

impl State {
    /// The log-in's writes, all or none: the ticket, the one write that can be refused,
    /// goes first.
    pub(in crate::testkit) fn commit_login(&mut self, login: Login) -> Result<(), StoreError> {
        if let Some(ticket) = login.ticket {
            self.insert_ticket(ticket)?;
        }
        if let Some(associate) = self.associate_mut(login.associate_id) {
            if let Some(hash) = login.rehash {
                associate.password_hash = Some(hash);
            }
            if login.clear_lock {
                associate.lock = Default::default();
            }
        }
        if let Some(event) = login.audit {
            self.record_audit(event);
        }
        Ok(())
    }

    /// The change's writes, all or (for an unknown associate) none.
    pub(in crate::testkit) fn commit_password_change(&mut self, change: PasswordChange) -> bool {
        let id = change.associate_id;
        let Some(associate) = self.associate_mut(id) else {
            return false;
        };
        let old = associate.password_hash.replace(change.password_hash);
        associate.must_change = change.must_change;
        if change.clear_lock {
            associate.lock = Default::default();
        }
        if let (Some(old), true) = (old, change.history_keep > 0) {
            self.history.push((id, old));
        }
        self.trim_history(id, change.history_keep);
        let keep = change.keep_ticket.as_deref();
        self.tickets
            .retain(|t| t.associate_id != id || Some(t.id.as_str()) == keep);
        self.audit.push(change.audit);
        true
    }

    /// Keeps the associate's `keep` newest remembered hashes.
    fn trim_history(&mut self, id: AssociateId, keep: usize) {
        let mut seen = 0;
        for index in (0..self.history.len()).rev() {
            if self.history[index].0 == id {
                seen += 1;
                if seen > keep {
                    self.history.remove(index);
                }
            }
        }
    }

    pub(in crate::testkit) fn password_history(&self, id: AssociateId, limit: u32) -> Vec<String> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let newest_first = self.history.iter().rev().filter(|(of, _)| *of == id);
        newest_first.map(|(_, h)| h.clone()).take(limit).collect()
    }

    pub(in crate::testkit) fn count_failure(
        &mut self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
    ) -> Option<FailureRecorded> {
        let associate = self.associate_mut(id)?;
        let before = associate.lock;
        associate.lock = before.after_failure(now, settings);
        Some(FailureRecorded {
            before,
            after: associate.lock,
        })
    }

    pub(in crate::testkit) fn refuse_login(
        &mut self,
        id: AssociateId,
        now: Timestamp,
        settings: &LockoutSettings,
        locked: bool,
        mut event: AuditEvent,
    ) -> Option<FailureRecorded> {
        let recorded = self.count_failure(id, now, settings);
        event.outcome = LoginRefusal::of(recorded.as_ref(), locked).outcome();
        self.audit.push(event);
        recorded
    }

    pub(in crate::testkit) fn clear_failures(&mut self, id: AssociateId) -> bool {
        let Some(associate) = self.associate_mut(id) else {
            return false;
        };
        associate.lock = Default::default();
        true
    }
}
