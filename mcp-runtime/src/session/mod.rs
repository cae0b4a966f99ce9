//! 2025-era sessions as a replica serves them: what `initialize` established (read from
//! the store's record for HTTP sessions), and what only this process holds while it serves
//! the session: requests in flight, answers awaited from the client, and for stdio its
//! subscriptions and the writer notices go to.

mod live;
mod pending;
mod requests;
#[cfg(feature = "http")]
mod response;
#[cfg(feature = "http")]
mod turns;

pub(crate) use live::LiveSessions;
pub(crate) use pending::PendingRequests;
pub(crate) use requests::Refused;
#[cfg(feature = "http")]
pub(crate) use response::{Decision, Log, ResponseStream, Source};
#[cfg(feature = "http")]
pub(crate) use turns::{NoTurn, Turn};

use crate::context::{Cancel, Cancellable, Outbound};
use crate::protocol::stateless::StatelessMeta;
use crate::protocol::{LogLevel, ProtocolVersion, RequestId};
#[cfg(feature = "http")]
use crate::store::SessionRecord;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
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
    /// Bytes of a session's subscribed URIs together.
    pub subscription_bytes: usize,
    /// Requests in flight at once (subscription streams aside).
    pub requests_in_flight: usize,
    #[cfg(feature = "http")]
    pub streams: usize,
    #[cfg(feature = "http")]
    pub events_per_stream: usize,
    /// Bytes a session's SSE logs hold together.
    #[cfg(feature = "http")]
    pub log_bytes: usize,
    /// Bytes every session's SSE logs hold together in this process.
    #[cfg(feature = "http")]
    pub log_bytes_total: usize,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            pending_client_requests: 64,
            subscriptions: 1024,
            subscription_bytes: 64 * 1024,
            requests_in_flight: 128,
            #[cfg(feature = "http")]
            streams: 64,
            #[cfg(feature = "http")]
            events_per_stream: 256,
            #[cfg(feature = "http")]
            log_bytes: 4 << 20,
            #[cfg(feature = "http")]
            log_bytes_total: 256 << 20,
        }
    }
}

/// One client connection's protocol state on this replica: what `initialize` established,
/// requests in flight, answers awaited from the client; for stdio and in-process
/// connections also their subscriptions and where notices go.
#[derive(Debug)]
pub(crate) struct Session {
    id: Option<Arc<str>>,
    connection_id: u64,
    hello: OnceLock<ClientHello>,
    log_level: AtomicU8,
    in_flight: Mutex<HashMap<RequestId, Weak<dyn Cancellable>, foldhash::fast::RandomState>>,
    /// In-flight requests that never finish by themselves (`subscriptions/listen`).
    subscriptions_in_flight: Mutex<HashSet<RequestId, foldhash::fast::RandomState>>,
    pub(crate) pending: PendingRequests,
    /// A connection's own subscriptions (an HTTP session's are in the store).
    subscriptions: Mutex<HashSet<String>>,
    /// Where a connection's notices go (the stdio writer); an HTTP session's go to its
    /// standalone stream in the store.
    notifier: Option<Outbound>,
    limits: SessionLimits,
    created: Instant,
    last_seen_ms: AtomicU64,
    /// The subject of the principal that created the session (HTTP); only it may use it.
    #[cfg(feature = "http")]
    owner: OnceLock<Option<String>>,
    /// Fired when the session ends (`DELETE`, expiry): its streams on this
    /// replica end.
    ended: Cancel,
    /// Set once this replica hears the session's messages on the bus.
    #[cfg(feature = "http")]
    joined: tokio::sync::OnceCell<()>,
    /// HTTP requests' turns to run (a queue beyond `requests_in_flight`).
    #[cfg(feature = "http")]
    turns: turns::Turns,
}

static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);
/// The stored log level meaning "no log messages at all".
const NO_LOGS: u8 = u8::MAX;
static NO_CAPABILITIES: Value = Value::Null;

impl Session {
    /// A connection whose notices go to `notifier` (stdio, in-process), or no notifier at
    /// all (a stateless request's own session).
    pub(crate) fn new(notifier: Option<Outbound>, limits: SessionLimits) -> Self {
        Self::with_id(
            None,
            notifier,
            PendingRequests::new(limits.pending_client_requests, None),
            limits,
        )
    }

    fn with_id(
        id: Option<Arc<str>>,
        notifier: Option<Outbound>,
        pending: PendingRequests,
        limits: SessionLimits,
    ) -> Self {
        Session {
            id,
            connection_id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
            hello: OnceLock::new(),
            log_level: AtomicU8::new(LogLevel::Info as u8),
            in_flight: Mutex::new(HashMap::default()),
            subscriptions_in_flight: Mutex::new(HashSet::default()),
            pending,
            subscriptions: Mutex::new(HashSet::new()),
            notifier,
            limits,
            created: Instant::now(),
            last_seen_ms: AtomicU64::new(0),
            #[cfg(feature = "http")]
            owner: OnceLock::new(),
            ended: Cancel::default(),
            #[cfg(feature = "http")]
            joined: tokio::sync::OnceCell::new(),
            #[cfg(feature = "http")]
            turns: turns::Turns::new(limits.requests_in_flight),
        }
    }

    /// An HTTP session being initialized here, before the store has its record. Requests
    /// this replica sends to the client are numbered `{replica}-{n}`, so that an answer
    /// posted to any replica names the one waiting for it.
    #[cfg(feature = "http")]
    pub(crate) fn http(id: String, replica: &str, limits: SessionLimits) -> Self {
        let pending = PendingRequests::new(limits.pending_client_requests, Some(replica));
        Self::with_id(Some(id.into()), None, pending, limits)
    }

    /// An HTTP session this replica serves, from its record in the store.
    #[cfg(feature = "http")]
    pub(crate) fn from_record(
        record: &SessionRecord,
        replica: &str,
        limits: SessionLimits,
    ) -> Self {
        let session = Self::http(record.id.clone(), replica, limits);
        let _ = session.owner.set(record.owner.clone());
        let _ = session.hello.set(ClientHello {
            protocol_version: record.protocol_version,
            capabilities: record.client_capabilities.clone(),
        });
        session.set_log_level(record.log_level);
        session
    }

    /// The record the store keeps of this session once `initialize` was answered.
    #[cfg(feature = "http")]
    pub(crate) fn record(&self, expiry: crate::store::Expiry) -> Option<SessionRecord> {
        let hello = self.hello.get()?;
        Some(SessionRecord::new(
            self.id.as_deref()?.to_owned(),
            self.owner.get().cloned().flatten(),
            hello.protocol_version,
            hello.capabilities.clone(),
            self.log_level(),
            expiry,
        ))
    }

    /// Binds the session to the principal that created it (once).
    #[cfg(feature = "http")]
    pub(crate) fn bind_owner(&self, owner: Option<&str>) {
        let _ = self.owner.set(owner.map(str::to_owned));
    }

    /// The session id (`None` for stdio and in-process connections).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The session id, shared.
    pub(crate) fn shared_id(&self) -> Option<&Arc<str>> {
        self.id.as_ref()
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
    pub(crate) fn stateless(meta: StatelessMeta, limits: SessionLimits) -> Self {
        let session = Session::new(None, limits);
        session.set_log_level(meta.log_level);
        let hello = ClientHello {
            protocol_version: meta.version,
            capabilities: meta.capabilities,
        };
        let _ = session.initialize(hello);
        session
    }

    /// Sends a notice to a connection (stdio, in-process). An HTTP session's notices go to
    /// its standalone stream in the store instead.
    pub(crate) async fn notify(&self, message: String) {
        if let Some(notifier) = &self.notifier {
            notifier.send(message).await;
        }
    }

    /// Subscribes a connection to updates of `uri`; `false` when it holds too many
    /// subscriptions.
    pub(crate) fn subscribe(&self, uri: &str) -> bool {
        let mut subscriptions = self.subscriptions.lock().unwrap_or_else(|e| e.into_inner());
        if subscriptions.contains(uri) {
            return true;
        }
        let bytes: usize = subscriptions.iter().map(String::len).sum();
        if subscriptions.len() >= self.limits.subscriptions
            || bytes + uri.len() > self.limits.subscription_bytes
        {
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

    pub(crate) fn limits(&self) -> &SessionLimits {
        &self.limits
    }

    /// Marks the session as used now on this replica.
    #[cfg(feature = "http")]
    pub(crate) fn touch(&self) {
        let elapsed = u64::try_from(self.created.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_seen_ms.store(elapsed, Ordering::Relaxed);
    }

    /// How long since this replica last used the session.
    pub(crate) fn idle_for(&self) -> Duration {
        let last_seen = Duration::from_millis(self.last_seen_ms.load(Ordering::Relaxed));
        self.created.elapsed().saturating_sub(last_seen)
    }

    /// The session ended: what is in flight is cancelled and its streams on this replica
    /// end.
    pub(crate) fn end(&self) {
        self.ended.cancel();
        self.cancel_all();
    }

    /// Completes when the session ends.
    #[cfg(feature = "http")]
    pub(crate) async fn ended(&self) {
        self.ended.cancelled().await
    }

    /// Whether this replica joined the session's topic (and so must leave it).
    pub(crate) fn is_joined(&self) -> bool {
        #[cfg(feature = "http")]
        return self.joined.initialized();
        #[cfg(not(feature = "http"))]
        false
    }

    /// Waits until this replica hears the session's messages on the bus (joining once).
    #[cfg(feature = "http")]
    pub(crate) async fn join(
        &self,
        bus: &dyn crate::store::Bus,
    ) -> Result<(), crate::store::StoreError> {
        let id = self.id.clone().expect("HTTP sessions have ids");
        self.joined
            .get_or_try_init(|| bus.join(&crate::store::Topic::Session(id)))
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tokio::sync::mpsc;

    fn session() -> Session {
        Session::new(
            Some(Outbound::new(mpsc::channel(1).0)),
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
        let session = Session::new(Some(Outbound::new(mpsc::channel(1).0)), limits);
        assert!(session.subscribe("a://1") && session.subscribe("a://2"));
        assert!(
            session.subscribe("a://2"),
            "re-subscribing is not a new subscription"
        );
        assert!(!session.subscribe("a://3"));
        session.unsubscribe("a://1");
        assert!(session.subscribe("a://3") && session.is_subscribed("a://3"));
    }
}
