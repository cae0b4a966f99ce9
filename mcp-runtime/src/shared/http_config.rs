//! Settings of the Streamable HTTP transport.

use std::time::Duration;

/// How the HTTP transport serves: where, for whom, and how long sessions live.
#[derive(Debug, Clone)]
pub(crate) struct HttpConfig {
    pub path: String,
    /// Hosts accepted in `Host` (with any port). Empty with `any_host` means anything.
    pub allowed_hosts: Vec<String>,
    /// Origins accepted in `Origin` (`scheme://host[:port]`, or a host alone for any scheme
    /// and port). A request without `Origin` is not a browser's and is accepted.
    pub allowed_origins: Vec<String>,
    pub any_host: bool,
    /// The `retry:` an SSE stream carries, for clients that reconnect after it closes.
    pub sse_retry: Duration,
    pub keep_alive: Duration,
    /// How long a POST's answer may stay undecided (no event, no result) before it becomes
    /// an SSE stream, so that the client gets headers and an event id early.
    pub json_wait: Duration,
    /// How long a client has to send a request's headers, on a new connection or an idle
    /// kept-alive one, before the connection is closed.
    pub header_read_timeout: Duration,
    /// How long a client has to send a POST's body once its headers are in.
    pub body_read_timeout: Duration,
    /// Connections `serve_http` keeps open at once; beyond, new ones wait to be accepted.
    pub max_connections: usize,
    /// Requests of one session that may wait for a turn beyond those running, and for how
    /// long, before they are refused (`503`, `Retry-After`).
    pub queue_per_session: usize,
    pub queue_wait: Duration,
    /// Proxies whose `X-Forwarded-For` names the client (for rate limits by address).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Who may call: every request is authenticated when set.
    pub authenticator: Option<crate::auth::SharedAuthenticator>,
    /// The resource-server metadata served at `/.well-known/oauth-protected-resource...`.
    pub protected_resource: Option<crate::auth::ProtectedResource>,
    /// Where the catalogue page is served; `None`: it is not.
    pub catalogue: Option<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        let local = ["localhost", "127.0.0.1", "[::1]"]
            .map(String::from)
            .to_vec();
        HttpConfig {
            path: "/mcp".into(),
            allowed_hosts: local.clone(),
            allowed_origins: local,
            any_host: false,
            sse_retry: Duration::from_millis(1000),
            keep_alive: Duration::from_secs(15),
            json_wait: Duration::from_secs(1),
            trusted_proxies: Vec::new(),
            queue_per_session: 1024,
            queue_wait: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(15),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 10_000,
            authenticator: None,
            protected_resource: None,
            catalogue: None,
        }
    }
}
