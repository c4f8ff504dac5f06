//! The rows of the in-memory store and the rules that keep them consistent: what a
//! database's keys, constraints and transactions guarantee the SQL backends. Every
//! function here runs with the whole state locked, so each is one transaction. Tenants
//! and the directory here; credentials, and tickets, apps and audit beside.

mod credentials;
mod records;

use crate::app::AppRecord;
use crate::associate::{Associate, AssociateId, NewAssociate};
use crate::audit::AuditEvent;
use crate::error::StoreError;
use crate::name_key::name_key;
use crate::store::TicketRecord;
use crate::tenant::{Tenant, TenantId, DEFAULT_TENANT};

/// The name the SQL schemas give the built-in default tenant.
const DEFAULT_TENANT_NAME: &str = "default";
use crate::time::Timestamp;

/// Everything the store holds. Ids are positions plus one: nothing is ever deleted from
/// `tenants`, `associates` or `apps`.
#[derive(Debug)]
pub(super) struct State {
    tenants: Vec<Tenant>,
    associates: Vec<Associate>,
    /// Replaced hashes in the order they were replaced.
    history: Vec<(AssociateId, String)>,
    /// In insertion order.
    tickets: Vec<TicketRecord>,
    apps: Vec<AppRecord>,
    /// In insertion order, which breaks ties between records of the same time.
    audit: Vec<AuditEvent>,
}

impl Default for State {
    fn default() -> Self {
        let default = Tenant {
            id: DEFAULT_TENANT,
            name: DEFAULT_TENANT_NAME.to_owned(),
            created_at: Timestamp(0),
        };
        State {
            tenants: vec![default],
            associates: Vec::new(),
            history: Vec::new(),
            tickets: Vec::new(),
            apps: Vec::new(),
            audit: Vec::new(),
        }
    }
}

/// A failed write, as a backend names one: what failed, never a value.
fn broken(what: &str) -> StoreError {
    StoreError::Backend(format!("{what}: constraint violated"))
}

fn position(id: i64, len: usize) -> Option<usize> {
    let index = usize::try_from(id.checked_sub(1)?).ok()?;
    (index < len).then_some(index)
}

fn next_id(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX).saturating_add(1)
}

impl State {
    pub(super) fn tenant_by_name(&self, name: &str) -> Option<Tenant> {
        let key = name_key(name);
        self.tenants
            .iter()
            .find(|t| name_key(&t.name) == key)
            .cloned()
    }

    pub(super) fn insert_tenant(
        &mut self,
        name: &str,
        at: Timestamp,
    ) -> Result<Tenant, StoreError> {
        if self.tenant_by_name(name).is_some() {
            return Err(StoreError::Conflict);
        }
        let tenant = Tenant {
            id: next_id(self.tenants.len()),
            name: name.to_owned(),
            created_at: at,
        };
        self.tenants.push(tenant.clone());
        Ok(tenant)
    }

    pub(super) fn tenants(&self) -> Vec<Tenant> {
        self.tenants.clone()
    }

    pub(super) fn associate(&self, id: AssociateId) -> Option<&Associate> {
        self.associates
            .get(position(i64::from(id), self.associates.len())?)
    }

    fn associate_mut(&mut self, id: AssociateId) -> Option<&mut Associate> {
        let index = position(i64::from(id), self.associates.len())?;
        self.associates.get_mut(index)
    }

    pub(super) fn associate_by_name(&self, tenant: TenantId, name: &str) -> Option<&Associate> {
        let key = name_key(name);
        self.associates
            .iter()
            .find(|a| a.tenant == tenant && name_key(&a.name) == key)
    }

    pub(super) fn associates_of(&self, tenant: TenantId) -> impl Iterator<Item = &Associate> {
        self.associates.iter().filter(move |a| a.tenant == tenant)
    }

    pub(super) fn insert_associate(&mut self, new: NewAssociate) -> Result<Associate, StoreError> {
        if position(new.tenant, self.tenants.len()).is_none() {
            return Err(broken("insert associate"));
        }
        if self.associate_by_name(new.tenant, &new.name).is_some() {
            return Err(StoreError::Conflict);
        }
        let id = AssociateId::try_from(self.associates.len())
            .map_err(|_| broken("insert associate"))?
            .saturating_add(1);
        let mut rights = new.rights;
        rights.sort();
        rights.dedup();
        let associate = Associate {
            id,
            tenant: new.tenant,
            name: new.name,
            full_name: new.full_name,
            user_type: new.user_type,
            rights,
            retired: false,
            password_hash: new.password_hash,
            must_change: new.must_change,
            lock: Default::default(),
        };
        self.associates.push(associate.clone());
        Ok(associate)
    }

    pub(super) fn retire(&mut self, id: AssociateId) -> bool {
        let Some(associate) = self.associate_mut(id) else {
            return false;
        };
        associate.retired = true;
        self.tickets.retain(|t| t.associate_id != id);
        true
    }
}
