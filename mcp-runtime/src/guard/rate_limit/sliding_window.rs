//! A sliding window, approximated from two fixed windows: O(1) memory per caller.

use super::per_key::PerKey;
use super::{LimitFuture, RateLimit, RateLimited, RateLimiter};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` calls in any `window`, estimated as the current window's count plus the
/// previous window's, weighted by the share of it the last `window` still covers. Unlike a
/// fixed window, a caller cannot make twice `max` calls around a window boundary.
#[derive(Debug)]
pub struct SlidingWindowLimiter {
    limit: RateLimit,
    epoch: Instant,
    counts: Mutex<PerKey<Counts>>,
}

/// Calls in the window numbered `index` (since the epoch) and in the one before it.
#[derive(Debug, Clone, Copy)]
struct Counts {
    index: u64,
    current: u32,
    previous: u32,
}

impl SlidingWindowLimiter {
    /// A limiter enforcing `limit` per key.
    pub fn new(limit: RateLimit) -> Self {
        SlidingWindowLimiter {
            limit,
            epoch: Instant::now(),
            counts: Mutex::default(),
        }
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), RateLimited> {
        let window = self.limit.window.max(Duration::from_millis(1));
        let since = now.saturating_duration_since(self.epoch);
        let index = (since.as_nanos() / window.as_nanos()) as u64;
        let into = since.as_secs_f64() % window.as_secs_f64();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let entry = counts.entry(
            key,
            || Counts {
                index,
                current: 0,
                previous: 0,
            },
            |c| c.index + 1 < index,
        );
        // Roll the windows forward to now.
        *entry = match index.saturating_sub(entry.index) {
            0 => *entry,
            1 => Counts {
                index,
                current: 0,
                previous: entry.current,
            },
            _ => Counts {
                index,
                current: 0,
                previous: 0,
            },
        };
        let w = window.as_secs_f64();
        let overlap = 1.0 - into / w;
        let max = f64::from(self.limit.max);
        let estimate = f64::from(entry.previous) * overlap + f64::from(entry.current);
        if estimate + 1.0 <= max {
            entry.current += 1;
            return Ok(());
        }
        Err(RateLimited {
            retry_after: Duration::from_secs_f64(wait(entry, into, w, max)),
        })
    }
}

/// Seconds until one more call fits: while the previous window's weight fades, or if the
/// current window alone is full, until it becomes the fading previous one.
fn wait(counts: &Counts, into: f64, window: f64, max: f64) -> f64 {
    let (current, previous) = (f64::from(counts.current), f64::from(counts.previous));
    if current + 1.0 <= max && previous > 0.0 {
        // previous * (1 - (into + t) / window) + current + 1 <= max
        let t = window * (1.0 - (max - 1.0 - current) / previous) - into;
        return t.clamp(0.0, window - into);
    }
    // Next window: current * (1 - t' / window) + 1 <= max.
    let t_next = if current > 0.0 {
        window * (1.0 - (max - 1.0) / current).max(0.0)
    } else {
        0.0
    };
    (window - into) + t_next
}

impl RateLimiter for SlidingWindowLimiter {
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
    fn no_burst_of_twice_the_budget_around_a_window_boundary() {
        let limiter = SlidingWindowLimiter::new(RateLimit::new(10, Duration::from_secs(10)));
        let t0 = limiter.epoch;
        let late = t0 + Duration::from_millis(9_900);
        for _ in 0..10 {
            limiter.check_at("a", late).unwrap();
        }
        assert!(limiter.check_at("a", late).is_err());
        // Just after the boundary, the previous window still weighs almost fully.
        let early = t0 + Duration::from_millis(10_100);
        let refused = limiter.check_at("a", early).unwrap_err();
        assert!(refused.retry_after > Duration::ZERO);
        // Waiting as told lets exactly one more call through.
        let later = early + refused.retry_after + Duration::from_millis(1);
        assert!(limiter.check_at("a", later).is_ok());
        assert!(
            limiter.check_at("b", early).is_ok(),
            "other keys are unaffected"
        );
    }

    #[test]
    fn a_quiet_key_gets_its_whole_budget_back() {
        let limiter = SlidingWindowLimiter::new(RateLimit::new(3, Duration::from_secs(1)));
        let t0 = limiter.epoch;
        for _ in 0..3 {
            limiter.check_at("a", t0).unwrap();
        }
        let much_later = t0 + Duration::from_secs(5);
        for _ in 0..3 {
            limiter.check_at("a", much_later).unwrap();
        }
        assert!(limiter.check_at("a", much_later).is_err());
    }
}
