//! Event logs: what an SSE stream sent, kept so a client that lost its connection resumes
//! with `Last-Event-ID`, on any replica.

use super::StoreFuture;
use std::sync::Arc;
use std::time::Duration;

/// A stream of a session: number 0 is its standalone stream (the GET stream of
/// server-initiated messages, open as long as the session lives); 1, 2, ... are the
/// streams of its POSTs that answered with SSE. Event ids on the wire are
/// `{stream}-{sequence}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StreamKey {
    session: Arc<str>,
    stream: u64,
}

impl StreamKey {
    /// Stream `stream` of `session`.
    pub fn new(session: impl Into<Arc<str>>, stream: u64) -> Self {
        StreamKey {
            session: session.into(),
            stream,
        }
    }

    /// The standalone stream of `session`.
    pub fn standalone(session: impl Into<Arc<str>>) -> Self {
        Self::new(session, 0)
    }

    /// The session.
    pub fn session(&self) -> &str {
        &self.session
    }

    /// The stream's number within its session.
    pub fn stream(&self) -> u64 {
        self.stream
    }

    /// Whether this is the session's standalone stream.
    pub fn is_standalone(&self) -> bool {
        self.stream == 0
    }
}

/// Bounds on what a session's logs hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLimits {
    /// Events a stream keeps; older ones fall out, and resuming before them is refused.
    pub events_per_stream: usize,
    /// Streams a session keeps besides its standalone one; the oldest are forgotten.
    pub streams_per_session: usize,
    /// How long a stream is kept after its last event.
    pub idle: Duration,
    /// Bytes a session's streams hold together; beyond, its ended streams are forgotten,
    /// then its oldest events dropped (never a stream's newest). The memory store holds
    /// it; Redis bounds a session by events and streams, and itself by `maxmemory`.
    pub bytes_per_session: usize,
    /// Bytes every session's streams hold together, in one process (the memory store):
    /// beyond, the oldest ended streams of any session are forgotten first.
    pub bytes_total: usize,
}

/// One event of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its position in the stream (the first event is 1).
    pub sequence: u64,
    /// The JSON-RPC message it carries.
    pub data: String,
}

/// What a stream holds after a position.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Read {
    /// The stream is held.
    Held {
        /// The events after the position, oldest first (none yet: wait for a change).
        events: Vec<Event>,
        /// Whether the stream ended: nothing comes after these events.
        closed: bool,
        /// How often the stream's live readers were cut (SSE polling): a reader that saw
        /// a lower count ends once it has sent what it read.
        cuts: u64,
    },
    /// The position fell out of the bounded log: events after it were dropped. `oldest` is
    /// the oldest event still held (reading after `oldest - 1` gets what is left).
    Lost {
        /// The sequence of the oldest event held.
        oldest: u64,
    },
    /// No such stream: never opened, forgotten, or gone with its session.
    Unknown,
}

/// Completes when a stream may have changed. Made before reading, so that a change between
/// the read and the wait is not missed.
#[derive(Debug)]
pub struct Watch {
    changes: tokio::sync::watch::Receiver<u64>,
    _hold: Option<Box<dyn std::any::Any + Send + Sync>>,
}

impl Watch {
    /// A watch on a channel whose value a store bumps on every change.
    pub fn new(changes: tokio::sync::watch::Receiver<u64>) -> Self {
        Watch {
            changes,
            _hold: None,
        }
    }

    /// Keeps `hold` alive as long as the watch (a store's subscription, released on drop).
    pub fn holding(mut self, hold: impl std::any::Any + Send + Sync) -> Self {
        self._hold = Some(Box::new(hold));
        self
    }

    /// Waits for the next change (at once if one happened since the last wait, or if the
    /// store let go of the stream: a reader then reads again and finds it gone).
    pub async fn changed(&mut self) {
        let _ = self.changes.changed().await;
    }
}

impl std::fmt::Debug for dyn EventLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventLog")
    }
}

/// Where SSE streams' events are kept for `Last-Event-ID` resumption.
pub trait EventLog: Send + Sync + 'static {
    /// Opens the standalone stream of a new session.
    fn open_standalone(&self, session: &str, limits: LogLimits) -> StoreFuture<'_, ()>;

    /// Opens the next stream of `session` (1, 2, ...), forgetting the oldest beyond the
    /// limit; `None` when the session is gone.
    fn open(&self, session: &str, limits: LogLimits) -> StoreFuture<'_, Option<StreamKey>>;

    /// Appends one event; with `close` the stream ends with it (a request's response).
    /// Returns its sequence number; `None` when the stream is not held.
    fn append(&self, key: &StreamKey, data: String, close: bool) -> StoreFuture<'_, Option<u64>>;

    /// Ends a stream without a last event (a cancelled request).
    fn close(&self, key: &StreamKey) -> StoreFuture<'_, ()>;

    /// Ends the live readers of a stream (SSE polling); later readers are not affected.
    fn cut(&self, key: &StreamKey) -> StoreFuture<'_, ()>;

    /// What the stream holds after `after`.
    fn read_after(&self, key: &StreamKey, after: u64) -> StoreFuture<'_, Read>;

    /// The sequence of the stream's newest event (0 before any); `None` when not held.
    fn last_sequence(&self, key: &StreamKey) -> StoreFuture<'_, Option<u64>>;

    /// A watch on the stream's changes, wherever they are made.
    fn watch(&self, key: &StreamKey) -> StoreFuture<'_, Watch>;

    /// Appends `data` to the standalone stream of each of `sessions` that still lives (a
    /// notice: a list changed, a resource was updated).
    fn announce(&self, sessions: Vec<String>, data: String) -> StoreFuture<'_, ()>;
}
