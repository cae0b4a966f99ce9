//! The state that several replicas of a server must share, behind async traits: session
//! records, the event logs SSE streams resume from, a message bus between replicas, tasks
//! and rate-limit counters.
//!
//! What stays in a process never enters a store: requests in flight and their cancellation,
//! answers awaited from clients, the SSE responses being written, the futures of running
//! tasks. A replica keeps those for the sessions and tasks it is serving, and the bus
//! carries what must reach them from elsewhere (a cancellation, a client's answer, a
//! `DELETE`).
//!
//! The in-memory store is the default and needs no configuration. [`Store`] bundles one
//! backend's five parts, so [`McpServerBuilder::store`](crate::McpServerBuilder::store)
//! fills every slot at once.

mod error;
mod limits;
mod memory;

pub use error::StoreError;
pub use limits::RateLimitStore;
pub(crate) use memory::MemoryLimits;

use std::future::Future;
use std::pin::Pin;

/// What a store operation returns: it may need a round trip to a shared backend.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;
