//! The default limiter: a fixed window per caller, starting at its first call.

use super::per_key::PerKey;
use super::{LimitFuture, RateLimit, RateLimited, RateLimiter};
use std::sync::Mutex;
use std::time::Instant;

/// At most `max` calls per window per key; a window starts at the key's first call after
/// the previous one ended. Ended windows are swept, so memory stays bounded.
#[derive(Debug)]
pub struct FixedWindowLimiter {
    limit: RateLimit,
    windows: Mutex<PerKey<(Instant, u32)>>,
}

impl FixedWindowLimiter {
    /// A limiter enforcing `limit` per key.
    pub fn new(limit: RateLimit) -> Self {
        FixedWindowLimiter {
            limit,
            windows: Mutex::default(),
        }
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), RateLimited> {
        let window = self.limit.window;
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let entry = windows.entry(
            key,
            || (now, 0),
            |(start, _)| now.duration_since(*start) >= window,
        );
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit.max {
            return Err(RateLimited {
                retry_after: window - now.duration_since(entry.0),
            });
        }
        entry.1 += 1;
        Ok(())
    }
}

impl RateLimiter for FixedWindowLimiter {
    fn check<'a>(&'a self, key: &'a str) -> LimitFuture<'a> {
        Box::pin(std::future::ready(
            self.check_at(key, Instant::now()).map_err(Into::into),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn each_key_gets_its_own_window_and_windows_reset() {
        let limiter = FixedWindowLimiter::new(RateLimit::new(2, Duration::from_secs(60)));
        let t0 = Instant::now();
        assert!(limiter.check_at("a", t0).is_ok());
        assert!(limiter.check_at("a", t0).is_ok());
        let refused = limiter
            .check_at("a", t0 + Duration::from_secs(15))
            .unwrap_err();
        assert_eq!(refused.retry_after, Duration::from_secs(45));
        assert!(
            limiter.check_at("b", t0).is_ok(),
            "another key has its own budget"
        );
        assert!(
            limiter.check_at("a", t0 + Duration::from_secs(60)).is_ok(),
            "a new window starts"
        );
    }

    #[test]
    fn ended_windows_are_swept_so_memory_stays_bounded() {
        let limiter = FixedWindowLimiter::new(RateLimit::new(1, Duration::from_secs(1)));
        let t0 = Instant::now();
        for i in 0..5000 {
            limiter
                .check_at(&format!("k{i}"), t0 + Duration::from_secs(i / 1000 * 2))
                .unwrap();
        }
        assert!(limiter.windows.lock().unwrap().len() <= 2048);
    }
}
