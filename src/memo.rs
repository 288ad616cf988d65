//! Bounded per-thread caches for pure per-cell work. A portfolio repeats the same
//! countries and supplier names on row after row, and each thread judging rows keeps its
//! own cache, so no lock is taken per cell.

use std::collections::HashMap;

/// Distinct keys remembered before a cache starts over: enough for the values a portfolio
/// repeats, small enough that a column of unique values costs little memory.
pub const CAPACITY: usize = 4096;

static OWNERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A new owner id for a structure whose results a [`Memo`] caches (see [`Memo::owned_by`]).
pub fn new_owner() -> u64 {
    OWNERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Results of a pure function of one string, by that string.
pub struct Memo<V> {
    map: HashMap<String, V>,
    owner: u64,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            map: HashMap::new(),
            owner: 0,
        }
    }
}

impl<V: Clone> Memo<V> {
    /// Forget every result unless they were computed for `owner` (one per-thread cache
    /// then serves any number of matchers, e.g. one per engine in the tests).
    pub fn owned_by(&mut self, owner: u64) -> &mut Self {
        if self.owner != owner {
            self.owner = owner;
            self.map.clear();
        }
        self
    }

    /// The cached result for `key`, computed by `f` the first time.
    pub fn get_or(&mut self, key: &str, f: impl FnOnce() -> V) -> V {
        if let Some(v) = self.map.get(key) {
            return v.clone();
        }
        let v = f();
        if self.map.len() >= CAPACITY {
            self.map.clear();
        }
        self.map.insert(key.to_string(), v.clone());
        v
    }
}
