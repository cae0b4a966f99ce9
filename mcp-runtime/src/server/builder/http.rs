//! The settings of the Streamable HTTP transport.

use super::McpServerBuilder;
use std::sync::Arc;
use std::time::Duration;

impl McpServerBuilder {
    /// Events an SSE stream keeps for clients that resume it with `Last-Event-ID`
    /// (default 256; older ones are dropped, and resuming before them is `404`), and SSE
    /// streams a session keeps (default 64).
    pub fn sse_replay(mut self, events_per_stream: usize, streams_per_session: usize) -> Self {
        self.config.session_limits.events_per_stream = events_per_stream;
        self.config.session_limits.streams = streams_per_session;
        self
    }

    /// Bytes a session's SSE logs hold for resumption (default 4 MiB) and every session's
    /// together in this process (default 256 MiB). Beyond either, ended streams are
    /// forgotten first (the oldest), then a running stream's oldest events: a stream still
    /// being written is never forgotten, and its newest event is always kept. Plain JSON
    /// answers are never logged.
    pub fn sse_replay_bytes(mut self, per_session: usize, total: usize) -> Self {
        self.config.session_limits.log_bytes = per_session;
        self.config.session_limits.log_bytes_total = total;
        self
    }

    /// Serves the catalogue at `path` (for example `/catalogue`): one HTML page that lists
    /// every tool, resource, resource template and prompt the caller may see, their
    /// parameters as tables, their raw JSON Schemas, and a form per binding that sends it a
    /// real call. Off by default.
    ///
    /// The page is what the list methods show: it asks for the same credentials as the MCP
    /// endpoint (a refusal is the same `401`), and with
    /// [`filter_listings`](Self::filter_listings) shows only what the caller's permissions
    /// allow. Its `Host` is checked like the endpoint's; its forms call the endpoint from
    /// the page's own origin, which [`allowed_origins`](Self::allowed_origins) must accept
    /// (localhost forms do by default). Nothing is loaded from elsewhere: the page's
    /// stylesheet and script are in the binary, served beside it under `path/`.
    ///
    /// ```standalone_crate
    /// # fn main() -> Result<(), mcp_runtime::Error> {
    /// let server = mcp_runtime::McpServer::builder("svc", "1.0")
    ///     .catalogue("/catalogue")
    ///     .build()?;
    /// let router = server.router(); // GET /catalogue beside POST /mcp
    /// # drop(router);
    /// # Ok(())
    /// # }
    /// ```
    pub fn catalogue(mut self, path: impl Into<String>) -> Self {
        self.config.http.catalogue = Some(path.into());
        self
    }

    /// The HTTP path the endpoint answers on (default `/mcp`).
    pub fn http_path(mut self, path: impl Into<String>) -> Self {
        self.config.http.path = path.into();
        self
    }

    /// Host names accepted in the `Host` header (any port). Default: localhost forms only,
    /// which defeats DNS rebinding; add your public name when serving beyond loopback.
    pub fn allowed_hosts<S: Into<String>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        self.config.http.allowed_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// Authenticates every HTTP request with `authenticator` (a [`BearerTokens`](crate::auth::BearerTokens)
    /// table, a `JwtAuthenticator`, or your own): a refusal is `401` with a
    /// `WWW-Authenticate: Bearer` challenge, and the principal reaches guards and bindings.
    /// Sessions are bound to the principal that created them. Default: none (stdio has
    /// [`stdio_principal`](Self::stdio_principal) instead).
    pub fn authenticate(mut self, authenticator: impl crate::auth::Authenticator) -> Self {
        self.config.http.authenticator =
            Some(crate::auth::SharedAuthenticator(Arc::new(authenticator)));
        self
    }

    /// Publishes this server's OAuth resource metadata (RFC 9728) at
    /// `/.well-known/oauth-protected-resource` plus the resource's path, and names it in
    /// every `401` and scope `403` so clients can find the authorization server.
    pub fn protected_resource(mut self, resource: crate::auth::ProtectedResource) -> Self {
        self.config.http.protected_resource = Some(resource);
        self
    }

    /// New sessions each caller may open (HTTP `initialize`; default 1,000 a minute),
    /// counted per principal, else per client address, else for every caller the server
    /// cannot tell apart together (a router served without `ConnectInfo`); `None` for no
    /// limit. Behind a proxy, set `trusted_proxies` so each client counts on its own.
    /// Over it, `initialize` is answered `429` with `Retry-After`. Counted in the store, so
    /// it holds across replicas.
    pub fn initialize_rate_limit(mut self, limit: Option<crate::guard::RateLimit>) -> Self {
        self.config.initialize_rate_limit = limit;
        self
    }

    /// Proxies in front of the server whose `X-Forwarded-For` is believed: when a request
    /// comes from one of them, the client's address (which keys rate limits when no
    /// principal does) is the right-most entry of that header that is not a trusted proxy.
    /// Without it the socket's peer is the client, whatever the request says.
    pub fn trusted_proxies(mut self, proxies: impl IntoIterator<Item = std::net::IpAddr>) -> Self {
        self.config.http.trusted_proxies = proxies.into_iter().map(|p| p.to_canonical()).collect();
        self
    }

    /// Accepts any `Host` header: for deployments behind a proxy that checks it.
    pub fn allow_any_host(mut self) -> Self {
        self.config.http.any_host = true;
        self
    }

    /// Origins accepted from browsers (`https://app.example` exactly, or a host name for any
    /// scheme and port). Requests without `Origin` are not from browsers and are accepted.
    pub fn allowed_origins<S: Into<String>>(
        mut self,
        origins: impl IntoIterator<Item = S>,
    ) -> Self {
        self.config.http.allowed_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// The `retry:` interval SSE streams announce for reconnection (default 1 s).
    pub fn sse_retry(mut self, retry: Duration) -> Self {
        self.config.http.sse_retry = retry;
        self
    }

    /// HTTP requests of one session that may wait for a turn once `max_in_flight`'s
    /// per-session cap runs (default 1,024), and how long each may wait (default 30 s).
    /// Beyond either, a request is answered `503` with `Retry-After: 1` and a `-32005`
    /// error: a burst within the bound is served in full, a flood is refused clearly.
    /// Notifications and answers to the server's requests never wait.
    pub fn http_queue(mut self, per_session: usize, wait: Duration) -> Self {
        self.config.http.queue_per_session = per_session;
        self.config.http.queue_wait = wait;
        self
    }

    /// How often an idle SSE stream sends a keep-alive comment (default 15 s), so proxies
    /// do not cut it for silence. An open GET stream also keeps its session alive on each.
    pub fn sse_keep_alive(mut self, interval: Duration) -> Self {
        self.config.http.keep_alive = interval;
        self
    }

    /// How long a client has to send a request's headers (default 15 s), on a new
    /// connection or an idle kept-alive one, before `serve_http` closes the connection: a
    /// client that sends half a request and stops holds nothing for long.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.http.header_read_timeout = timeout;
        self
    }

    /// How long a client has to send a POST's body once its headers are in (default
    /// 30 s); a slower one is answered `408`. Responses, SSE streams included, are not
    /// bounded by it.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.http.body_read_timeout = timeout;
        self
    }

    /// Connections `serve_http` keeps open at once (default 10,000). At the cap, new
    /// connections wait in the kernel's backlog until one closes. Keep the process's
    /// file-descriptor limit (`ulimit -n`) above it.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.config.http.max_connections = connections;
        self
    }
}
