//! Rate-limit counters: where each binding's budget per caller is counted.

use crate::guard::{RateLimit, RateLimitAlgorithm, RateLimiter};
use std::sync::Arc;

/// Makes the limiters behind `rate_limit`: one per binding, or per `rate_limit_group`
/// (`scope` names it), counting with `algorithm`. Limiters of a shared store count every
/// replica's calls against one budget.
pub trait RateLimitStore: Send + Sync + 'static {
    /// The limiter of `scope` (a binding's name, or a group's), enforcing `limit`.
    fn limiter(
        &self,
        scope: &str,
        limit: RateLimit,
        algorithm: RateLimitAlgorithm,
    ) -> Arc<dyn RateLimiter>;
}
