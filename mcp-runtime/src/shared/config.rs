//! Settings that shape how requests are served, with their defaults.

use crate::context::Principal;
use crate::session::SessionLimits;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub page_size: usize,
    pub default_timeout: Option<Duration>,
    pub echo_input: bool,
    pub max_request_bytes: usize,
    pub max_result_bytes: usize,
    pub max_in_flight: usize,
    pub max_listeners: usize,
    pub max_listeners_per_caller: usize,
    pub stdio_principal: Option<Arc<Principal>>,
    pub session_limits: SessionLimits,
    pub client_request_timeout: Duration,
    pub session_idle_timeout: Duration,
    pub session_max_age: Duration,
    /// How long calls in flight get to finish once serving stops (end of stdio input, an
    /// HTTP shutdown) before they are cancelled.
    pub shutdown_grace: Duration,
    pub max_sessions: usize,
    /// New sessions per caller (HTTP `initialize`).
    #[cfg(feature = "http")]
    pub initialize_rate_limit: Option<crate::guard::RateLimit>,
    pub cache_hint: crate::protocol::CacheHint,
    pub request_state_keys: crate::mrtr::state::StateKeys,
    pub task_limits: crate::tasks::TaskLimits,
    pub filter_listings: bool,
    pub rate_limit_algorithm: crate::guard::RateLimitAlgorithm,
    pub require_permissions: bool,
    #[cfg(feature = "http")]
    pub http: crate::shared::HttpConfig,
    pub telemetry: crate::telemetry::TelemetryConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            page_size: 100,
            default_timeout: None,
            echo_input: false,
            max_request_bytes: 4 * 1024 * 1024,
            max_result_bytes: 16 * 1024 * 1024,
            max_in_flight: 4096,
            max_listeners: 10_000,
            max_listeners_per_caller: 16,
            stdio_principal: None,
            session_limits: SessionLimits::default(),
            client_request_timeout: Duration::from_secs(60),
            session_idle_timeout: Duration::from_secs(30 * 60),
            session_max_age: Duration::from_secs(24 * 3600),
            shutdown_grace: Duration::from_secs(10),
            max_sessions: 10_000,
            #[cfg(feature = "http")]
            initialize_rate_limit: Some(crate::guard::RateLimit::new(
                1000,
                Duration::from_secs(60),
            )),
            cache_hint: crate::protocol::CacheHint {
                ttl_ms: 0,
                public: false,
            },
            request_state_keys: crate::mrtr::state::StateKeys::random(),
            task_limits: Default::default(),
            filter_listings: false,
            rate_limit_algorithm: Default::default(),
            require_permissions: false,
            #[cfg(feature = "http")]
            http: Default::default(),
            telemetry: Default::default(),
        }
    }
}
