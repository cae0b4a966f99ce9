//! Every session's SSE streams in memory: its standalone stream and the most recent
//! streams of its POSTs.

use super::stream::EventStream;
use crate::store::{EventLog, LogLimits, Read, StoreFuture, StreamKey, Watch, ready};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
pub(crate) struct MemoryEvents {
    sessions: Mutex<HashMap<Arc<str>, SessionStreams>>,
}

#[derive(Debug)]
struct SessionStreams {
    limits: LogLimits,
    standalone: Arc<EventStream>,
    next: u64,
    recent: VecDeque<(u64, Arc<EventStream>)>,
}

impl MemoryEvents {
    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, SessionStreams>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stream(&self, key: &StreamKey) -> Option<Arc<EventStream>> {
        let sessions = self.sessions();
        let streams = sessions.get(key.session())?;
        if key.is_standalone() {
            return Some(Arc::clone(&streams.standalone));
        }
        streams
            .recent
            .iter()
            .find(|(n, _)| *n == key.stream())
            .map(|(_, s)| Arc::clone(s))
    }

    /// Forgets every stream of a session (it ended).
    pub(crate) fn remove_session(&self, session: &str) {
        self.sessions().remove(session);
    }
}

impl EventLog for MemoryEvents {
    fn open_standalone(&self, session: &str, limits: LogLimits) -> StoreFuture<'_, ()> {
        self.sessions()
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
        let mut sessions = self.sessions();
        let Some(streams) = sessions.get_mut(session) else {
            return ready(None);
        };
        let number = streams.next;
        streams.next += 1;
        let stream = Arc::new(EventStream::new(streams.limits.events_per_stream));
        streams.recent.push_back((number, stream));
        while streams.recent.len() > streams.limits.streams_per_session {
            streams.recent.pop_front();
        }
        ready(Some(StreamKey::new(session, number)))
    }

    fn append(&self, key: &StreamKey, data: String, close: bool) -> StoreFuture<'_, Option<u64>> {
        ready(self.stream(key).and_then(|s| s.push(data, close)))
    }

    fn close(&self, key: &StreamKey) -> StoreFuture<'_, ()> {
        if let Some(stream) = self.stream(key) {
            stream.close();
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
            if let Some(stream) = self.stream(&StreamKey::standalone(session)) {
                stream.push(data.clone(), false);
            }
        }
        ready(())
    }
}
