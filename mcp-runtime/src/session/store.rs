//! Where HTTP sessions live between requests.

use super::Session;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Holds a server's HTTP sessions. The in-memory default is [`InMemorySessionStore`];
/// handlers use only this trait, so another store can be plugged in without touching them.
pub trait SessionStore: Send + Sync + 'static {
    /// Adds a session, making room first if the store is full.
    fn insert(&self, session: Arc<Session>);
    /// The session with `id`, if it exists and has not expired.
    fn get(&self, id: &str) -> Option<Arc<Session>>;
    /// Ends a session; returns it if it existed.
    fn remove(&self, id: &str) -> Option<Arc<Session>>;
    /// Every live session (for server-initiated messages such as resource updates).
    fn all(&self) -> Vec<Arc<Session>>;
    /// How many sessions are held.
    fn len(&self) -> usize;
    /// Whether no session is held.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Drops every expired session. The HTTP transport calls it periodically, so memory
    /// returns to what live sessions hold even when no request looks the expired ones up.
    /// A store that expires entries by itself (a TTL in a database) can leave it empty.
    fn sweep(&self) {}
}

/// Sessions in memory, expired after an idle time and a maximum age, and bounded in number:
/// a full store evicts expired sessions, then the one idle longest.
#[derive(Debug)]
pub struct InMemorySessionStore {
    sessions: RwLock<HashMap<String, Arc<Session>>>,
    idle_timeout: Duration,
    max_age: Duration,
    capacity: usize,
}

impl InMemorySessionStore {
    /// A store expiring sessions idle for `idle_timeout` or older than `max_age`, holding at
    /// most `capacity`.
    pub fn new(idle_timeout: Duration, max_age: Duration, capacity: usize) -> Self {
        InMemorySessionStore {
            sessions: RwLock::new(HashMap::new()),
            idle_timeout,
            max_age,
            capacity: capacity.max(1),
        }
    }

    fn expired(&self, session: &Session) -> bool {
        session.is_expired(self.idle_timeout, self.max_age)
    }
}

impl SessionStore for InMemorySessionStore {
    fn insert(&self, session: Arc<Session>) {
        let mut sessions = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        if sessions.len() >= self.capacity {
            sessions.retain(|_, s| {
                let keep = !self.expired(s);
                if !keep {
                    s.cancel_all();
                }
                keep
            });
        }
        if sessions.len() >= self.capacity
            && let Some(idlest) = sessions
                .values()
                .max_by_key(|s| s.idle_for())
                .and_then(|s| s.id().map(str::to_owned))
            && let Some(evicted) = sessions.remove(&idlest)
        {
            evicted.cancel_all();
        }
        if let Some(id) = session.id() {
            sessions.insert(id.to_owned(), session);
        }
    }

    fn get(&self, id: &str) -> Option<Arc<Session>> {
        let session = self
            .sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()?;
        if self.expired(&session) {
            self.remove(id);
            return None;
        }
        Some(session)
    }

    fn remove(&self, id: &str) -> Option<Arc<Session>> {
        let removed = self
            .sessions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
        if let Some(session) = &removed {
            session.cancel_all();
        }
        removed
    }

    fn all(&self) -> Vec<Arc<Session>> {
        let sessions = self.sessions.read().unwrap_or_else(|e| e.into_inner());
        sessions
            .values()
            .filter(|s| !self.expired(s))
            .cloned()
            .collect()
    }

    fn len(&self) -> usize {
        self.sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    fn sweep(&self) {
        let mut sessions = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        sessions.retain(|_, s| {
            let keep = !self.expired(s);
            if !keep {
                s.cancel_all();
            }
            keep
        });
    }
}

impl InMemorySessionStore {
    /// How often expired sessions are swept: a quarter of the shorter lifetime, within
    /// 100 ms and a minute.
    #[cfg(feature = "http")]
    pub(crate) fn sweep_interval(idle_timeout: Duration, max_age: Duration) -> Duration {
        (idle_timeout.min(max_age) / 4).clamp(Duration::from_millis(100), Duration::from_secs(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionLimits;

    fn session(id: &str) -> Arc<Session> {
        let notifier = crate::context::Outbound::new(tokio::sync::mpsc::channel(1).0);
        let session = Session::new(Some(id.into()), notifier, SessionLimits::default());
        session.touch();
        Arc::new(session)
    }

    #[test]
    fn a_full_store_evicts_to_stay_bounded() {
        let store =
            InMemorySessionStore::new(Duration::from_secs(60), Duration::from_secs(3600), 3);
        for i in 0..10 {
            store.insert(session(&format!("s{i}")));
        }
        assert_eq!(store.len(), 3);
        assert!(store.get("s9").is_some(), "the newest session is kept");
    }

    #[test]
    fn a_sweep_drops_expired_sessions_nobody_asked_for() {
        let store =
            InMemorySessionStore::new(Duration::from_millis(1), Duration::from_secs(60), 10);
        store.insert(session("a"));
        store.insert(session("b"));
        std::thread::sleep(Duration::from_millis(5));
        store.insert(session("fresh"));
        assert_eq!(store.len(), 3, "nothing looked the expired ones up yet");
        store.sweep();
        assert_eq!(store.len(), 1);
        assert!(store.get("fresh").is_some());
    }

    #[test]
    fn expired_sessions_are_gone() {
        let store = InMemorySessionStore::new(Duration::from_secs(60), Duration::ZERO, 10);
        store.insert(session("old"));
        std::thread::sleep(Duration::from_millis(2));
        assert!(store.get("old").is_none());
        assert!(store.is_empty());
    }
}
