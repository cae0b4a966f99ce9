//! The default store: everything in this process's memory, no configuration, no new
//! dependency. It serves one replica: nothing is shared with other processes.

mod bus;
mod events;
mod limits;
mod sessions;
mod stream;
mod tasks;

#[cfg(feature = "http")]
pub(crate) use stream::EventStream;

use super::{Bus, EventLog, RateLimitStore, SessionStore, Store, TaskStore};
use std::sync::Arc;

/// Sessions, event logs, tasks and rate-limit counters in this process's memory, and a bus
/// that reaches only this process: the default, for one replica.
#[derive(Debug, Clone)]
pub struct MemoryStore {
    sessions: Arc<sessions::MemorySessions>,
    events: Arc<events::MemoryEvents>,
    bus: Arc<bus::MemoryBus>,
    tasks: Arc<tasks::MemoryTasks>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        let events = Arc::new(events::MemoryEvents::default());
        MemoryStore {
            sessions: Arc::new(sessions::MemorySessions::new(Arc::clone(&events))),
            events,
            bus: Arc::default(),
            tasks: Arc::default(),
        }
    }
}

impl MemoryStore {
    /// How many sessions this store holds in memory, expired ones not yet swept included:
    /// what the process pays for, as opposed to how many are usable.
    pub fn held_sessions(&self) -> usize {
        self.sessions.held()
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl Store for MemoryStore {
    fn sessions(&self) -> Arc<dyn SessionStore> {
        self.sessions.clone()
    }

    fn events(&self) -> Arc<dyn EventLog> {
        self.events.clone()
    }

    fn bus(&self) -> Arc<dyn Bus> {
        self.bus.clone()
    }

    fn tasks(&self) -> Arc<dyn TaskStore> {
        self.tasks.clone()
    }

    fn rate_limits(&self) -> Arc<dyn RateLimitStore> {
        Arc::new(limits::MemoryLimits)
    }
}
