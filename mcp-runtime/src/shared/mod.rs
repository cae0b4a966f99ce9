//! What a running server shares between its connections: the frozen registry, the
//! configuration, the stores, the sessions, tasks and listeners this replica serves.
//! Dispatch handlers and transports read it; it knows nothing of either.

mod config;
#[cfg(feature = "http")]
mod http_config;
mod in_flight;
pub(crate) mod listeners;
mod maintenance;
mod messages;
mod notices;
mod sessions;
mod shutdown;

pub(crate) use config::Config;
#[cfg(feature = "http")]
pub(crate) use http_config::HttpConfig;
pub(crate) use in_flight::{InFlight, InFlightSlot};
pub(crate) use messages::Message;
pub(crate) use notices::Notice;
pub(crate) use sessions::is_hex_id;

use crate::context::StateMap;
use crate::registry::Registry;
use crate::session::{LiveSessions, Session};
use crate::store::{Bus, EventLog, SessionStore, TaskStore};
use crate::tasks::RunningTasks;
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, Mutex, Weak};

/// The server's name and version as `initialize` reports them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServerInfo {
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Everything a running server shares between connections.
pub(crate) struct Shared {
    pub info: ServerInfo,
    pub instructions: Option<String>,
    pub registry: Registry,
    pub states: Arc<StateMap>,
    pub config: Config,
    pub capabilities: Value,
    /// The capabilities `server/discover` advertises (the stateless era has no
    /// `resources/subscribe`).
    pub stateless_capabilities: Value,
    /// `{name, version, title?}`, put in every stateless result's `_meta` (encoded once).
    pub server_info_json: Box<serde_json::value::RawValue>,
    /// Session records (2025-era HTTP).
    pub sessions: Arc<dyn SessionStore>,
    /// The SSE streams of HTTP sessions, for resumption.
    pub events: Arc<dyn EventLog>,
    /// The bus to the other replicas.
    pub bus: Arc<dyn Bus>,
    /// Tasks (stateless era).
    pub task_store: Arc<dyn TaskStore>,
    /// The HTTP sessions this replica serves right now.
    pub live: LiveSessions,
    /// The tasks whose calls run on this replica.
    pub running_tasks: RunningTasks,
    /// stdio and in-process connections, for server-initiated messages.
    pub connections: Mutex<Vec<Weak<Session>>>,
    /// `subscriptions/listen` streams (stateless era).
    pub listeners: listeners::Listeners,
    /// Requests in flight on every connection together (`max_in_flight`).
    pub in_flight: Arc<InFlight>,
    /// This server's name among the servers on one bus (distinct even for two in one
    /// process), to recognise its own messages coming back.
    pub instance: u64,
    /// Whether this replica's housekeeping runs.
    pub maintenance: std::sync::atomic::AtomicBool,
    /// Counts each caller's new sessions (`initialize_rate_limit`).
    #[cfg(feature = "http")]
    pub initialize_limiter: Option<Arc<dyn crate::guard::RateLimiter>>,
    /// Turns true when shutdown begins.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("info", &self.info)
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Keeps a non-HTTP connection reachable for server-initiated messages while it lives.
    pub(crate) fn register_connection(&self, session: &Arc<Session>) {
        let mut connections = self.connections.lock().unwrap_or_else(|e| e.into_inner());
        connections.retain(|c| c.strong_count() > 0);
        connections.push(Arc::downgrade(session));
    }

    /// The stdio and in-process connections that are still open.
    pub(crate) fn open_connections(&self) -> Vec<Arc<Session>> {
        let connections = self.connections.lock().unwrap_or_else(|e| e.into_inner());
        connections.iter().filter_map(Weak::upgrade).collect()
    }
}
