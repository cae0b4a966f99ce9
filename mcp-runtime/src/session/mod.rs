//! 2025-era sessions: what `initialize` established for one stdio process or HTTP session,
//! plus what the session owns while it lives (requests in flight, answers awaited from
//! the client, subscriptions, and on HTTP its SSE streams).

mod pending;
mod requests;
mod store;
#[cfg(feature = "http")]
mod stream;

pub(crate) use pending::PendingRequests;
pub(crate) use requests::Refused;
pub use store::{InMemorySessionStore, SessionStore};
#[cfg(feature = "http")]
pub(crate) use stream::{EventStream, Read, parse_event_id};

use crate::context::{Cancellable, Outbound};
use crate::protocol::stateless::StatelessMeta;
use crate::protocol::{LogLevel, ProtocolVersion, RequestId};
use serde_json::Value;
#[cfg(feature = "http")]
use std::collections::VecDeque;
use std::collections::{HashMap, HashSet};
#[cfg(feature = "http")]
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

/// What the client said in `initialize`.
#[derive(Debug)]
pub(crate) struct ClientHello {
    pub protocol_version: ProtocolVersion,
    pub capabilities: Value,
}

/// Bounds on what one session may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SessionLimits {
    pub pending_client_requests: usize,
    pub subscriptions: usize,
    /// Requests in flight at once (subscription streams aside).
    pub requests_in_flight: usize,
    #[cfg(feature = "http")]
    pub streams: usize,
    #[cfg(feature = "http")]
    pub events_per_stream: usize,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            pending_client_requests: 64,
            subscriptions: 1024,
            requests_in_flight: 128,
            #[cfg(feature = "http")]
            streams: 64,
            #[cfg(feature = "http")]
            events_per_stream: 256,
        }
    }
}

/// The id of the stream a GET request opens (server-initiated messages).
#[cfg(feature = "http")]
pub(crate) const STANDALONE_STREAM: u32 = 0;

/// One client connection's protocol state: what `initialize` established, requests in
/// flight, answers awaited from the client, subscriptions and (on HTTP) SSE streams.
/// Opaque outside the crate; [`SessionStore`]s hold it.
#[derive(Debug)]
pub struct Session {
    id: Option<String>,
    connection_id: u64,
    hello: OnceLock<ClientHello>,
    log_level: AtomicU8,
    in_flight: Mutex<HashMap<RequestId, Weak<dyn Cancellable>, foldhash::fast::RandomState>>,
    /// In-flight requests that never finish by themselves (`subscriptions/listen`).
    subscriptions_in_flight: Mutex<HashSet<RequestId, foldhash::fast::RandomState>>,
    pub(crate) pending: PendingRequests,
    subscriptions: Mutex<HashSet<String>>,
    /// Where messages not tied to a request go: the stdio writer, or the HTTP GET stream.
    notifier: Outbound,
    #[cfg(feature = "http")]
    streams: Mutex<Streams>,
    #[cfg(feature = "http")]
    standalone_reader: std::sync::atomic::AtomicBool,
    limits: SessionLimits,
    created: Instant,
    last_seen_ms: AtomicU64,
    /// The subject of the principal that created the session (HTTP); only it may use it.
    #[cfg(feature = "http")]
    owner: OnceLock<Option<String>>,
}

/// Holds the claim on a session's standalone stream.
#[cfg(feature = "http")]
#[derive(Debug)]
pub(crate) struct StandaloneReader {
    session: Arc<Session>,
}

#[cfg(feature = "http")]
impl Drop for StandaloneReader {
    fn drop(&mut self) {
        self.session
            .standalone_reader
            .store(false, Ordering::Release);
    }
}

#[cfg(feature = "http")]
#[derive(Debug, Default)]
struct Streams {
    next_id: u32,
    recent: VecDeque<Arc<EventStream>>,
}

static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);
/// The stored log level meaning "no log messages at all".
const NO_LOGS: u8 = u8::MAX;
static NO_CAPABILITIES: Value = Value::Null;

impl Session {
    /// A session whose server-initiated messages go to `notifier` (stdio, testing).
    pub(crate) fn new(id: Option<String>, notifier: Outbound, limits: SessionLimits) -> Self {
        Session {
            id,
            connection_id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
            hello: OnceLock::new(),
            log_level: AtomicU8::new(LogLevel::Info as u8),
            in_flight: Mutex::new(HashMap::default()),
            subscriptions_in_flight: Mutex::new(HashSet::default()),
            pending: PendingRequests::new(limits.pending_client_requests),
            subscriptions: Mutex::new(HashSet::new()),
            notifier,
            #[cfg(feature = "http")]
            streams: Mutex::new(Streams {
                next_id: STANDALONE_STREAM + 1,
                recent: VecDeque::new(),
            }),
            #[cfg(feature = "http")]
            standalone_reader: std::sync::atomic::AtomicBool::new(false),
            limits,
            created: Instant::now(),
            last_seen_ms: AtomicU64::new(0),
            #[cfg(feature = "http")]
            owner: OnceLock::new(),
        }
    }

    /// Binds the session to the principal that created it (once).
    #[cfg(feature = "http")]
    pub(crate) fn bind_owner(&self, owner: Option<&str>) {
        let _ = self.owner.set(owner.map(str::to_owned));
    }

    /// Whether `subject` (the request's principal, if any) may use this session: only the
    /// one that created it.
    #[cfg(feature = "http")]
    pub(crate) fn is_owned_by(&self, subject: Option<&str>) -> bool {
        self.owner
            .get()
            .is_none_or(|owner| owner.as_deref() == subject)
    }

    /// An HTTP session: server-initiated messages go to its standalone SSE stream.
    #[cfg(feature = "http")]
    pub(crate) fn with_standalone_stream(id: String, limits: SessionLimits) -> Self {
        let standalone = Arc::new(EventStream::new(
            STANDALONE_STREAM,
            limits.events_per_stream,
        ));
        let session = Session::new(Some(id), Outbound::Stream(Arc::clone(&standalone)), limits);
        session.lock_streams().recent.push_back(standalone);
        session
    }

    /// The session id (`None` for stdio and in-process connections).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    pub(crate) fn connection_id(&self) -> u64 {
        self.connection_id
    }

    /// Records `initialize`; a second `initialize` on the same session is refused.
    pub(crate) fn initialize(&self, hello: ClientHello) -> Result<(), ClientHello> {
        self.hello.set(hello)
    }

    /// The negotiated revision, once `initialize` was answered.
    pub(crate) fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.hello.get().map(|h| h.protocol_version)
    }

    pub(crate) fn client_capabilities(&self) -> &Value {
        self.hello
            .get()
            .map_or(&NO_CAPABILITIES, |h| &h.capabilities)
    }

    /// The least severe level the client wants; `None` when it wants no log messages.
    pub(crate) fn log_level(&self) -> Option<LogLevel> {
        match self.log_level.load(Ordering::Relaxed) {
            NO_LOGS => None,
            index => Some(LogLevel::from_index(index)),
        }
    }

    pub(crate) fn set_log_level(&self, level: Option<LogLevel>) {
        self.log_level
            .store(level.map_or(NO_LOGS, |l| l as u8), Ordering::Relaxed);
    }

    /// A session for one stateless (2026-era) request: what the request's `_meta` declared,
    /// shared with nothing.
    pub(crate) fn stateless(
        meta: StatelessMeta,
        notifier: Outbound,
        limits: SessionLimits,
    ) -> Self {
        let session = Session::new(None, notifier, limits);
        session.set_log_level(meta.log_level);
        let hello = ClientHello {
            protocol_version: meta.version,
            capabilities: meta.capabilities,
        };
        let _ = session.initialize(hello);
        session
    }

    /// Sends a server-initiated message (not tied to a request).
    pub(crate) async fn notify(&self, message: String) {
        self.notifier.send(message).await;
    }

    /// Subscribes to updates of `uri`; `false` when the session holds too many subscriptions.
    pub(crate) fn subscribe(&self, uri: &str) -> bool {
        let mut subscriptions = self.subscriptions.lock().unwrap_or_else(|e| e.into_inner());
        if subscriptions.len() >= self.limits.subscriptions && !subscriptions.contains(uri) {
            return false;
        }
        subscriptions.insert(uri.to_owned());
        true
    }

    pub(crate) fn unsubscribe(&self, uri: &str) {
        self.subscriptions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(uri);
    }

    pub(crate) fn is_subscribed(&self, uri: &str) -> bool {
        self.subscriptions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(uri)
    }

    #[cfg(feature = "http")]
    fn lock_streams(&self) -> std::sync::MutexGuard<'_, Streams> {
        self.streams.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(feature = "http")]
    /// Opens a new SSE stream for one POST; the oldest finished streams are forgotten
    /// beyond the limit (their events can no longer be resumed).
    pub(crate) fn open_stream(&self) -> Arc<EventStream> {
        let mut streams = self.lock_streams();
        let id = streams.next_id;
        streams.next_id = streams.next_id.wrapping_add(1).max(STANDALONE_STREAM + 1);
        let stream = Arc::new(EventStream::new(id, self.limits.events_per_stream));
        streams.recent.push_back(Arc::clone(&stream));
        while streams.recent.len() > self.limits.streams {
            // Never forget the standalone stream.
            match streams
                .recent
                .iter()
                .position(|s| s.id() != STANDALONE_STREAM)
            {
                Some(oldest) => streams.recent.remove(oldest),
                None => break,
            };
        }
        stream
    }

    #[cfg(feature = "http")]
    pub(crate) fn stream(&self, id: u32) -> Option<Arc<EventStream>> {
        self.lock_streams()
            .recent
            .iter()
            .find(|s| s.id() == id)
            .cloned()
    }

    #[cfg(feature = "http")]
    /// Claims the standalone stream for one GET reader at a time (a message must not be
    /// delivered on two streams); the claim ends when the returned guard drops.
    pub(crate) fn claim_standalone_reader(self: &Arc<Self>) -> Option<StandaloneReader> {
        let taken = self.standalone_reader.swap(true, Ordering::AcqRel);
        (!taken).then(|| StandaloneReader {
            session: Arc::clone(self),
        })
    }

    /// Marks the session as used now (for idle expiry).
    #[cfg(any(feature = "http", test))]
    pub(crate) fn touch(&self) {
        let elapsed = u64::try_from(self.created.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_seen_ms.store(elapsed, Ordering::Relaxed);
    }

    /// How long since the session was last used.
    pub(crate) fn idle_for(&self) -> Duration {
        let last_seen = Duration::from_millis(self.last_seen_ms.load(Ordering::Relaxed));
        self.created.elapsed().saturating_sub(last_seen)
    }

    /// Whether the session was idle longer than `idle` or lived longer than `max_age`.
    pub(crate) fn is_expired(&self, idle: Duration, max_age: Duration) -> bool {
        self.created.elapsed() > max_age || self.idle_for() > idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tokio::sync::mpsc;

    fn session() -> Session {
        Session::new(
            None,
            Outbound::new(mpsc::channel(1).0),
            SessionLimits::default(),
        )
    }

    #[derive(Default)]
    struct Request(std::sync::atomic::AtomicBool);

    impl Cancellable for Request {
        fn cancel(&self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }

    fn track(session: &Session, id: &RequestId, request: &Arc<Request>) -> Result<(), Refused> {
        let weak: Weak<Request> = Arc::downgrade(request);
        session.begin_request(id, true, weak)
    }

    #[test]
    fn duplicate_in_flight_ids_are_refused_and_cancel_reaches_the_request() {
        let session = session();
        let id = RequestId::Number(1);
        let request = Arc::new(Request::default());
        track(&session, &id, &request).unwrap();
        assert_eq!(
            track(&session, &id, &Arc::default()).unwrap_err(),
            Refused::DuplicateId
        );
        session.cancel_request(&id);
        assert!(request.0.load(Ordering::Relaxed));
        session.end_request(&id, false);
        assert!(track(&session, &id, &Arc::default()).is_ok());
        // A request gone without ending (its handler dropped) is not kept alive, and
        // cancelling it is a no-op.
        session.cancel_request(&id);
    }

    #[test]
    fn initialize_happens_once() {
        let session = session();
        let hello = || ClientHello {
            protocol_version: ProtocolVersion::V2025_06_18,
            capabilities: Value::Null,
        };
        assert!(session.initialize(hello()).is_ok());
        assert!(session.initialize(hello()).is_err());
        assert_eq!(
            session.protocol_version(),
            Some(ProtocolVersion::V2025_06_18)
        );
    }

    #[test]
    fn subscriptions_are_bounded() {
        let limits = SessionLimits {
            subscriptions: 2,
            ..SessionLimits::default()
        };
        let session = Session::new(None, Outbound::new(mpsc::channel(1).0), limits);
        assert!(session.subscribe("a://1") && session.subscribe("a://2"));
        assert!(
            session.subscribe("a://2"),
            "re-subscribing is not a new subscription"
        );
        assert!(!session.subscribe("a://3"));
        session.unsubscribe("a://1");
        assert!(session.subscribe("a://3") && session.is_subscribed("a://3"));
    }

    #[cfg(feature = "http")]
    #[test]
    fn streams_are_bounded_and_the_standalone_stream_stays() {
        let limits = SessionLimits {
            streams: 3,
            ..SessionLimits::default()
        };
        let session = Session::with_standalone_stream("s".into(), limits);
        let ids: Vec<u32> = (0..5).map(|_| session.open_stream().id()).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5]);
        assert!(session.stream(STANDALONE_STREAM).is_some());
        assert!(session.stream(5).is_some() && session.stream(4).is_some());
        assert!(
            session.stream(1).is_none(),
            "the oldest stream was forgotten"
        );
    }

    #[test]
    fn idle_and_old_sessions_expire() {
        let session = session();
        session.touch();
        assert!(!session.is_expired(Duration::from_secs(60), Duration::from_secs(3600)));
        assert!(session.is_expired(Duration::from_secs(60), Duration::ZERO));
    }
}
