//! Rate limits counted in this process: the limiters of `guard`, one per scope.

use crate::guard::{
    FixedWindowLimiter, RateLimit, RateLimitAlgorithm, RateLimiter, SlidingWindowLimiter,
    TokenBucketLimiter,
};
use crate::store::RateLimitStore;
use std::sync::Arc;

/// Budgets counted in this process's memory.
#[derive(Debug, Default)]
pub(crate) struct MemoryLimits;

impl RateLimitStore for MemoryLimits {
    fn limiter(
        &self,
        _scope: &str,
        limit: RateLimit,
        algorithm: RateLimitAlgorithm,
    ) -> Arc<dyn RateLimiter> {
        match algorithm {
            RateLimitAlgorithm::FixedWindow => Arc::new(FixedWindowLimiter::new(limit)),
            RateLimitAlgorithm::SlidingWindow => Arc::new(SlidingWindowLimiter::new(limit)),
            RateLimitAlgorithm::TokenBucket => Arc::new(TokenBucketLimiter::new(limit)),
        }
    }
}
