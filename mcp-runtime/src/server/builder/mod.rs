//! [`McpServerBuilder`]: what a server serves and how. The settings of the HTTP transport
//! are in `http.rs`, `build()` in `build.rs`.

mod build;
#[cfg(feature = "http")]
mod http;

use crate::context::{Principal, StateMap};
use crate::registry::{Binding, BindingInfo, PromptBinding, ResourceBinding, ToolBinding};
use crate::shared::{Config, ServerInfo};
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;

type Filter = Box<dyn Fn(&BindingInfo<'_>) -> bool>;

/// Configures and builds an [`McpServer`](crate::McpServer).
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

    /// Lists show each caller only the bindings its permissions allow (default off: lists
    /// are then served from pages serialised once, the fast path; with it on, each list
    /// request runs every listed binding's permissions).
    pub fn filter_listings(mut self, filter: bool) -> Self {
        self.config.filter_listings = filter;
        self
    }

    /// How the in-memory limiters behind `rate_limit` count (default: fixed window).
    pub fn rate_limit_algorithm(mut self, algorithm: crate::guard::RateLimitAlgorithm) -> Self {
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
    /// [`MemoryStore`](crate::store::MemoryStore), for one process). With a shared store (`RedisStore`, behind the
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

    /// How long calls in flight get to finish once serving stops (default 10 s): at the
    /// end of stdio input, or when `serve_http_until`'s shutdown begins. What is still
    /// running then is cancelled, and what is still open (GET streams) is cut.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.config.shutdown_grace = grace;
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
}
