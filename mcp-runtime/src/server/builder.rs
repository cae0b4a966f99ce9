//! [`McpServerBuilder`]: what a server serves and how.

use super::McpServer;
use crate::context::{Principal, StateMap};
use crate::error::Error;
use crate::registry::{
    Binding, BindingInfo, PromptBinding, Registration, Registry, ResourceBinding, ToolBinding,
};
use crate::shared::{Config, ServerInfo, Shared};
use crate::store::{MemoryStore, Store};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Filter = Box<dyn Fn(&BindingInfo<'_>) -> bool>;

/// Configures and builds an [`McpServer`].
pub struct McpServerBuilder {
    info: ServerInfo,
    instructions: Option<String>,
    states: StateMap,
    manual: Vec<Binding>,
    filter: Option<Filter>,
    config: Config,
    store: Option<Box<dyn Store>>,
    /// Whether `request_state_key` was called (else the store's shared key signs).
    state_key_given: bool,
}

impl std::fmt::Debug for McpServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpServerBuilder")
            .field("info", &self.info)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl McpServerBuilder {
    pub(super) fn new(name: String, version: String) -> Self {
        McpServerBuilder {
            info: ServerInfo {
                name,
                version,
                title: None,
            },
            instructions: None,
            states: StateMap::default(),
            manual: Vec::new(),
            filter: None,
            config: Config::default(),
            store: None,
            state_key_given: false,
        }
    }

    /// A human-readable title for clients to show.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.info.title = Some(title.into());
        self
    }

    /// Instructions for the model on how to use this server (sent in `initialize`).
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// Shares `value` with every binding that takes a `State<T>` of its type.
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.states.insert(value);
        self
    }

    /// Adds a tool built by hand (see [`ToolBinding`]).
    pub fn tool(mut self, tool: ToolBinding) -> Self {
        self.manual.push(tool.into());
        self
    }

    /// Adds a resource built by hand (see [`ResourceBinding`]).
    pub fn resource(mut self, resource: ResourceBinding) -> Self {
        self.manual.push(resource.into());
        self
    }

    /// Adds a prompt built by hand (see [`PromptBinding`]).
    pub fn prompt(mut self, prompt: PromptBinding) -> Self {
        self.manual.push(prompt.into());
        self
    }

    /// Serves only the collected bindings `keep` accepts (by name, module or tag), so one
    /// binary can run several servers from one registry. Bindings added by hand with
    /// [`tool`](Self::tool), [`resource`](Self::resource) or [`prompt`](Self::prompt) are
    /// always served.
    pub fn filter(mut self, keep: impl Fn(&BindingInfo<'_>) -> bool + 'static) -> Self {
        self.filter = Some(Box::new(keep));
        self
    }

    /// How many items one list page holds (default 100).
    pub fn page_size(mut self, size: usize) -> Self {
        self.config.page_size = size.max(1);
        self
    }

    /// A time limit for bindings that set none (default: none).
    pub fn default_timeout(mut self, timeout: Duration) -> Self {
        self.config.default_timeout = Some(timeout);
        self
    }

    /// Whether argument-validation errors quote the client's values back (default off).
    pub fn echo_input_in_errors(mut self, echo: bool) -> Self {
        self.config.echo_input = echo;
        self
    }

    /// The largest message accepted, in bytes (default 4 MiB).
    pub fn max_request_bytes(mut self, bytes: usize) -> Self {
        self.config.max_request_bytes = bytes;
        self
    }

    /// The principal every stdio request runs as (stdio has no authentication).
    pub fn stdio_principal(mut self, principal: Principal) -> Self {
        self.config.stdio_principal = Some(Arc::new(principal));
        self
    }

    /// Answers from the client (sampling, elicitation, roots) are awaited this long (default 60 s).
    pub fn client_request_timeout(mut self, timeout: Duration) -> Self {
        self.config.client_request_timeout = timeout;
        self
    }

    /// The caching hints of stateless-era list results, `resources/read` and
    /// `server/discover` (default: stale at once, private).
    pub fn cache_hint(mut self, ttl: Duration, public: bool) -> Self {
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        self.config.cache_hint = crate::protocol::CacheHint { ttl_ms, public };
        self
    }

    /// The key that signs multi-round `requestState` (default: the key the store shares
    /// between replicas, a `RedisStore`'s; else random per process, so a round cannot
    /// outlive the process). `previous` keys still verify states signed before a rotation.
    pub fn request_state_key(
        mut self,
        current: impl Into<Vec<u8>>,
        previous: impl IntoIterator<Item = Vec<u8>>,
    ) -> Self {
        self.config.request_state_keys =
            crate::mrtr::state::StateKeys::new(current.into(), previous.into_iter().collect());
        self.state_key_given = true;
        self
    }

    /// The largest result a request may answer with (default 16 MiB): over it a tool call
    /// answers an `isError` result naming the limit, other requests `-32603`; a result is
    /// never truncated.
    pub fn max_result_bytes(mut self, bytes: usize) -> Self {
        self.config.max_result_bytes = bytes;
        self
    }

    /// Requests in flight at once across the server (default 4,096) and per session or
    /// stdio connection (default 128). At a session's cap, stdio stops reading until a
    /// call ends (the pipe then holds the client back), and HTTP requests wait for a turn
    /// (`http_queue`); over the server's cap, a request is refused at once with `-32005`
    /// and `retryAfter`. Tasks and memory stay bounded under any load.
    /// `subscriptions/listen` streams count against `max_subscriptions` instead.
    pub fn max_in_flight(mut self, per_server: usize, per_session: usize) -> Self {
        self.config.max_in_flight = per_server;
        self.config.session_limits.requests_in_flight = per_session;
        self
    }

    /// Resources one session may subscribe to (default 1,024; `-32600` over it), and
    /// `subscriptions/listen` streams open at once across the server (default 10,000;
    /// `-32005` over it).
    pub fn max_subscriptions(mut self, per_session: usize, listeners: usize) -> Self {
        self.config.session_limits.subscriptions = per_session;
        self.config.max_listeners = listeners;
        self
    }

    /// Bytes of the URIs one session's subscriptions name together (default 64 KiB;
    /// `-32600` over it), and `subscriptions/listen` streams one caller (a principal, a
    /// client address, a stdio connection) may hold open at once (default 16; `-32005`
    /// over it), so that no caller takes the server's whole `max_subscriptions`.
    pub fn max_subscriptions_per_caller(mut self, uri_bytes: usize, listeners: usize) -> Self {
        self.config.session_limits.subscription_bytes = uri_bytes;
        self.config.max_listeners_per_caller = listeners;
        self
    }

    /// Requests to the client (sampling, elicitation, roots) one session may have waiting
    /// for an answer (default 64; over it the binding's request fails at once).
    pub fn max_pending_client_requests(mut self, count: usize) -> Self {
        self.config.session_limits.pending_client_requests = count;
        self
    }

    /// Events an SSE stream keeps for clients that resume it with `Last-Event-ID`
    /// (default 256; older ones are dropped, and resuming before them is `404`), and SSE
    /// streams a session keeps (default 64).
    #[cfg(feature = "http")]
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
    #[cfg(feature = "http")]
    pub fn sse_replay_bytes(mut self, per_session: usize, total: usize) -> Self {
        self.config.session_limits.log_bytes = per_session;
        self.config.session_limits.log_bytes_total = total;
        self
    }

    /// Lists show each caller only the bindings its permissions allow (default off: lists
    /// are then served from pages serialised once, the fast path; with it on, each list
    /// request runs every listed binding's permissions).
    pub fn filter_listings(mut self, filter: bool) -> Self {
        self.config.filter_listings = filter;
        self
    }

    /// How the in-memory limiters behind `rate_limit` count (default: fixed window).
    pub fn rate_limit_algorithm(mut self, algorithm: crate::RateLimitAlgorithm) -> Self {
        self.config.rate_limit_algorithm = algorithm;
        self
    }

    /// Refuses to build a server with a tool that has no `permission`: for servers where
    /// every tool must be deliberately guarded (default off).
    pub fn require_permissions(mut self, require: bool) -> Self {
        self.config.require_permissions = require;
        self
    }

    /// Tasks (the tasks extension): at most `max_tasks` at once (default 1,000; finished
    /// ones make room first, and with every one still running a call stays within its
    /// request), each kept for `ttl` after it was created (default 1 hour, the `ttlMs`
    /// clients see).
    pub fn task_limits(mut self, max_tasks: usize, ttl: Duration) -> Self {
        self.config.task_limits.max_tasks = max_tasks;
        self.config.task_limits.ttl = ttl;
        self
    }

    /// Tasks one owner (a principal; every caller without one counts as one owner) may
    /// have running on this replica at once (default 100). Beyond, its task-capable calls
    /// run within their request, as when `max_tasks` is reached: no caller can take every
    /// task slot.
    pub fn max_tasks_per_owner(mut self, count: usize) -> Self {
        self.config.task_limits.max_tasks_per_owner = count;
        self
    }

    /// How often clients are asked to poll a task (`pollIntervalMs`; default 500 ms).
    pub fn task_poll_interval(mut self, interval: Duration) -> Self {
        self.config.task_limits.poll_interval = interval;
        self
    }

    /// Where the state replicas share lives: sessions, SSE event logs, the bus between
    /// replicas, tasks and rate-limit counters, all from one backend (default: a
    /// [`MemoryStore`], for one process). With a shared store (`RedisStore`, behind the
    /// `redis` feature) several replicas behind a load balancer serve as one, with no
    /// sticky sessions.
    pub fn store(mut self, store: impl Store) -> Self {
        self.store = Some(Box::new(store));
        self
    }

    /// HTTP sessions unused this long expire (default 30 minutes).
    pub fn session_idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.session_idle_timeout = timeout;
        self
    }

    /// HTTP sessions expire this long after `initialize` however busy (default 24 hours).
    pub fn session_max_age(mut self, age: Duration) -> Self {
        self.config.session_max_age = age;
        self
    }

    /// At most this many HTTP sessions live at once, across replicas (default 10,000).
    /// When they are, `initialize` is answered `503` with `Retry-After` until sessions
    /// expire or end: no session is evicted to make room, so no caller can end another's.
    pub fn max_sessions(mut self, count: usize) -> Self {
        self.config.max_sessions = count;
        self
    }

    /// The HTTP path the endpoint answers on (default `/mcp`).
    #[cfg(feature = "http")]
    pub fn http_path(mut self, path: impl Into<String>) -> Self {
        self.config.http.path = path.into();
        self
    }

    /// Host names accepted in the `Host` header (any port). Default: localhost forms only,
    /// which defeats DNS rebinding; add your public name when serving beyond loopback.
    #[cfg(feature = "http")]
    pub fn allowed_hosts<S: Into<String>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        self.config.http.allowed_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// Authenticates every HTTP request with `authenticator` (a [`BearerTokens`](crate::BearerTokens)
    /// table, a `JwtAuthenticator`, or your own): a refusal is `401` with a
    /// `WWW-Authenticate: Bearer` challenge, and the principal reaches guards and bindings.
    /// Sessions are bound to the principal that created them. Default: none (stdio has
    /// [`stdio_principal`](Self::stdio_principal) instead).
    #[cfg(feature = "http")]
    pub fn authenticate(mut self, authenticator: impl crate::Authenticator) -> Self {
        self.config.http.authenticator =
            Some(crate::auth::SharedAuthenticator(Arc::new(authenticator)));
        self
    }

    /// Publishes this server's OAuth resource metadata (RFC 9728) at
    /// `/.well-known/oauth-protected-resource` plus the resource's path, and names it in
    /// every `401` and scope `403` so clients can find the authorization server.
    #[cfg(feature = "http")]
    pub fn protected_resource(mut self, resource: crate::ProtectedResource) -> Self {
        self.config.http.protected_resource = Some(resource);
        self
    }

    /// New sessions each caller may open (HTTP `initialize`; default 1,000 a minute),
    /// counted per principal, else per client address, else for every caller the server
    /// cannot tell apart together (a router served without `ConnectInfo`); `None` for no
    /// limit. Behind a proxy, set `trusted_proxies` so each client counts on its own.
    /// Over it, `initialize` is answered `429` with `Retry-After`. Counted in the store, so
    /// it holds across replicas.
    #[cfg(feature = "http")]
    pub fn initialize_rate_limit(mut self, limit: Option<crate::RateLimit>) -> Self {
        self.config.initialize_rate_limit = limit;
        self
    }

    /// How long calls in flight get to finish once serving stops (default 10 s): at the
    /// end of stdio input, or when `serve_http_until`'s shutdown begins. What is still
    /// running then is cancelled, and what is still open (GET streams) is cut.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.config.shutdown_grace = grace;
        self
    }

    /// Proxies in front of the server whose `X-Forwarded-For` is believed: when a request
    /// comes from one of them, the client's address (which keys rate limits when no
    /// principal does) is the right-most entry of that header that is not a trusted proxy.
    /// Without it the socket's peer is the client, whatever the request says.
    #[cfg(feature = "http")]
    pub fn trusted_proxies(mut self, proxies: impl IntoIterator<Item = std::net::IpAddr>) -> Self {
        self.config.http.trusted_proxies = proxies.into_iter().map(|p| p.to_canonical()).collect();
        self
    }

    /// Accepts any `Host` header: for deployments behind a proxy that checks it.
    #[cfg(feature = "http")]
    pub fn allow_any_host(mut self) -> Self {
        self.config.http.any_host = true;
        self
    }

    /// Origins accepted from browsers (`https://app.example` exactly, or a host name for any
    /// scheme and port). Requests without `Origin` are not from browsers and are accepted.
    #[cfg(feature = "http")]
    pub fn allowed_origins<S: Into<String>>(
        mut self,
        origins: impl IntoIterator<Item = S>,
    ) -> Self {
        self.config.http.allowed_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// The `retry:` interval SSE streams announce for reconnection (default 1 s).
    #[cfg(feature = "http")]
    pub fn sse_retry(mut self, retry: Duration) -> Self {
        self.config.http.sse_retry = retry;
        self
    }

    /// HTTP requests of one session that may wait for a turn once `max_in_flight`'s
    /// per-session cap runs (default 1,024), and how long each may wait (default 30 s).
    /// Beyond either, a request is answered `503` with `Retry-After: 1` and a `-32005`
    /// error: a burst within the bound is served in full, a flood is refused clearly.
    /// Notifications and answers to the server's requests never wait.
    #[cfg(feature = "http")]
    pub fn http_queue(mut self, per_session: usize, wait: Duration) -> Self {
        self.config.http.queue_per_session = per_session;
        self.config.http.queue_wait = wait;
        self
    }

    /// How often an idle SSE stream sends a keep-alive comment (default 15 s), so proxies
    /// do not cut it for silence. An open GET stream also keeps its session alive on each.
    #[cfg(feature = "http")]
    pub fn sse_keep_alive(mut self, interval: Duration) -> Self {
        self.config.http.keep_alive = interval;
        self
    }

    /// How long a client has to send a request's headers (default 15 s), on a new
    /// connection or an idle kept-alive one, before `serve_http` closes the connection: a
    /// client that sends half a request and stops holds nothing for long.
    #[cfg(feature = "http")]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.http.header_read_timeout = timeout;
        self
    }

    /// How long a client has to send a POST's body once its headers are in (default
    /// 30 s); a slower one is answered `408`. Responses, SSE streams included, are not
    /// bounded by it.
    #[cfg(feature = "http")]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.http.body_read_timeout = timeout;
        self
    }

    /// Connections `serve_http` keeps open at once (default 10,000). At the cap, new
    /// connections wait in the kernel's backlog until one closes. Keep the process's
    /// file-descriptor limit (`ulimit -n`) above it.
    #[cfg(feature = "http")]
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.config.http.max_connections = connections;
        self
    }

    /// How dispatch spans are named (default: the contract's `mcp.tools.call`...).
    #[cfg(feature = "otel")]
    pub fn span_names(mut self, names: crate::SpanNames) -> Self {
        self.config.telemetry.span_names = names;
        self
    }

    /// Records a tool's `ServiceError` on its span (`record_error`) before it becomes the
    /// error result (default off). `ServiceValidationError`s, and resource and prompt
    /// errors, are never recorded.
    #[cfg(feature = "otel")]
    pub fn record_service_exceptions(mut self, record: bool) -> Self {
        self.config.telemetry.record_service_exceptions = record;
        self
    }

    /// Puts tool arguments and results on spans (`gen_ai.tool.call.arguments` and
    /// `gen_ai.tool.call.result`; default off: they may hold private data).
    #[cfg(feature = "otel")]
    pub fn record_payloads(mut self, record: bool) -> Self {
        self.config.telemetry.record_payloads = record;
        self
    }

    /// Collects every binding in the binary plus the hand-built ones, applies the filter,
    /// checks them and freezes the registry. Fails on two bindings of one name (naming
    /// both source locations), a missing `State<T>`, or an invalid hand-built binding.
    pub fn build(self) -> Result<McpServer, Error> {
        let mut bindings = Registration::collect();
        if let Some(keep) = &self.filter {
            bindings.retain(|b| keep(&b.info()));
        }
        bindings.extend(self.manual);
        let store = self.store.unwrap_or_else(|| Box::new(MemoryStore::new()));
        let mut config = self.config;
        if !self.state_key_given
            && let Some(key) = store.request_state_key()
        {
            // Replicas must verify each other's rounds: a retry may reach any of them.
            config.request_state_keys = crate::mrtr::state::StateKeys::new(key, Vec::new());
        }
        let registry = Registry::freeze(
            bindings,
            &self.states,
            config.page_size,
            config.rate_limit_algorithm,
            &*store.rate_limits(),
        )?;
        #[cfg(feature = "http")]
        let initialize_limiter = config.initialize_rate_limit.map(|limit| {
            store
                .rate_limits()
                .limiter("initialize", limit, config.rate_limit_algorithm)
        });
        let unguarded = registry.unguarded_tools();
        if config.require_permissions && !unguarded.is_empty() {
            return Err(Error::InvalidBinding {
                name: unguarded.join(", "),
                reason: "this server requires a permission on every tool \
                         (`require_permissions`); add `permission = ...` to the tool"
                    .into(),
            });
        }
        let capabilities = capabilities(&registry);
        let mut stateless_capabilities = capabilities.clone();
        if let Some(resources) = stateless_capabilities
            .get_mut("resources")
            .and_then(Value::as_object_mut)
        {
            resources.remove("subscribe");
        }
        if registry.has_task_tools() {
            stateless_capabilities["extensions"] = json!({ crate::tasks::EXTENSION: {} });
        }
        // Strings and JSON values only: encoding cannot fail.
        let server_info_json =
            serde_json::value::to_raw_value(&self.info).expect("server info encodes as JSON");
        let inner = Arc::new_cyclic(|server: &std::sync::Weak<Shared>| {
            let bus = store.bus();
            let server = server.clone();
            bus.attach(Arc::new(move |payload: &[u8]| {
                if let Some(server) = server.upgrade() {
                    server.receive(payload);
                }
            }));
            Shared {
                info: self.info,
                instructions: self.instructions,
                registry,
                states: Arc::new(self.states),
                config,
                capabilities,
                stateless_capabilities,
                server_info_json,
                sessions: store.sessions(),
                events: store.events(),
                bus,
                task_store: store.tasks(),
                live: Default::default(),
                running_tasks: Default::default(),
                connections: Mutex::new(Vec::new()),
                listeners: Default::default(),
                in_flight: Default::default(),
                instance: random_u64(),
                maintenance: Default::default(),
                #[cfg(feature = "http")]
                initialize_limiter,
                stopping: tokio::sync::watch::Sender::new(false),
            }
        });
        Ok(McpServer { inner })
    }
}

/// What `initialize` advertises: only what the registry really serves.
fn capabilities(registry: &Registry) -> Value {
    let mut capabilities = json!({ "logging": {} });
    if registry.has_tools() {
        capabilities["tools"] = json!({ "listChanged": true });
    }
    if registry.has_resources() {
        capabilities["resources"] = json!({ "subscribe": true, "listChanged": true });
    }
    if registry.has_prompts() {
        capabilities["prompts"] = json!({ "listChanged": true });
    }
    if registry.has_completions() {
        capabilities["completions"] = json!({});
    }
    capabilities
}

/// A number from the operating system's CSPRNG.
fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    u64::from_le_bytes(bytes)
}
