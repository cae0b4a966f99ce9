//! The HTTP sessions this replica serves right now: their live parts, by id. The records
//! are in the store; an entry here is made when a request for the session arrives, and
//! let go when the session ends or has been quiet here for a while.

use super::Session;
use std::collections::HashMap;

/// Session ids are 256 random bits made here, so a fast hash of them cannot be steered
/// (a lookup of an id a client made up finds nothing, whatever it hashes to).
type Ids<V> = HashMap<Arc<str>, V, foldhash::fast::RandomState>;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Default)]
pub(crate) struct LiveSessions {
    sessions: Mutex<Ids<Arc<Session>>>,
}

impl LiveSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, Ids<Arc<Session>>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn get(&self, id: &str) -> Option<Arc<Session>> {
        self.lock().get(id).cloned()
    }

    /// The live session `id`, made by `make` if this replica had none.
    #[cfg(feature = "http")]
    pub(crate) fn get_or_insert(&self, id: &str, make: impl FnOnce() -> Session) -> Arc<Session> {
        let mut sessions = self.lock();
        if let Some(session) = sessions.get(id) {
            return Arc::clone(session);
        }
        let session = Arc::new(make());
        let key = Arc::clone(session.shared_id().expect("HTTP sessions have ids"));
        sessions.insert(key, Arc::clone(&session));
        session
    }

    /// Adds a session initialized here.
    #[cfg(feature = "http")]
    pub(crate) fn insert(&self, session: Arc<Session>) {
        let key = Arc::clone(session.shared_id().expect("HTTP sessions have ids"));
        self.lock().insert(key, session);
    }

    pub(crate) fn remove(&self, id: &str) -> Option<Arc<Session>> {
        self.lock().remove(id)
    }

    /// The ids of every live session.
    pub(crate) fn ids(&self) -> Vec<String> {
        self.lock().keys().map(|id| id.to_string()).collect()
    }

    /// Lets go of the sessions quiet here for longer than `idle` (nothing in flight or
    /// awaited, no stream open): their records stay in the store, and a later request
    /// makes them live again. Returns them, to leave their bus topics.
    pub(crate) fn release_quiet(&self, idle: Duration) -> Vec<Arc<Session>> {
        let mut released = Vec::new();
        self.lock().retain(|_, session| {
            // Only this table holds it: no request, no stream.
            let quiet =
                Arc::strong_count(session) == 1 && session.idle_for() > idle && session.is_quiet();
            if quiet {
                released.push(Arc::clone(session));
            }
            !quiet
        });
        released
    }
}
