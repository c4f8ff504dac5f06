//! The open connections: how many, which are idle and since when, and a way to ask one to
//! close (eviction at the cap, shutdown). One entry per connection, removed when its task
//! ends; the accept loop waits on [`Registry::room`] while the cap is reached.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::time::Instant;

/// `idle_since` of a connection with a request under way.
const BUSY: u64 = u64::MAX;

/// What the registry and a connection share.
#[derive(Debug)]
pub struct Slot {
    /// Responses the service has finished (their bodies handed to hyper).
    pub answered: AtomicU64,
    /// Milliseconds since the registry's epoch at which the connection became idle
    /// (nothing arriving, nothing owed), or [`BUSY`].
    idle_since: AtomicU64,
    /// Asked to close (evicted or shutting down): finish what is under way, then close.
    pub close: Notify,
    evicted: AtomicBool,
}

impl Slot {
    pub fn set_idle(&self, since_ms: u64) {
        self.idle_since.store(since_ms, Ordering::Relaxed);
    }

    pub fn set_busy(&self) {
        self.idle_since.store(BUSY, Ordering::Relaxed);
    }
}

pub struct Registry {
    slots: Mutex<HashMap<u64, Arc<Slot>>>,
    next: AtomicU64,
    /// Told each time a connection ends.
    pub room: Notify,
    epoch: Instant,
}

/// A connection's entry; dropping it removes the entry.
pub struct Registration {
    registry: Arc<Registry>,
    id: u64,
    pub slot: Arc<Slot>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
        self.registry.room.notify_one();
    }
}

impl Registry {
    pub fn new() -> Arc<Registry> {
        Arc::new(Registry {
            slots: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            room: Notify::new(),
            epoch: Instant::now(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Arc<Slot>>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Milliseconds since the registry was made, the clock of `idle_since`.
    pub fn millis(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_millis()).unwrap_or(BUSY - 1)
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// A new connection, idle (it has sent nothing yet) from now.
    pub fn register(self: &Arc<Self>) -> Registration {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot {
            answered: AtomicU64::new(0),
            idle_since: AtomicU64::new(self.millis(Instant::now())),
            close: Notify::new(),
            evicted: AtomicBool::new(false),
        });
        self.lock().insert(id, slot.clone());
        Registration {
            registry: self.clone(),
            id,
            slot,
        }
    }

    /// Asks the connection idle the longest (and not already asked) to close, if it has
    /// been idle since `idle_by` (registry milliseconds) or earlier; false when none has.
    pub fn evict_oldest_idle(&self, idle_by: u64) -> bool {
        let slots = self.lock();
        let oldest = slots
            .values()
            .filter(|s| !s.evicted.load(Ordering::Relaxed))
            .map(|s| (s.idle_since.load(Ordering::Relaxed), s))
            .filter(|(since, _)| *since != BUSY && *since <= idle_by)
            .min_by_key(|(since, _)| *since);
        match oldest {
            Some((_, slot)) => {
                slot.evicted.store(true, Ordering::Relaxed);
                slot.close.notify_one();
                true
            }
            None => false,
        }
    }

    /// Connections asked to close that have not yet closed.
    pub fn closing(&self) -> usize {
        self.lock()
            .values()
            .filter(|s| s.evicted.load(Ordering::Relaxed))
            .count()
    }

    /// Asks every connection to close once its request under way (if any) is answered.
    pub fn close_all(&self) {
        for slot in self.lock().values() {
            slot.evicted.store(true, Ordering::Relaxed);
            slot.close.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_oldest_idle_connection_is_evicted_first_and_busy_ones_never() {
        let registry = Registry::new();
        let (a, b, c) = (
            registry.register(),
            registry.register(),
            registry.register(),
        );
        a.slot.set_idle(30);
        b.slot.set_idle(10);
        c.slot.set_busy();
        assert!(!registry.evict_oldest_idle(9), "none idle long enough");
        assert!(registry.evict_oldest_idle(100));
        assert!(b.slot.evicted.load(Ordering::Relaxed));
        assert!(registry.evict_oldest_idle(100));
        assert!(a.slot.evicted.load(Ordering::Relaxed));
        assert!(!registry.evict_oldest_idle(100), "the busy one stays");
        assert_eq!(registry.closing(), 2);
        drop(b);
        assert_eq!(registry.len(), 2);
        assert_eq!(registry.closing(), 1);
        registry.close_all();
        assert_eq!(registry.closing(), 2);
    }
}
