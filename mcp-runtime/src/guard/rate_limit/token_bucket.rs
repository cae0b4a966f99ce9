//! A token bucket per caller: bursts up to the budget, then an even rate.

use super::per_key::PerKey;
use super::{LimitFuture, RateLimit, RateLimited, RateLimiter};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bucket of `max` tokens per key, refilled at `max` per `window`; each call takes one.
#[derive(Debug)]
pub struct TokenBucketLimiter {
    limit: RateLimit,
    buckets: Mutex<PerKey<(f64, Instant)>>,
}

impl TokenBucketLimiter {
    /// A limiter enforcing `limit` per key.
    pub fn new(limit: RateLimit) -> Self {
        TokenBucketLimiter {
            limit,
            buckets: Mutex::default(),
        }
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), RateLimited> {
        let capacity = f64::from(self.limit.max);
        let per_second = capacity / self.limit.window.as_secs_f64().max(1e-3);
        let refilled = |(tokens, at): (f64, Instant)| {
            (tokens + now.saturating_duration_since(at).as_secs_f64() * per_second).min(capacity)
        };
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(
            key,
            || (capacity, now),
            // A full bucket holds nothing a new one would not.
            |state| refilled(*state) >= capacity,
        );
        let tokens = refilled(*bucket);
        if tokens >= 1.0 {
            *bucket = (tokens - 1.0, now);
            return Ok(());
        }
        *bucket = (tokens, now);
        Err(RateLimited {
            retry_after: Duration::from_secs_f64((1.0 - tokens) / per_second),
        })
    }
}

impl RateLimiter for TokenBucketLimiter {
    fn check<'a>(&'a self, key: &'a str) -> LimitFuture<'a> {
        Box::pin(std::future::ready(
            self.check_at(key, Instant::now()).map_err(Into::into),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_up_to_the_budget_then_one_call_per_refill() {
        let limiter = TokenBucketLimiter::new(RateLimit::new(4, Duration::from_secs(4)));
        let t0 = Instant::now();
        for _ in 0..4 {
            limiter.check_at("a", t0).unwrap();
        }
        let refused = limiter.check_at("a", t0).unwrap_err();
        assert_eq!(refused.retry_after, Duration::from_secs(1));
        let t1 = t0 + Duration::from_millis(1_000);
        assert!(limiter.check_at("a", t1).is_ok());
        assert!(limiter.check_at("a", t1).is_err());
        assert!(
            limiter.check_at("b", t1).is_ok(),
            "other keys are unaffected"
        );
    }
}
