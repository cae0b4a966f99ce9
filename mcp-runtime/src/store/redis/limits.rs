//! Rate limits counted in Redis, one script per algorithm, so every replica's calls count
//! against one budget. A limit that cannot be counted refuses the call, unless the store
//! was told to fail open.

use super::RedisStore;
use super::scripts::SCRIPTS;
use crate::guard::{LimitFuture, RateLimit, RateLimitAlgorithm, RateLimited, RateLimiter};
use crate::store::RateLimitStore;
use std::sync::Arc;
use std::time::Duration;

struct RedisLimiter {
    store: RedisStore,
    scope: String,
    limit: RateLimit,
    script: &'static redis::Script,
}

impl RateLimiter for RedisLimiter {
    fn check<'a>(&'a self, key: &'a str) -> LimitFuture<'a> {
        Box::pin(async move {
            let counter = self.store.inner.keys.limit(&self.scope, key);
            let window = u64::try_from(self.limit.window().as_millis()).unwrap_or(u64::MAX);
            let mut script = self.script.key(counter);
            script.arg(self.limit.max()).arg(window.max(1));
            match self.store.inner.redis.script::<i64>(&script).await {
                Ok(wait) if wait < 0 => Ok(()),
                Ok(wait) => Err(RateLimited {
                    retry_after: Duration::from_millis(wait.unsigned_abs()),
                }
                .into()),
                Err(error) if self.store.inner.options.fail_open => {
                    tracing::warn!(%error, "rate limit not counted: admitting the call (fail open)");
                    Ok(())
                }
                Err(error) => Err(error.into()),
            }
        })
    }
}

impl RateLimitStore for RedisStore {
    fn limiter(
        &self,
        scope: &str,
        limit: RateLimit,
        algorithm: RateLimitAlgorithm,
    ) -> Arc<dyn RateLimiter> {
        let (script, name) = match algorithm {
            RateLimitAlgorithm::SlidingWindow => (&SCRIPTS.limit_sliding_window, "sliding"),
            RateLimitAlgorithm::TokenBucket => (&SCRIPTS.limit_token_bucket, "bucket"),
            _ => (&SCRIPTS.limit_fixed_window, "fixed"),
        };
        Arc::new(RedisLimiter {
            store: self.clone(),
            // Each algorithm keeps counts of its own shape.
            scope: format!("{name}:{scope}"),
            limit,
            script,
        })
    }
}
