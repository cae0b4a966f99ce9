//! Session records of the 2025 era: what `initialize` established, kept where every
//! replica finds it.

use super::StoreFuture;
use crate::protocol::{LogLevel, ProtocolVersion};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How long a session lives: `idle` after its last use, and `max_age` after its creation
/// however busy. A store expires it by itself (a TTL, a sweep); nothing else ends it but
/// `DELETE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// Unused this long, the session expires.
    pub idle: Duration,
    /// This long after `initialize`, the session expires.
    pub max_age: Duration,
}

/// A session as a store keeps it: the part every replica must see. What a replica holds
/// while it serves the session (requests in flight, answers awaited from the client, the
/// SSE responses being written) never enters a store.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionRecord {
    /// The `Mcp-Session-Id`: 64 hex characters from the operating system's CSPRNG.
    pub id: String,
    /// The subject of the principal that created the session; only it may use the session.
    pub owner: Option<String>,
    /// The revision `initialize` negotiated.
    pub protocol_version: ProtocolVersion,
    /// The capabilities the client declared in `initialize`.
    pub client_capabilities: Value,
    /// The least severe log level the client wants (`None`: no log messages).
    pub log_level: Option<LogLevel>,
    /// When the session expires.
    pub expiry: Expiry,
}

impl SessionRecord {
    /// A record (the runtime makes one when `initialize` succeeds; a backend's own tests
    /// make them too).
    pub fn new(
        id: String,
        owner: Option<String>,
        protocol_version: ProtocolVersion,
        client_capabilities: Value,
        log_level: Option<LogLevel>,
        expiry: Expiry,
    ) -> Self {
        SessionRecord {
            id,
            owner,
            protocol_version,
            client_capabilities,
            log_level,
            expiry,
        }
    }
}

/// A change to a stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionPatch {
    /// `logging/setLevel` (`None`: no log messages).
    LogLevel(Option<LogLevel>),
    /// `resources/subscribe`: refused when the session already holds `max` other
    /// subscriptions, or their URIs and this one would come to more than `max_bytes`.
    Subscribe {
        /// The resource.
        uri: String,
        /// The session's cap on subscriptions.
        max: usize,
        /// The session's cap on the bytes of its subscriptions' URIs.
        max_bytes: usize,
    },
    /// `resources/unsubscribe`.
    Unsubscribe {
        /// The resource.
        uri: String,
    },
    /// Takes the session's standalone GET stream for `holder` until `lease` from now, or
    /// extends a claim `holder` has: one reader at a time, whichever replica it is on.
    /// Refused while another holder's claim lasts.
    ClaimStream {
        /// Who reads (a replica and a response of it).
        holder: String,
        /// How long the claim lasts unless extended.
        lease: Duration,
    },
    /// Gives the claim back, if `holder` has it.
    ReleaseStream {
        /// Who read.
        holder: String,
    },
}

/// What a patch came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Patched {
    /// Done.
    Applied,
    /// Not done: over the subscription cap, or the stream is claimed by another.
    Refused,
    /// No such session (ended or expired).
    Missing,
}

/// What `create` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Created {
    /// The session was stored.
    Stored,
    /// Nothing stored: a session with its id exists.
    Taken,
    /// Nothing stored: `max_sessions` live sessions are held. No session is evicted to make
    /// room (a caller must not be able to end another's), so the client retries later.
    Full,
}

/// Where 2025-era sessions live between requests. Removing or expiring a session also
/// forgets its streams (see [`EventLog`](super::EventLog)): one backend keeps both.
pub trait SessionStore: Send + Sync + 'static {
    /// Stores a new session unless one with its id exists or `max_sessions` live
    /// sessions are held already (expired ones do not count). Cheap whatever the number
    /// of sessions: it runs on every `initialize`.
    fn create(&self, record: SessionRecord, max_sessions: usize) -> StoreFuture<'_, Created>;

    /// The session `id`, its idle time started again, in one step; `None` when it does
    /// not exist or expired.
    fn touch(&self, id: &str) -> StoreFuture<'_, Option<Arc<SessionRecord>>>;

    /// Changes a session.
    fn patch(&self, id: &str, patch: SessionPatch) -> StoreFuture<'_, Patched>;

    /// Ends a session and forgets its streams; whether it existed.
    fn remove(&self, id: &str) -> StoreFuture<'_, bool>;

    /// How many sessions live.
    fn count(&self) -> StoreFuture<'_, usize>;

    /// The sessions a notice goes to: every live one (`uri: None`), or those subscribed to
    /// `uri`.
    fn audience(&self, uri: Option<&str>) -> StoreFuture<'_, Vec<String>>;

    /// Those of `ids` that still live.
    fn retain_live(&self, ids: Vec<String>) -> StoreFuture<'_, Vec<String>>;

    /// Drops expired sessions, for a store that does not expire them by itself (the
    /// in-memory one); the runtime calls it periodically.
    fn sweep(&self) -> StoreFuture<'_, ()> {
        Box::pin(std::future::ready(Ok(())))
    }
}
