//! [`McpServer`] and its builder: configuration, wiring, entry points.

mod builder;

pub use builder::McpServerBuilder;

use crate::error::Error;
use crate::registry::BindingKind;
use crate::shared::{Message, Notice, Shared};
use crate::store::Topic;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};

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
    pub(crate) inner: Arc<Shared>,
}

impl McpServer {
    /// Starts configuring a server named `name` at `version`.
    pub fn builder(name: impl Into<String>, version: impl Into<String>) -> McpServerBuilder {
        McpServerBuilder::new(name.into(), version.into())
    }

    /// Serves MCP over this process's stdin and stdout until stdin closes.
    /// Logs belong on stderr: nothing but protocol messages is written to stdout.
    pub async fn serve_stdio(self) -> Result<(), Error> {
        crate::transport::stdio::serve(
            self.inner,
            tokio::io::stdin(),
            crate::transport::stdio::StdoutOutput,
        )
        .await
        .map_err(Error::Io)
    }

    /// Serves MCP as newline-delimited JSON over any byte streams (a pipe, a socket).
    pub async fn serve_io<R, W>(self, reader: R, writer: W) -> Result<(), Error>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        crate::transport::stdio::serve(
            self.inner,
            reader,
            crate::transport::stdio::AsyncOutput(writer),
        )
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
    /// feature flag, a tool whose backend went down), on every replica sharing this
    /// server's store. A disabled binding is gone from its list and answers as unknown;
    /// every connected client hears `notifications/{tools,resources,prompts}/list_changed`
    /// when something changed. Returns `Ok(false)` when there is no binding of that kind
    /// and name; an error when the notice could not be stored for the HTTP sessions.
    ///
    /// Replicas started later begin with every binding enabled: call it on startup too
    /// when the state comes from your configuration.
    pub async fn set_enabled(
        &self,
        kind: BindingKind,
        name: &str,
        enabled: bool,
    ) -> Result<bool, Error> {
        let Some(changed) = self.inner.registry.set_enabled(kind, name, enabled) else {
            return Ok(false);
        };
        let others = Message::Enabled {
            binding: kind,
            name: name.to_owned(),
            enabled,
            from: self.inner.instance,
        };
        self.inner.tell(&Topic::Everyone, &others).await;
        if changed {
            self.inner
                .announce(Notice::ListChanged { binding: kind })
                .await?;
        }
        Ok(true)
    }

    /// Tells every client subscribed to `uri` that it changed
    /// (`notifications/resources/updated`), on every replica: 2025-era sessions that
    /// subscribed, and stateless-era listeners that asked for it. An error when the notice
    /// could not be stored for the HTTP sessions.
    pub async fn notify_resource_updated(&self, uri: &str) -> Result<(), Error> {
        let notice = Notice::ResourceUpdated {
            uri: uri.to_owned(),
        };
        Ok(self.inner.announce(notice).await?)
    }
}
