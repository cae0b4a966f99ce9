//! Every session's SSE streams in memory: its standalone stream and the most recent
//! streams of its POSTs, bounded in streams, in bytes per session and in bytes in all.
//! Only ended streams are forgotten whole; a stream still being written loses its oldest
//! events at most, never its newest.

use super::stream::EventStream;
use crate::store::{EventLog, LogLimits, Read, StoreFuture, StreamKey, Watch, ready};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
pub(crate) struct MemoryEvents {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    sessions: HashMap<Arc<str>, SessionStreams>,
    /// Bytes held by every stream together.
    total: usize,
    /// Ended streams, oldest first: what goes first when the total is over budget. May
    /// name streams forgotten since (skipped then).
    ended: VecDeque<StreamKey>,
}

#[derive(Debug)]
struct SessionStreams {
    limits: LogLimits,
    standalone: Arc<EventStream>,
    next: u64,
    recent: VecDeque<(u64, Arc<EventStream>)>,
}

impl SessionStreams {
    fn bytes(&self) -> usize {
        self.standalone.bytes() + self.recent.iter().map(|(_, s)| s.bytes()).sum::<usize>()
    }

    /// Forgets the oldest ended stream but `keep`; the bytes freed (`None`: no other
    /// stream has ended).
    fn forget_oldest_ended(&mut self, keep: u64) -> Option<usize> {
        let at = self
            .recent
            .iter()
            .position(|(n, s)| *n != keep && s.is_closed())?;
        self.recent.remove(at).map(|(_, stream)| stream.bytes())
    }

    /// Drops the oldest event of the stream holding the most; the bytes freed (0: each
    /// stream holds one event at most).
    fn trim_largest(&mut self) -> usize {
        std::iter::once(&self.standalone)
            .chain(self.recent.iter().map(|(_, s)| s))
            .max_by_key(|s| s.bytes())
            .map_or(0, |stream| stream.trim_oldest())
    }
}

impl Inner {
    fn stream(&self, key: &StreamKey) -> Option<Arc<EventStream>> {
        let streams = self.sessions.get(key.session())?;
        if key.is_standalone() {
            return Some(Arc::clone(&streams.standalone));
        }
        streams
            .recent
            .iter()
            .find(|(n, _)| *n == key.stream())
            .map(|(_, s)| Arc::clone(s))
    }

    /// Brings the session of `key` (the stream just written) within its budget, and every
    /// session together within the total: ended streams go first (the session's own, or
    /// anyone's oldest for the total), then the oldest events of the session's largest
    /// stream. `key` itself is never forgotten: its newest event is what a reader waits for.
    fn enforce(&mut self, key: &StreamKey) {
        let Some(streams) = self.sessions.get_mut(key.session()) else {
            return;
        };
        let limits = streams.limits;
        while streams.bytes() > limits.bytes_per_session {
            let freed = match streams.forget_oldest_ended(key.stream()) {
                Some(freed) => freed,
                None => streams.trim_largest(),
            };
            if freed == 0 {
                break;
            }
            self.total = self.total.saturating_sub(freed);
        }
        let mut kept = None;
        while self.total > limits.bytes_total {
            let freed = match self.ended.pop_front() {
                Some(ended) if ended == *key => {
                    kept = Some(ended);
                    continue;
                }
                Some(ended) => self.forget_if_ended(&ended),
                None => match self.sessions.get_mut(key.session()) {
                    Some(streams) => match streams.trim_largest() {
                        0 => break,
                        freed => freed,
                    },
                    None => break,
                },
            };
            self.total = self.total.saturating_sub(freed);
        }
        if let Some(kept) = kept {
            self.ended.push_front(kept);
        }
    }

    /// Forgets the stream `key` if it is held and ended; the bytes freed.
    fn forget_if_ended(&mut self, key: &StreamKey) -> usize {
        let Some(streams) = self.sessions.get_mut(key.session()) else {
            return 0;
        };
        let Some(at) = streams
            .recent
            .iter()
            .position(|(n, s)| *n == key.stream() && s.is_closed())
        else {
            return 0;
        };
        streams.recent.remove(at).map_or(0, |(_, s)| s.bytes())
    }
}

impl MemoryEvents {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stream(&self, key: &StreamKey) -> Option<Arc<EventStream>> {
        self.inner().stream(key)
    }

    /// Forgets every stream of a session (it ended).
    pub(crate) fn remove_session(&self, session: &str) {
        let mut inner = self.inner();
        if let Some(streams) = inner.sessions.remove(session) {
            inner.total = inner.total.saturating_sub(streams.bytes());
        }
    }

    /// Appends one event, then brings the logs within their budgets.
    fn append_now(&self, key: &StreamKey, data: String, close: bool) -> Option<u64> {
        let mut inner = self.inner();
        let stream = inner.stream(key)?;
        let (sequence, change) = stream.push_counted(data, close)?;
        inner.total = inner.total.saturating_add_signed(change);
        if close && !key.is_standalone() {
            inner.ended.push_back(key.clone());
        }
        inner.enforce(key);
        Some(sequence)
    }

    /// Bytes held by every stream together.
    #[cfg(test)]
    fn total(&self) -> usize {
        self.inner().total
    }
}

impl EventLog for MemoryEvents {
    fn open_standalone(&self, session: &str, limits: LogLimits) -> StoreFuture<'_, ()> {
        self.inner()
            .sessions
            .entry(session.into())
            .or_insert_with(|| SessionStreams {
                limits,
                standalone: Arc::new(EventStream::new(limits.events_per_stream)),
                next: 1,
                recent: VecDeque::new(),
            });
        ready(())
    }

    fn open(&self, session: &str, _limits: LogLimits) -> StoreFuture<'_, Option<StreamKey>> {
        let mut inner = self.inner();
        let Some(streams) = inner.sessions.get_mut(session) else {
            return ready(None);
        };
        let number = streams.next;
        streams.next += 1;
        let stream = Arc::new(EventStream::new(streams.limits.events_per_stream));
        streams.recent.push_back((number, stream));
        // Beyond the count, ended streams are forgotten, oldest first; streams still being
        // written stay (there are no more of them than requests in flight).
        let mut freed = 0;
        while streams.recent.len() > streams.limits.streams_per_session {
            match streams.forget_oldest_ended(number) {
                Some(bytes) => freed += bytes,
                None => break,
            }
        }
        inner.total = inner.total.saturating_sub(freed);
        ready(Some(StreamKey::new(session, number)))
    }

    fn append(&self, key: &StreamKey, data: String, close: bool) -> StoreFuture<'_, Option<u64>> {
        ready(self.append_now(key, data, close))
    }

    fn close(&self, key: &StreamKey) -> StoreFuture<'_, ()> {
        let mut inner = self.inner();
        if let Some(stream) = inner.stream(key) {
            stream.close();
            if !key.is_standalone() {
                inner.ended.push_back(key.clone());
            }
        }
        ready(())
    }

    fn cut(&self, key: &StreamKey) -> StoreFuture<'_, ()> {
        if let Some(stream) = self.stream(key) {
            stream.cut();
        }
        ready(())
    }

    fn read_after(&self, key: &StreamKey, after: u64) -> StoreFuture<'_, Read> {
        ready(
            self.stream(key)
                .map_or(Read::Unknown, |s| s.read_after(after)),
        )
    }

    fn last_sequence(&self, key: &StreamKey) -> StoreFuture<'_, Option<u64>> {
        ready(self.stream(key).map(|s| s.last_sequence()))
    }

    fn watch(&self, key: &StreamKey) -> StoreFuture<'_, Watch> {
        // A stream that is not held: a watch whose store let go, which fires at once.
        let watch = match self.stream(key) {
            Some(stream) => stream.watch(),
            None => Watch::new(tokio::sync::watch::Sender::new(0).subscribe()),
        };
        ready(watch)
    }

    fn announce(&self, sessions: Vec<String>, data: String) -> StoreFuture<'_, ()> {
        for session in sessions {
            self.append_now(&StreamKey::standalone(session), data.clone(), false);
        }
        ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits(per_session: usize, total: usize) -> LogLimits {
        LogLimits {
            events_per_stream: 1000,
            streams_per_session: 4,
            idle: Duration::from_secs(60),
            bytes_per_session: per_session,
            bytes_total: total,
        }
    }

    async fn stream(events: &MemoryEvents, session: &str) -> StreamKey {
        events
            .open(session, limits(0, 0))
            .await
            .unwrap()
            .expect("the session is held")
    }

    fn held(events: &MemoryEvents, key: &StreamKey) -> Read {
        events
            .stream(key)
            .map_or(Read::Unknown, |s| s.read_after(0))
    }

    #[tokio::test]
    async fn streams_being_written_are_never_forgotten_however_many_open() {
        let events = MemoryEvents::default();
        events
            .open_standalone("s", limits(1 << 20, 1 << 30))
            .await
            .unwrap();
        let live: Vec<StreamKey> = futures_keys(&events, "s", 10).await;
        for key in &live {
            events.append(key, "progress".into(), false).await.unwrap();
        }
        // Ten running streams, four allowed: all kept, since none has ended.
        for key in &live {
            assert!(matches!(held(&events, key), Read::Held { .. }), "{key:?}");
        }
        // Once they end, the count holds again: the oldest ended ones go.
        for key in &live {
            events.append(key, "result".into(), true).await.unwrap();
        }
        let newest = stream(&events, "s").await;
        assert!(matches!(held(&events, &live[0]), Read::Unknown));
        assert!(matches!(held(&events, &newest), Read::Held { .. }));
    }

    async fn futures_keys(events: &MemoryEvents, session: &str, n: usize) -> Vec<StreamKey> {
        let mut keys = Vec::new();
        for _ in 0..n {
            keys.push(stream(events, session).await);
        }
        keys
    }

    #[tokio::test]
    async fn a_session_over_its_bytes_loses_ended_streams_then_old_events_never_the_newest() {
        let events = MemoryEvents::default();
        events
            .open_standalone("s", limits(1_000, 1 << 30))
            .await
            .unwrap();
        let ended = stream(&events, "s").await;
        events.append(&ended, "e".repeat(400), true).await.unwrap();
        let live = stream(&events, "s").await;
        events.append(&live, "a".repeat(400), false).await.unwrap();
        events.append(&live, "b".repeat(400), false).await.unwrap();
        assert!(
            matches!(held(&events, &ended), Read::Unknown),
            "the ended stream went first"
        );
        events.append(&live, "c".repeat(400), false).await.unwrap();
        let Read::Lost { .. } = events.stream(&live).unwrap().read_after(0) else {
            panic!("the oldest event went next");
        };
        let Read::Held { events: kept, .. } = events.stream(&live).unwrap().read_after(2) else {
            panic!("held")
        };
        assert_eq!(kept.last().map(|e| e.data.clone()), Some("c".repeat(400)));
        assert!(events.total() <= 1_000, "{}", events.total());
        // A single event larger than the budget is still kept: it is the newest.
        events.append(&live, "d".repeat(5_000), true).await.unwrap();
        let Read::Held {
            events: kept,
            closed,
            ..
        } = events.stream(&live).unwrap().read_after(3)
        else {
            panic!("held")
        };
        assert!(closed);
        assert_eq!(kept.last().map(|e| e.data.len()), Some(5_000));
    }

    #[tokio::test]
    async fn over_the_total_the_oldest_ended_streams_of_any_session_go_first() {
        let events = MemoryEvents::default();
        let budget = limits(1 << 20, 1_000);
        for session in ["a", "b"] {
            events.open_standalone(session, budget).await.unwrap();
        }
        let old = stream(&events, "a").await;
        events.append(&old, "x".repeat(600), true).await.unwrap();
        let new = stream(&events, "b").await;
        events.append(&new, "y".repeat(600), true).await.unwrap();
        assert!(
            matches!(held(&events, &old), Read::Unknown),
            "a's ended stream made room"
        );
        assert!(matches!(held(&events, &new), Read::Held { .. }));
        assert_eq!(events.total(), 600);
        events.remove_session("b");
        assert_eq!(events.total(), 0);
    }
}
