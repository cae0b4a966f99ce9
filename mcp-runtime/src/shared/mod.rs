//! What a running server shares between its connections: the frozen registry, the
//! configuration, the stores, the live sessions and listeners. Dispatch handlers and
//! transports read it; it knows nothing of either.

mod config;
#[cfg(feature = "http")]
mod http_config;
mod in_flight;
pub(crate) mod listeners;

pub(crate) use config::Config;
#[cfg(feature = "http")]
pub(crate) use http_config::HttpConfig;
pub(crate) use in_flight::{InFlight, InFlightSlot};

use crate::context::StateMap;
use crate::protocol::notification;
use crate::registry::{BindingKind, Registry};
use crate::session::{Session, SessionStore};
use serde::Serialize;
use serde_json::{Value, json};
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
    /// HTTP sessions.
    pub sessions: Arc<dyn SessionStore>,
    /// stdio and in-process connections, for server-initiated messages.
    pub connections: Mutex<Vec<Weak<Session>>>,
    /// `subscriptions/listen` streams (stateless era).
    pub listeners: listeners::Listeners,
    /// Tool calls running as tasks (stateless era).
    pub tasks: crate::tasks::TaskStore,
    /// Requests in flight on every connection together (`max_in_flight`).
    pub in_flight: Arc<InFlight>,
    /// Whether the HTTP session sweeper runs.
    #[cfg(feature = "http")]
    pub session_sweeper: std::sync::atomic::AtomicBool,
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

    /// Tells every client that the list of `kind` changed: each live session, and each
    /// listener that asked for it.
    pub(crate) async fn announce_list_changed(&self, kind: BindingKind) {
        let (method, notice) = match kind {
            BindingKind::Tool => (
                "notifications/tools/list_changed",
                listeners::Notice::ToolsListChanged,
            ),
            BindingKind::Resource => (
                "notifications/resources/list_changed",
                listeners::Notice::ResourcesListChanged,
            ),
            BindingKind::Prompt => (
                "notifications/prompts/list_changed",
                listeners::Notice::PromptsListChanged,
            ),
        };
        let message = notification(method, json!({}));
        for session in self.live_sessions() {
            session.notify(message.clone()).await;
        }
        self.listeners.broadcast(notice).await;
    }

    /// Every live session: HTTP ones and connected stdio/in-process ones.
    pub(crate) fn live_sessions(&self) -> Vec<Arc<Session>> {
        let mut sessions = self.sessions.all();
        let connections = self.connections.lock().unwrap_or_else(|e| e.into_inner());
        sessions.extend(connections.iter().filter_map(Weak::upgrade));
        sessions
    }
}
