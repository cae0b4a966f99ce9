//! Session records in memory, expired after their idle time and maximum age, and bounded
//! in number: a full store drops expired sessions (at most once per `FULL_SWEEP_EVERY`,
//! so admission stays O(1) under a flood) and otherwise refuses new ones.

use super::events::MemoryEvents;
use crate::store::{
    Created, Patched, SessionPatch, SessionRecord, SessionStore, StoreFuture, ready,
};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// By id. Ids are 256 random bits made by the runtime, so a fast hash of them cannot be
/// steered into collisions.
type Sessions = HashMap<String, Entry, foldhash::fast::RandomState>;

/// How often a full store looks for expired sessions to make room: the look is O(n).
const FULL_SWEEP_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub(crate) struct MemorySessions {
    sessions: RwLock<Sessions>,
    /// Their streams, forgotten with them.
    events: Arc<MemoryEvents>,
    /// When a full store last looked for expired sessions.
    last_full_sweep: std::sync::Mutex<Option<Instant>>,
}

#[derive(Debug)]
struct Entry {
    record: Arc<SessionRecord>,
    subscriptions: HashSet<String>,
    created: Instant,
    /// Milliseconds after `created` of the last use.
    last_seen_ms: AtomicU64,
    /// Who reads the standalone stream, until when.
    claim: Option<(String, Instant)>,
}

impl Entry {
    fn idle_for(&self) -> Duration {
        let last_seen = Duration::from_millis(self.last_seen_ms.load(Ordering::Relaxed));
        self.created.elapsed().saturating_sub(last_seen)
    }

    fn expired(&self) -> bool {
        let expiry = self.record.expiry;
        self.created.elapsed() > expiry.max_age || self.idle_for() > expiry.idle
    }

    fn touch(&self) {
        let elapsed = u64::try_from(self.created.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_seen_ms.store(elapsed, Ordering::Relaxed);
    }
}

impl MemorySessions {
    pub(crate) fn new(events: Arc<MemoryEvents>) -> Self {
        MemorySessions {
            sessions: RwLock::default(),
            events,
            last_full_sweep: std::sync::Mutex::new(None),
        }
    }

    /// Whether a full store may look for expired sessions now (and notes that it does).
    fn sweep_due(&self) -> bool {
        let mut last = self
            .last_full_sweep
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|at| at.elapsed() >= FULL_SWEEP_EVERY);
        if due {
            *last = Some(Instant::now());
        }
        due
    }

    /// How many sessions are held, expired ones not yet swept included.
    pub(crate) fn held(&self) -> usize {
        self.read().len()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Sessions> {
        self.sessions.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Sessions> {
        self.sessions.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops the expired sessions of `sessions` (and their streams).
    fn drop_expired(&self, sessions: &mut Sessions) {
        sessions.retain(|id, entry| {
            let keep = !entry.expired();
            if !keep {
                self.events.remove_session(id);
            }
            keep
        });
    }

    fn forget(&self, sessions: &mut Sessions, id: &str) -> bool {
        let removed = sessions.remove(id).is_some();
        if removed {
            self.events.remove_session(id);
        }
        removed
    }
}

impl SessionStore for MemorySessions {
    fn create(&self, record: SessionRecord, max_sessions: usize) -> StoreFuture<'_, Created> {
        let mut sessions = self.write();
        if sessions.contains_key(&record.id) {
            return ready(Created::Taken);
        }
        if sessions.len() >= max_sessions.max(1) && self.sweep_due() {
            self.drop_expired(&mut sessions);
        }
        if sessions.len() >= max_sessions.max(1) {
            return ready(Created::Full);
        }
        let entry = Entry {
            record: Arc::new(record),
            subscriptions: HashSet::new(),
            created: Instant::now(),
            last_seen_ms: AtomicU64::new(0),
            claim: None,
        };
        sessions.insert(entry.record.id.clone(), entry);
        ready(Created::Stored)
    }

    fn touch(&self, id: &str) -> StoreFuture<'_, Option<Arc<SessionRecord>>> {
        let sessions = self.read();
        let found = match sessions.get(id) {
            Some(entry) if !entry.expired() => {
                entry.touch();
                return ready(Some(Arc::clone(&entry.record)));
            }
            Some(_) => true,
            None => false,
        };
        drop(sessions);
        if found {
            self.forget(&mut self.write(), id);
        }
        ready(None)
    }

    fn patch(&self, id: &str, patch: SessionPatch) -> StoreFuture<'_, Patched> {
        let mut sessions = self.write();
        let Some(entry) = sessions.get_mut(id).filter(|e| !e.expired()) else {
            return ready(Patched::Missing);
        };
        let applied = match patch {
            SessionPatch::LogLevel(level) => {
                Arc::make_mut(&mut entry.record).log_level = level;
                true
            }
            SessionPatch::Subscribe {
                uri,
                max,
                max_bytes,
            } => {
                let held = entry.subscriptions.contains(&uri);
                let bytes: usize = entry.subscriptions.iter().map(String::len).sum();
                let room =
                    held || (entry.subscriptions.len() < max && bytes + uri.len() <= max_bytes);
                if room {
                    entry.subscriptions.insert(uri);
                }
                room
            }
            SessionPatch::Unsubscribe { uri } => {
                entry.subscriptions.remove(&uri);
                true
            }
            SessionPatch::ClaimStream { holder, lease } => {
                let now = Instant::now();
                let free = entry
                    .claim
                    .as_ref()
                    .is_none_or(|(claimant, until)| *claimant == holder || *until <= now);
                if free {
                    entry.claim = Some((holder, now + lease));
                }
                free
            }
            SessionPatch::ReleaseStream { holder } => {
                if entry.claim.as_ref().is_some_and(|(h, _)| *h == holder) {
                    entry.claim = None;
                }
                true
            }
        };
        ready(if applied {
            Patched::Applied
        } else {
            Patched::Refused
        })
    }

    fn remove(&self, id: &str) -> StoreFuture<'_, bool> {
        ready(self.forget(&mut self.write(), id))
    }

    fn count(&self) -> StoreFuture<'_, usize> {
        ready(self.read().values().filter(|e| !e.expired()).count())
    }

    fn audience(&self, uri: Option<&str>) -> StoreFuture<'_, Vec<String>> {
        let sessions = self.read();
        let audience = sessions
            .iter()
            .filter(|(_, e)| !e.expired() && uri.is_none_or(|uri| e.subscriptions.contains(uri)))
            .map(|(id, _)| id.clone())
            .collect();
        ready(audience)
    }

    fn retain_live(&self, mut ids: Vec<String>) -> StoreFuture<'_, Vec<String>> {
        let sessions = self.read();
        ids.retain(|id| sessions.get(id).is_some_and(|e| !e.expired()));
        ready(ids)
    }

    fn sweep(&self) -> StoreFuture<'_, ()> {
        self.drop_expired(&mut self.write());
        ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolVersion;
    use crate::store::Expiry;

    fn record(id: &str, idle: Duration, max_age: Duration) -> SessionRecord {
        SessionRecord::new(
            id.into(),
            None,
            ProtocolVersion::V2025_11_25,
            serde_json::json!({}),
            None,
            Expiry { idle, max_age },
        )
    }

    fn store() -> MemorySessions {
        MemorySessions::new(Arc::default())
    }

    async fn create(store: &MemorySessions, id: &str, max: usize) -> Created {
        let long = Duration::from_secs(3600);
        store.create(record(id, long, long), max).await.unwrap()
    }

    #[tokio::test]
    async fn a_full_store_refuses_and_evicts_no_one() {
        let store = store();
        for i in 0..3 {
            assert_eq!(create(&store, &format!("s{i}"), 3).await, Created::Stored);
        }
        assert_eq!(create(&store, "s3", 3).await, Created::Full);
        for i in 0..3 {
            assert!(store.touch(&format!("s{i}")).await.unwrap().is_some());
        }
        assert_eq!(create(&store, "s0", 10).await, Created::Taken);
    }

    #[tokio::test]
    async fn a_full_store_makes_room_from_expired_sessions() {
        let store = store();
        let short = Duration::from_millis(1);
        store
            .create(record("old", short, Duration::from_secs(60)), 1)
            .await
            .unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(create(&store, "new", 1).await, Created::Stored);
    }

    #[tokio::test]
    async fn sweeps_and_lookups_drop_expired_sessions() {
        let store = store();
        let short = Duration::from_millis(1);
        store
            .create(record("old", short, Duration::from_secs(60)), 10)
            .await
            .unwrap();
        create(&store, "fresh", 10).await;
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(store.count().await.unwrap(), 1);
        assert!(store.touch("old").await.unwrap().is_none());
        store.sweep().await.unwrap();
        assert_eq!(store.read().len(), 1);
    }

    #[tokio::test]
    async fn subscriptions_are_capped_and_the_stream_claimed_once() {
        let store = store();
        create(&store, "s", 10).await;
        let subscribe = |uri: &str| SessionPatch::Subscribe {
            uri: uri.into(),
            max: 1,
            max_bytes: 1024,
        };
        assert_eq!(
            store.patch("s", subscribe("a://1")).await.unwrap(),
            Patched::Applied
        );
        assert_eq!(
            store.patch("s", subscribe("a://1")).await.unwrap(),
            Patched::Applied
        );
        assert_eq!(
            store.patch("s", subscribe("a://2")).await.unwrap(),
            Patched::Refused
        );
        assert_eq!(store.audience(Some("a://1")).await.unwrap(), ["s"]);
        assert!(store.audience(Some("a://2")).await.unwrap().is_empty());
        let claim = |holder: &str| SessionPatch::ClaimStream {
            holder: holder.into(),
            lease: Duration::from_secs(60),
        };
        assert_eq!(
            store.patch("s", claim("a")).await.unwrap(),
            Patched::Applied
        );
        assert_eq!(
            store.patch("s", claim("b")).await.unwrap(),
            Patched::Refused
        );
        assert_eq!(
            store.patch("s", claim("a")).await.unwrap(),
            Patched::Applied
        );
        let release = SessionPatch::ReleaseStream { holder: "a".into() };
        assert_eq!(store.patch("s", release).await.unwrap(), Patched::Applied);
        assert_eq!(
            store.patch("s", claim("b")).await.unwrap(),
            Patched::Applied
        );
        assert_eq!(
            store.patch("gone", claim("b")).await.unwrap(),
            Patched::Missing
        );
    }
}
