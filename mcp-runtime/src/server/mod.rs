//! [`McpServer`] and its builder: configuration, wiring, entry points.

mod builder;
mod config;
pub(crate) mod listeners;

pub use builder::McpServerBuilder;
pub(crate) use config::Config;

use crate::context::StateMap;
use crate::error::Error;
use crate::protocol::notification;
use crate::registry::{BindingKind, Registry};
use crate::session::{Session, SessionStore};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, Weak};
use tokio::io::{AsyncRead, AsyncWrite};

/// The server's name and version as `initialize` reports them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServerInfo {
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Everything a running server shares between connections.
pub(crate) struct ServerInner {
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

/// Counts requests in flight across the server, up to a cap.
#[derive(Debug, Default)]
pub(crate) struct InFlight(std::sync::atomic::AtomicUsize);

impl InFlight {
    /// Admits one more request, unless `max` already are in flight. The slot borrows the
    /// counter: a request answered where it arrives takes and frees it with no reference
    /// count of its own.
    pub(crate) fn enter(self: &Arc<Self>, max: usize) -> Option<InFlightSlot<'_>> {
        use std::sync::atomic::Ordering;
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| InFlightSlot(self))
    }

    fn exit(&self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// One admitted request; dropping it makes room for another.
#[derive(Debug)]
pub(crate) struct InFlightSlot<'a>(&'a Arc<InFlight>);

impl InFlightSlot<'_> {
    /// The same slot, held by a request that outlives its arrival (a response future).
    pub(crate) fn owned(self) -> InFlightGuard {
        let guard = InFlightGuard(Arc::clone(self.0));
        // Handed over: the guard frees it.
        std::mem::forget(self);
        guard
    }
}

impl Drop for InFlightSlot<'_> {
    fn drop(&mut self) {
        self.0.exit();
    }
}

/// An admitted request's slot, owned; dropping it makes room for another.
#[derive(Debug)]
pub(crate) struct InFlightGuard(Arc<InFlight>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.exit();
    }
}

impl std::fmt::Debug for ServerInner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerInner")
            .field("info", &self.info)
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl ServerInner {
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

/// An MCP server: the frozen registry of bindings plus configuration. Cheap to clone; every
/// clone serves the same sessions.
///
/// ```no_run,standalone_crate
/// use mcp_runtime::prelude::*;
///
/// /// Add two numbers.
/// #[mcp_tool(read_only)]
/// fn add(a: f64, b: f64) -> f64 { a + b }
///
/// #[tokio::main]
/// async fn main() -> Result<(), mcp_runtime::Error> {
///     McpServer::builder("calculator", env!("CARGO_PKG_VERSION"))
///         .build()?
///         .serve_stdio()
///         .await
/// }
/// ```
#[derive(Debug, Clone)]
pub struct McpServer {
    pub(crate) inner: Arc<ServerInner>,
}

impl McpServer {
    /// Starts configuring a server named `name` at `version`.
    pub fn builder(name: impl Into<String>, version: impl Into<String>) -> McpServerBuilder {
        McpServerBuilder::new(name.into(), version.into())
    }

    /// Serves MCP over this process's stdin and stdout until stdin closes.
    /// Logs belong on stderr: nothing but protocol messages is written to stdout.
    pub async fn serve_stdio(self) -> Result<(), Error> {
        self.serve_io(tokio::io::stdin(), tokio::io::stdout()).await
    }

    /// Serves MCP as newline-delimited JSON over any byte streams (a pipe, a socket).
    pub async fn serve_io<R, W>(self, reader: R, writer: W) -> Result<(), Error>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        crate::transport::stdio::serve(self.inner, reader, writer)
            .await
            .map_err(Error::Io)
    }

    /// The Streamable HTTP endpoint as an axum `Router`, to mount in your own app beside
    /// other routes and tower layers. Serves the configured path (default `/mcp`). When you
    /// serve it yourself, set TCP_NODELAY on accepted sockets (axum's
    /// `ListenerExt::tap_io`), as `serve_http` does, or SSE events stall behind delayed
    /// ACKs; and serve it `into_make_service_with_connect_info::<SocketAddr>()` so rate
    /// limits can key on the client's address.
    #[cfg(feature = "http")]
    pub fn router(&self) -> axum::Router {
        crate::transport::http::router(Arc::clone(&self.inner))
    }

    /// Serves Streamable HTTP on `address` (for example `"127.0.0.1:8000"`) until the
    /// process ends. Bind to loopback unless a proxy in front authenticates callers.
    #[cfg(feature = "http")]
    pub async fn serve_http(self, address: &str) -> Result<(), Error> {
        self.serve_http_until(address, std::future::pending()).await
    }

    /// Serves Streamable HTTP on `address` until `shutdown` completes (a signal, a
    /// channel), then shuts down gracefully: no new connections, and requests in flight get
    /// `shutdown_grace` (default 10 s) to finish before what is still open (such as GET
    /// streams) is cut.
    ///
    /// ```no_run
    /// # async fn f(server: mcp_runtime::McpServer) -> Result<(), mcp_runtime::Error> {
    /// server
    ///     .serve_http_until("127.0.0.1:8000", async {
    ///         let _ = tokio::signal::ctrl_c().await;
    ///     })
    ///     .await
    /// # }
    /// ```
    #[cfg(feature = "http")]
    pub async fn serve_http_until(
        self,
        address: &str,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), Error> {
        crate::transport::http::serve(self.inner, address, shutdown)
            .await
            .map_err(Error::Io)
    }

    /// The names of the tools served, sorted.
    pub fn tool_names(&self) -> Vec<String> {
        self.inner.registry.tool_names()
    }

    /// Serves, or stops serving, the binding `name` of `kind` while the server runs (a
    /// feature flag, a tool whose backend went down). A disabled binding is gone from its
    /// list and answers as unknown; every connected client hears
    /// `notifications/{tools,resources,prompts}/list_changed` when something changed.
    /// Returns `false` when there is no binding of that kind and name.
    pub async fn set_enabled(&self, kind: BindingKind, name: &str, enabled: bool) -> bool {
        let Some(changed) = self.inner.registry.set_enabled(kind, name, enabled) else {
            return false;
        };
        if changed {
            self.inner.announce_list_changed(kind).await;
        }
        true
    }

    /// Tells every client subscribed to `uri` that it changed
    /// (`notifications/resources/updated`): 2025-era sessions that subscribed, and
    /// stateless-era listeners that asked for it.
    pub async fn notify_resource_updated(&self, uri: &str) {
        let message = notification("notifications/resources/updated", json!({ "uri": uri }));
        for session in self.inner.live_sessions() {
            if session.is_subscribed(uri) {
                session.notify(message.clone()).await;
            }
        }
        self.inner
            .listeners
            .broadcast(listeners::Notice::ResourceUpdated(uri))
            .await;
    }
}
