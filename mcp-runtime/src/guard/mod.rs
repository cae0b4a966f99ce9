//! Guards that run inside a binding's dispatch, before the binding: permissions and rate limits.

mod permission;
mod rate_limit;

pub use permission::{AllOf, AnyOf, Permission, PermissionDenied, scopes};
pub(crate) use rate_limit::Limiters;
pub use rate_limit::{
    FixedWindowLimiter, RateLimit, RateLimitAlgorithm, RateLimited, RateLimiter,
    SlidingWindowLimiter, TokenBucketLimiter,
};

use crate::context::RequestEnv;
use crate::protocol::{RpcError, codes};
use serde_json::json;
use std::sync::Arc;

/// The guards of one binding, in the order they run.
#[derive(Clone, Default)]
pub(crate) struct Guards {
    pub permissions: Vec<Arc<dyn Permission>>,
    pub rate_limit: Option<RateLimit>,
    pub limiter: Option<Arc<dyn RateLimiter>>,
    /// Bindings of one group share one limiter (one budget per caller).
    pub group: Option<std::borrow::Cow<'static, str>>,
}

impl std::fmt::Debug for Guards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guards")
            .field("permissions", &self.permissions.len())
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl Guards {
    /// Runs every permission (all must allow), then the rate limit.
    pub(crate) fn check(&self, env: &RequestEnv) -> Result<(), RpcError> {
        self.check_keyed(env, RequestEnv::rate_limit_key)
    }

    /// The same guards for `completion/complete` of the binding's arguments: completions
    /// (typed keystroke by keystroke) count against a budget of their own.
    pub(crate) fn check_completion(&self, env: &RequestEnv) -> Result<(), RpcError> {
        self.check_keyed(env, |env| format!("completion/{}", env.rate_limit_key()))
    }

    /// `key` names the caller's budget; it is only worked out when a limit applies.
    fn check_keyed(
        &self,
        env: &RequestEnv,
        key: impl FnOnce(&RequestEnv) -> String,
    ) -> Result<(), RpcError> {
        for permission in &self.permissions {
            permission
                .check(env)
                .map_err(PermissionDenied::into_rpc_error)?;
        }
        if let Some(limiter) = &self.limiter {
            limiter.check(&key(env)).map_err(|limited| {
                let seconds = limited.retry_after.as_secs_f64().ceil().max(1.0) as u64;
                RpcError::new(
                    codes::RATE_LIMITED,
                    format!("rate limit exceeded; retry after {seconds}s"),
                )
                .with_data(json!({ "retryAfter": seconds }))
            })?;
        }
        Ok(())
    }

    /// Whether every permission allows the request (nothing is counted against the rate
    /// limit): what `filter_listings` shows.
    pub(crate) fn permits(&self, env: &RequestEnv) -> bool {
        self.permissions.iter().all(|p| p.check(env).is_ok())
    }
}
