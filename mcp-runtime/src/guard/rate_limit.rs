use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A request budget: at most `max` calls per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    max: u32,
    window: Duration,
}

impl RateLimit {
    /// `max` calls per `window` (what `rate_limit = "10/min"` becomes).
    pub const fn new(max: u32, window: Duration) -> Self {
        RateLimit { max, window }
    }

    /// The number of calls allowed per window.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }
}

/// A refusal from a rate limiter (`-32005` with `data.retryAfter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    /// How long until a call would be allowed.
    pub retry_after: Duration,
}

/// Counts calls per key (principal, else session, else connection) and refuses those over
/// budget. Each binding has its own limiter.
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one call for `key`, or refuses it.
    fn check(&self, key: &str) -> Result<(), RateLimited>;
}

/// The default in-memory limiter: a fixed window per key. Memory stays bounded: windows
/// that have ended are dropped whenever the table grows past its last high-water mark.
#[derive(Debug)]
pub struct FixedWindowLimiter {
    limit: RateLimit,
    windows: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    by_key: HashMap<String, (Instant, u32)>,
    sweep_at: usize,
}

impl FixedWindowLimiter {
    /// A limiter enforcing `limit` per key.
    pub fn new(limit: RateLimit) -> Self {
        FixedWindowLimiter {
            limit,
            windows: Mutex::new(Windows {
                by_key: HashMap::new(),
                sweep_at: 1024,
            }),
        }
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), RateLimited> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.by_key.len() >= windows.sweep_at {
            let window = self.limit.window;
            windows
                .by_key
                .retain(|_, (start, _)| now.duration_since(*start) < window);
            windows.sweep_at = (windows.by_key.len() * 2).max(1024);
        }
        let entry = windows.by_key.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.limit.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit.max {
            return Err(RateLimited {
                retry_after: self.limit.window - now.duration_since(entry.0),
            });
        }
        entry.1 += 1;
        Ok(())
    }
}

impl RateLimiter for FixedWindowLimiter {
    fn check(&self, key: &str) -> Result<(), RateLimited> {
        self.check_at(key, Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(limiter.windows.lock().unwrap().by_key.len() <= 2048);
    }
}
