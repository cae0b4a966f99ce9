//! Rate limits: a budget per binding and caller, and the limiters that enforce it.

mod fixed_window;
mod per_key;
mod sliding_window;
mod token_bucket;

pub use fixed_window::FixedWindowLimiter;
pub use sliding_window::SlidingWindowLimiter;
pub use token_bucket::TokenBucketLimiter;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

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

/// Counts calls per key (the principal, else the client's address, else the session) and
/// refuses those over budget. Each binding has its own limiter unless bindings share a
/// `rate_limit_group`.
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one call for `key`, or refuses it.
    fn check(&self, key: &str) -> Result<(), RateLimited>;
}

/// How the in-memory limiters count a [`RateLimit`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitAlgorithm {
    /// `max` calls per window starting at a caller's first call: cheapest; a caller may
    /// make up to twice `max` calls across a window boundary.
    #[default]
    FixedWindow,
    /// The current window's count plus the previous one's, weighted by how much of it
    /// still overlaps the last `window`: smooth at boundaries, still O(1) per caller.
    SlidingWindow,
    /// A bucket of `max` tokens refilled evenly over `window`: allows bursts up to `max`,
    /// then one call per `window / max`.
    TokenBucket,
}

impl RateLimitAlgorithm {
    fn limiter(self, limit: RateLimit) -> Arc<dyn RateLimiter> {
        match self {
            RateLimitAlgorithm::FixedWindow => Arc::new(FixedWindowLimiter::new(limit)),
            RateLimitAlgorithm::SlidingWindow => Arc::new(SlidingWindowLimiter::new(limit)),
            RateLimitAlgorithm::TokenBucket => Arc::new(TokenBucketLimiter::new(limit)),
        }
    }
}

/// Creates the limiters of a registry's bindings: one per binding, or one per group that
/// bindings share on purpose.
#[derive(Default)]
pub(crate) struct Limiters {
    algorithm: RateLimitAlgorithm,
    groups: HashMap<String, (RateLimit, Arc<dyn RateLimiter>)>,
}

impl Limiters {
    pub(crate) fn new(algorithm: RateLimitAlgorithm) -> Self {
        Limiters {
            algorithm,
            groups: HashMap::new(),
        }
    }

    /// Notes a group's limit (first pass over every binding): every binding of a group
    /// that declares a limit must declare the same.
    pub(crate) fn declare(&mut self, guards: &super::Guards) -> Result<(), String> {
        let (Some(group), Some(limit)) = (&guards.group, guards.rate_limit) else {
            return Ok(());
        };
        match self.groups.get(group.as_ref()) {
            Some((declared, _)) if *declared != limit => Err(format!(
                "its rate_limit differs from another binding's in rate_limit_group `{group}`; \
                 a group has one budget, so give them the same rate_limit"
            )),
            Some(_) => Ok(()),
            None => {
                let limiter = self.algorithm.limiter(limit);
                self.groups.insert(group.to_string(), (limit, limiter));
                Ok(())
            }
        }
    }

    /// Gives `guards` their limiter, unless one was plugged in.
    pub(crate) fn materialise(&self, guards: &mut super::Guards) -> Result<(), String> {
        if guards.limiter.is_some() {
            return Ok(());
        }
        guards.limiter = match (&guards.group, guards.rate_limit) {
            (Some(group), _) => Some(
                self.groups
                    .get(group.as_ref())
                    .map(|(_, limiter)| Arc::clone(limiter))
                    .ok_or_else(|| {
                        format!(
                            "rate_limit_group `{group}` has no rate_limit; give one binding \
                             of the group `rate_limit = \"N/min\"`"
                        )
                    })?,
            ),
            (None, Some(limit)) => Some(self.algorithm.limiter(limit)),
            (None, None) => None,
        };
        Ok(())
    }
}
