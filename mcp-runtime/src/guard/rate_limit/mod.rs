//! Rate limits: a budget per binding and caller, and the limiters that enforce it.

mod fixed_window;
mod per_key;
mod sliding_window;
mod token_bucket;

pub use fixed_window::FixedWindowLimiter;
pub use sliding_window::SlidingWindowLimiter;
pub use token_bucket::TokenBucketLimiter;

use crate::store::{RateLimitStore, StoreError};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
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

/// A call over its budget (`-32005` with `data.retryAfter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimited {
    /// How long until a call would be allowed.
    pub retry_after: Duration,
}

/// Why a rate limiter did not admit a call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitError {
    /// The caller is over budget (`-32005` with `data.retryAfter`).
    Limited(RateLimited),
    /// The limiter's store could not count the call: refused (`-32603`, HTTP `503`), since
    /// a limit that cannot be counted cannot be held. A store may be told to admit calls
    /// instead (fail open).
    Unavailable(StoreError),
}

impl RateLimited {
    /// `retry_after` in whole seconds, at least one (what `retryAfter` and `Retry-After`
    /// carry).
    pub(crate) fn retry_after_seconds(&self) -> u64 {
        self.retry_after.as_secs_f64().ceil().max(1.0) as u64
    }
}

impl From<RateLimited> for RateLimitError {
    fn from(limited: RateLimited) -> Self {
        RateLimitError::Limited(limited)
    }
}

impl From<StoreError> for RateLimitError {
    fn from(error: StoreError) -> Self {
        RateLimitError::Unavailable(error)
    }
}

/// A limiter's answer, which may need a round trip to a shared store.
pub type LimitFuture<'a> = Pin<Box<dyn Future<Output = Result<(), RateLimitError>> + Send + 'a>>;

/// Counts calls per key (the principal, else the client's address, else the session) and
/// refuses those over budget. Each binding has its own limiter unless bindings share a
/// `rate_limit_group`. Asynchronous, so a limiter may count in a shared store without
/// blocking the runtime's threads; the in-memory limiters answer at once.
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one call for `key`, or refuses it.
    fn check<'a>(&'a self, key: &'a str) -> LimitFuture<'a>;
}

/// How limiters count a [`RateLimit`].
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

/// Creates the limiters of a registry's bindings from the store's counters: one per
/// binding, or one per group that bindings share on purpose.
pub(crate) struct Limiters<'s> {
    algorithm: RateLimitAlgorithm,
    store: &'s dyn RateLimitStore,
    groups: HashMap<String, (RateLimit, Arc<dyn RateLimiter>)>,
}

impl<'s> Limiters<'s> {
    pub(crate) fn new(algorithm: RateLimitAlgorithm, store: &'s dyn RateLimitStore) -> Self {
        Limiters {
            algorithm,
            store,
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
                let limiter = self
                    .store
                    .limiter(&format!("group/{group}"), limit, self.algorithm);
                self.groups.insert(group.to_string(), (limit, limiter));
                Ok(())
            }
        }
    }

    /// Gives `guards` (of the binding `scope`, `tool/add`) their limiter, unless one was
    /// plugged in.
    pub(crate) fn materialise(
        &self,
        scope: &str,
        guards: &mut super::Guards,
    ) -> Result<(), String> {
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
            (None, Some(limit)) => Some(self.store.limiter(scope, limit, self.algorithm)),
            (None, None) => None,
        };
        Ok(())
    }
}
