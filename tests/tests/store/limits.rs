//! Rate limits.

use mcp_runtime::store::Store;
use mcp_runtime::{
    guard::RateLimit, guard::RateLimitAlgorithm, guard::RateLimitError, guard::RateLimiter,
};
use std::sync::Arc;
use std::time::Duration;

pub const ALGORITHMS: [RateLimitAlgorithm; 3] = [
    RateLimitAlgorithm::FixedWindow,
    RateLimitAlgorithm::SlidingWindow,
    RateLimitAlgorithm::TokenBucket,
];

/// Whether `limiter` admits one more call of `caller`; the wait it asks for when it does
/// not.
pub async fn admits(limiter: &dyn RateLimiter, caller: &str) -> Result<(), Duration> {
    match limiter.check(caller).await {
        Ok(()) => Ok(()),
        Err(RateLimitError::Limited(limited)) => Err(limited.retry_after),
        Err(other) => panic!("the limiter failed: {other:?}"),
    }
}

pub async fn every_algorithm_holds_a_budget_of_three(store: &dyn Store) {
    let three_a_minute = RateLimit::new(3, Duration::from_secs(60));
    for algorithm in ALGORITHMS {
        let scope = format!("tool/{algorithm:?}");
        let limiter: Arc<dyn RateLimiter> =
            store
                .rate_limits()
                .limiter(&scope, three_a_minute, algorithm);
        for call in 1..=3 {
            assert_eq!(
                admits(&*limiter, "alice").await,
                Ok(()),
                "{algorithm:?} call {call}"
            );
        }
        let wait = admits(&*limiter, "alice")
            .await
            .expect_err("a fourth call is refused");
        // A sliding window may ask for most of the next window too.
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(120),
            "{algorithm:?} asks to wait {wait:?}"
        );
        assert!(
            admits(&*limiter, "alice").await.is_err(),
            "{algorithm:?}: refusals do not reset"
        );
        assert_eq!(
            admits(&*limiter, "bob").await,
            Ok(()),
            "{algorithm:?}: each caller has a budget"
        );
        let other = store
            .rate_limits()
            .limiter("tool/other", three_a_minute, algorithm);
        assert_eq!(
            admits(&*other, "alice").await,
            Ok(()),
            "{algorithm:?}: each scope has a budget"
        );
    }
}
