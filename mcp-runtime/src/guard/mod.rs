//! Guards that run inside a binding's dispatch, before the binding: permissions and rate limits.

mod permission;
mod rate_limit;

pub use permission::{Permission, PermissionDenied, scopes};
pub use rate_limit::{FixedWindowLimiter, RateLimit, RateLimited, RateLimiter};

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
        for permission in &self.permissions {
            permission
                .check(env)
                .map_err(PermissionDenied::into_rpc_error)?;
        }
        if let Some(limiter) = &self.limiter {
            limiter.check(&env.rate_limit_key()).map_err(|limited| {
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

    /// Creates the in-memory limiter for a declared `rate_limit`, unless one was plugged in.
    pub(crate) fn materialise(&mut self) {
        if self.limiter.is_none() {
            self.limiter = self
                .rate_limit
                .map(|limit| Arc::new(FixedWindowLimiter::new(limit)) as Arc<dyn RateLimiter>);
        }
    }
}
