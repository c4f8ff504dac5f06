//! Which log-ins go in the hashing queue's priority lane: those from a client address in
//! good standing, i.e. one that logged in successfully within the last day and has had
//! no failed log-in since (this process's memory).
//!
//! Why a success and not merely "no recent failure": addresses cost an attacker little
//! (a botnet, an IPv6 prefix), so if every address without failures were in good
//! standing, a flood rotating addresses would fill the priority lane with first
//! attempts. A success needs a valid password; an attacker holding one can still bring an
//! address into good standing, and each such address then has at most
//! [`MAX_IN_FLIGHT`] priority log-ins at a time and loses its standing at its first
//! failure. The price: a user's first log-in from a new address waits in the normal lane.
//!
//! The lane is decided before the user is looked up, from the address alone, so it says
//! nothing about whether the name exists; an unknown name fails like a wrong password.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::hasher::Lane;
use crate::time::Timestamp;

/// How long a successful log-in keeps its address in good standing.
pub const GOOD_FOR_SECS: i64 = 24 * 3600;
/// Priority log-ins one address may have in the queue at once; more go in the normal lane.
/// Above one, so that several users behind one NAT address are not held to one.
pub const MAX_IN_FLIGHT: u32 = 4;
/// Addresses remembered at most; past it, expired ones are dropped and new ones wait
/// until there is room (their log-ins go in the normal lane meanwhile).
pub const CAPACITY: usize = 100_000;

#[derive(Debug, Default)]
pub struct Standing {
    addresses: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    good_until: i64,
    in_flight: u32,
}

/// One log-in's place in the queue; gives back its priority slot when dropped.
#[must_use]
pub struct Pass<'a> {
    standing: &'a Standing,
    /// The address holding a priority slot; `None` in the normal lane.
    slot: Option<String>,
}

impl Pass<'_> {
    pub fn lane(&self) -> Lane {
        if self.slot.is_some() {
            Lane::Priority
        } else {
            Lane::Normal
        }
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        if let Some(address) = self.slot.take() {
            let mut map = self.standing.lock();
            if let Some(e) = map.get_mut(&address) {
                e.in_flight = e.in_flight.saturating_sub(1);
            }
        }
    }
}

impl Standing {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.addresses.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The lane of a log-in from `client` at `now`: priority when the address is in good
    /// standing and has a free slot. No address known: the normal lane.
    pub fn pass(&self, client: Option<&str>, now: Timestamp) -> Pass<'_> {
        let slot = client.and_then(|address| {
            let mut map = self.lock();
            let e = map.get_mut(address)?;
            if e.good_until <= now.0 || e.in_flight >= MAX_IN_FLIGHT {
                return None;
            }
            e.in_flight += 1;
            Some(address.to_owned())
        });
        Pass {
            standing: self,
            slot,
        }
    }

    /// A successful log-in from `client`: good standing for [`GOOD_FOR_SECS`] more.
    pub fn succeeded(&self, client: Option<&str>, now: Timestamp) {
        let Some(address) = client else { return };
        let good_until = now.0.saturating_add(GOOD_FOR_SECS);
        let mut map = self.lock();
        if let Some(e) = map.get_mut(address) {
            e.good_until = good_until;
            return;
        }
        if map.len() >= CAPACITY {
            map.retain(|_, e| e.good_until > now.0 || e.in_flight > 0);
            if map.len() >= CAPACITY {
                return;
            }
        }
        map.insert(
            address.to_owned(),
            Entry {
                good_until,
                in_flight: 0,
            },
        );
    }

    /// A failed log-in from `client` (wrong password, unknown name, locked or retired
    /// user alike): the address loses its standing until its next success.
    pub fn failed(&self, client: Option<&str>) {
        if let Some(address) = client {
            self.lock().remove(address);
        }
    }

    /// How many addresses are in good standing or hold a slot.
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Option<&str> = Some("198.51.100.7");

    #[test]
    fn an_unknown_address_and_no_address_wait_in_the_normal_lane() {
        let s = Standing::default();
        assert_eq!(s.pass(A, Timestamp(0)).lane(), Lane::Normal);
        assert_eq!(s.pass(None, Timestamp(0)).lane(), Lane::Normal);
        s.succeeded(None, Timestamp(0));
        assert_eq!(s.remembered(), 0);
    }

    #[test]
    fn a_success_gives_priority_for_a_day_and_a_failure_takes_it_away() {
        let s = Standing::default();
        s.succeeded(A, Timestamp(100));
        assert_eq!(s.pass(A, Timestamp(100)).lane(), Lane::Priority);
        assert_eq!(
            s.pass(Some("198.51.100.8"), Timestamp(100)).lane(),
            Lane::Normal
        );
        let last = 100 + GOOD_FOR_SECS - 1;
        assert_eq!(s.pass(A, Timestamp(last)).lane(), Lane::Priority);
        assert_eq!(s.pass(A, Timestamp(last + 1)).lane(), Lane::Normal);
        s.succeeded(A, Timestamp(last + 1));
        assert_eq!(s.pass(A, Timestamp(last + 2)).lane(), Lane::Priority);
        s.failed(A);
        assert_eq!(s.pass(A, Timestamp(last + 2)).lane(), Lane::Normal);
    }

    #[test]
    fn an_address_has_a_few_priority_slots_at_a_time() {
        let s = Standing::default();
        s.succeeded(A, Timestamp(0));
        let held: Vec<_> = (0..MAX_IN_FLIGHT)
            .map(|_| s.pass(A, Timestamp(0)))
            .collect();
        assert!(held.iter().all(|p| p.lane() == Lane::Priority));
        assert_eq!(s.pass(A, Timestamp(0)).lane(), Lane::Normal);
        drop(held);
        assert_eq!(s.pass(A, Timestamp(0)).lane(), Lane::Priority);
    }

    #[test]
    fn a_failure_while_passes_are_held_leaves_no_standing_behind() {
        let s = Standing::default();
        s.succeeded(A, Timestamp(0));
        let held = s.pass(A, Timestamp(0));
        s.failed(A);
        drop(held);
        assert_eq!(s.remembered(), 0);
        assert_eq!(s.pass(A, Timestamp(0)).lane(), Lane::Normal);
    }
}
