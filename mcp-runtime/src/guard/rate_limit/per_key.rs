//! Per-caller state of the in-memory limiters, bounded: idle entries are swept whenever the
//! table outgrows twice its size after the last sweep.

use std::collections::HashMap;

#[derive(Debug)]
pub(super) struct PerKey<S> {
    by_key: HashMap<String, S>,
    sweep_at: usize,
}

const MIN_SWEEP: usize = 1024;

impl<S> Default for PerKey<S> {
    fn default() -> Self {
        PerKey {
            by_key: HashMap::new(),
            sweep_at: MIN_SWEEP,
        }
    }
}

impl<S> PerKey<S> {
    /// The state of `key` (created by `new`), after dropping every entry `idle` says holds
    /// nothing worth keeping, if the table has grown enough to sweep.
    pub(super) fn entry(
        &mut self,
        key: &str,
        new: impl FnOnce() -> S,
        idle: impl Fn(&S) -> bool,
    ) -> &mut S {
        if self.by_key.len() >= self.sweep_at {
            self.by_key.retain(|_, state| !idle(state));
            self.sweep_at = (self.by_key.len() * 2).max(MIN_SWEEP);
        }
        // Look up before inserting, so a known caller costs no allocation.
        if !self.by_key.contains_key(key) {
            self.by_key.insert(key.to_owned(), new());
        }
        self.by_key.get_mut(key).expect("inserted above")
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.by_key.len()
    }
}
