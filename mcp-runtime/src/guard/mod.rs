//! Guards that run inside a binding's dispatch, before the binding: permissions and rate limits.

mod permission;
mod rate_limit;

pub use permission::{AllOf, AnyOf, Permission, PermissionDenied, scopes};
pub(crate) use rate_limit::Limiters;
pub use rate_limit::{
    FixedWindowLimiter, LimitFuture, RateLimit, RateLimitAlgorithm, RateLimitError, RateLimited,
    RateLimiter, SlidingWindowLimiter, TokenBucketLimiter,
};

use crate::context::RequestEnv;
use crate::protocol::{RpcError, codes};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A binding's rate-limit check, started: `Ok` when the call may go on. It owns what it
/// needs, so a call can wait on it after its request's bytes are gone.
pub(crate) type LimitCheck = Pin<Box<dyn Future<Output = Result<(), RpcError>> + Send>>;

/// The guards of one binding, in the order they run.
#[derive(Clone, Default)]
pub(crate) struct Guards {
    pub permissions: Vec<Arc<dyn Permission>>,
    pub rate_limit: Option<RateLimit>,
    pub limiter: Option<Arc<dyn RateLimiter>>,
    /// Bindings of one group share one limiter (one budget per caller).
    pub group: Option<std::borrow::Cow<'static, str>>,
}

impl std::fmt::Debug for Guards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guards")
            .field("permissions", &self.permissions.len())
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl Guards {
    /// Runs every permission (all must allow), then the rate limit.
    pub(crate) async fn check(&self, env: &RequestEnv) -> Result<(), RpcError> {
        match self.admit(env)? {
            Some(limit) => limit.await,
            None => Ok(()),
        }
    }

    /// The same guards for `completion/complete` of the binding's arguments: completions
    /// (typed keystroke by keystroke) count against a budget of their own.
    pub(crate) async fn check_completion(&self, env: &RequestEnv) -> Result<(), RpcError> {
        let key = |env: &RequestEnv| format!("completion/{}", env.rate_limit_key());
        match self.admit_keyed(env, key)? {
            Some(limit) => limit.await,
            None => Ok(()),
        }
    }

    /// Runs every permission (all must allow), then starts the rate limit's check, if the
    /// binding has a limit: the caller awaits it, or polls it once where it stands.
    pub(crate) fn admit(&self, env: &RequestEnv) -> Result<Option<LimitCheck>, RpcError> {
        self.admit_keyed(env, RequestEnv::rate_limit_key)
    }

    /// `key` names the caller's budget; it is only worked out when a limit applies.
    fn admit_keyed(
        &self,
        env: &RequestEnv,
        key: impl FnOnce(&RequestEnv) -> String,
    ) -> Result<Option<LimitCheck>, RpcError> {
        for permission in &self.permissions {
            match checked(permission.as_ref(), env) {
                Some(Ok(())) => {}
                Some(Err(denied)) => return Err(denied.into_rpc_error()),
                None => {
                    return Err(RpcError::new(
                        codes::INTERNAL_ERROR,
                        "internal error: a permission check failed",
                    ));
                }
            }
        }
        let Some(limiter) = &self.limiter else {
            return Ok(None);
        };
        let limiter = Arc::clone(limiter);
        let key = key(env);
        Ok(Some(Box::pin(async move {
            limiter.check(&key).await.map_err(refusal)
        })))
    }

    /// Whether every permission allows the request (nothing is counted against the rate
    /// limit): what `filter_listings` shows.
    pub(crate) fn permits(&self, env: &RequestEnv) -> bool {
        self.permissions
            .iter()
            .all(|p| matches!(checked(p.as_ref(), env), Some(Ok(()))))
    }
}

/// A permission's verdict; `None` when the check panicked (user code, like a binding: the
/// panic is contained and logged, and the request is refused).
fn checked(permission: &dyn Permission, env: &RequestEnv) -> Option<Result<(), PermissionDenied>> {
    let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| permission.check(env)));
    if verdict.is_err() {
        tracing::error!("a permission check panicked; the request is refused");
    }
    verdict.ok()
}

/// The JSON-RPC error of a limiter's refusal.
fn refusal(error: RateLimitError) -> RpcError {
    match error {
        RateLimitError::Limited(limited) => {
            let seconds = limited.retry_after_seconds();
            RpcError::busy(
                format!("rate limit exceeded; retry after {seconds}s"),
                seconds,
            )
        }
        RateLimitError::Unavailable(error) => error.into(),
    }
}
