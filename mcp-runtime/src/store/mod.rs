//! The state that several replicas of a server must share, behind async traits: session
//! records, the event logs SSE streams resume from, a message bus between replicas, tasks
//! and rate-limit counters.
//!
//! What stays in a process never enters a store: requests in flight and their
//! cancellation, answers awaited from clients, the SSE responses being written, the
//! futures of running tasks. A replica keeps those for the sessions and tasks it serves,
//! and the bus carries what must reach them from elsewhere (a cancellation, a client's
//! answer, a `DELETE`).
//!
//! [`MemoryStore`] is the default and needs no configuration: one process, nothing shared.
//! A [`Store`] bundles one backend's five parts, so
//! [`McpServerBuilder::store`](crate::McpServerBuilder::store) fills every slot at once.
//! `docs/deployment.md` in the repository describes running several replicas on Redis.

mod bus;
mod error;
mod events;
mod limits;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod sessions;
mod tasks;

pub use bus::{Bus, Inbox, Topic};
pub use error::StoreError;
#[cfg(feature = "http")]
pub(crate) use error::{RETRY_AFTER_SECONDS, UNAVAILABLE};
pub use events::{Event, EventLog, LogLimits, Read, StreamKey, Watch};
pub use limits::RateLimitStore;
#[cfg(feature = "http")]
pub(crate) use memory::EventStream;
pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::{RedisStore, RedisStoreBuilder};
pub use sessions::{Created, Expiry, Patched, SessionPatch, SessionRecord, SessionStore};
pub use tasks::{NewTask, TaskOutcome, TaskState, TaskStatus, TaskStore};

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What a store operation returns: it may need a round trip to a shared backend.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// One backend's parts, for [`McpServerBuilder::store`](crate::McpServerBuilder::store).
///
/// ```no_run
/// # async fn f() -> Result<(), mcp_runtime::Error> {
/// use mcp_runtime::McpServer;
/// use mcp_runtime::store::MemoryStore;
///
/// let server = McpServer::builder("svc", "1.0").store(MemoryStore::new()).build()?;
/// # Ok(()) }
/// ```
pub trait Store: Send + Sync + 'static {
    /// Session records.
    fn sessions(&self) -> Arc<dyn SessionStore>;
    /// SSE event logs.
    fn events(&self) -> Arc<dyn EventLog>;
    /// The bus between replicas.
    fn bus(&self) -> Arc<dyn Bus>;
    /// Tasks.
    fn tasks(&self) -> Arc<dyn TaskStore>;
    /// Rate-limit counters.
    fn rate_limits(&self) -> Arc<dyn RateLimitStore>;

    /// A secret every replica on this store shares, to sign multi-round `requestState`
    /// (a retry may reach any replica); `None` for a store of one process. The builder's
    /// own `request_state_key` takes precedence.
    fn request_state_key(&self) -> Option<Vec<u8>> {
        None
    }
}

/// A store operation that needs no round trip: answered at once.
pub(crate) fn ready<'a, T: Send + 'a>(value: T) -> StoreFuture<'a, T> {
    Box::pin(std::future::ready(Ok(value)))
}
