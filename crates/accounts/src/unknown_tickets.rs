//! Ticket ids this process has looked up and found in no store row.
//!
//! Ticket ids are random version-4 GUIDs that only a server makes, when it issues the
//! ticket, and rows are never given an id that was once unknown. So an id that is unknown
//! now stays unknown, on this node and on every other node of the same store, and the
//! answer for it can be given without asking the store again. This is what keeps a client
//! that retries one bad ticket in a loop (or a flood of it) off the database. A ticket that
//! exists is always read from the store, so revocation and expiry stay immediate.
//!
//! The set is bounded: when full it starts over, so a stream of ever-new random ids costs
//! what it cost before (one store read each) and never more memory than the bound.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::ticket::issued_guid;

/// How many unknown ids are remembered at most (16 bytes each, plus the table).
const CAPACITY: usize = 16 * 1024;

#[derive(Default)]
pub(crate) struct UnknownTickets {
    ids: Mutex<HashSet<u128>>,
}

impl UnknownTickets {
    /// Whether `id` (a ticket's `{GUID}`) was found unknown before.
    pub(crate) fn contains(&self, id: &str) -> bool {
        let Some(key) = issued_guid(id) else {
            return false;
        };
        self.ids.lock().is_ok_and(|ids| ids.contains(&key))
    }

    /// Remembers that the store has no ticket `id`.
    pub(crate) fn insert(&self, id: &str) {
        let Some(key) = issued_guid(id) else { return };
        if let Ok(mut ids) = self.ids.lock() {
            if ids.len() >= CAPACITY {
                ids.clear();
            }
            ids.insert(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const ID: &str = "{0B4F6A52-3C1E-4F0A-9D2B-6E8A1C5D7F90}";

    #[test]
    fn remembers_what_it_was_told_and_nothing_else() {
        let unknown = UnknownTickets::default();
        assert!(!unknown.contains(ID));
        unknown.insert(ID);
        assert!(unknown.contains(ID));
        assert!(!unknown.contains("{1B4F6A52-3C1E-4F0A-9D2B-6E8A1C5D7F90}"));
    }

    #[test]
    fn only_the_issued_spelling_is_remembered() {
        // The store compares strings: a lower-case spelling being unknown says nothing
        // about the issued (upper-case) one.
        let unknown = UnknownTickets::default();
        let lower = ID.to_lowercase();
        unknown.insert(&lower);
        assert!(!unknown.contains(&lower));
        assert!(!unknown.contains(ID));
        unknown.insert("0B4F6A52-3C1E-4F0A-9D2B-6E8A1C5D7F90");
        assert!(unknown.ids.lock().unwrap().is_empty());
    }

    #[test]
    fn ids_that_are_not_guids_are_never_remembered() {
        let unknown = UnknownTickets::default();
        unknown.insert("{not-a-guid}");
        assert!(!unknown.contains("{not-a-guid}"));
        assert!(unknown.ids.lock().unwrap().is_empty());
    }

    #[test]
    fn starts_over_when_full() {
        let unknown = UnknownTickets::default();
        for n in 0..CAPACITY as u128 {
            let id = format!("{{{}}}", Uuid::from_u128(n + 1)).to_uppercase();
            unknown.insert(&id);
        }
        assert_eq!(unknown.ids.lock().unwrap().len(), CAPACITY);
        unknown.insert(ID);
        assert_eq!(unknown.ids.lock().unwrap().len(), 1);
        assert!(unknown.contains(ID));
    }
}
