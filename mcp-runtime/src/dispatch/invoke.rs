//! Running user code: a panic or an overrun never escapes into the server.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Why user code produced no value.
#[derive(Debug)]
pub(crate) enum Failure {
    Panicked(String),
    TimedOut(Duration),
}

/// Runs `future`, catching panics and enforcing `timeout`.
pub(crate) async fn invoke<T>(
    future: impl Future<Output = T> + Send,
    timeout: Option<Duration>,
) -> Result<T, Failure> {
    // Pinned in this future's own state: no allocation per call.
    let guarded = CatchPanic(std::pin::pin!(future));
    match timeout {
        None => guarded.await,
        // The timer is boxed: inline, it would more than double every call's state, timed
        // or not, and that state is moved into a box of its own per call.
        Some(limit) => Box::pin(tokio::time::timeout(limit, guarded))
            .await
            .unwrap_or(Err(Failure::TimedOut(limit))),
    }
}

/// A future that turns a panic while polling into `Failure::Panicked`. It holds a pinned
/// pointer (`Pin<&mut F>` or `Pin<Box<F>>`), so it needs no pinning of its own.
pub(crate) struct CatchPanic<P>(pub(crate) P);

impl<P: Future + Unpin> Future for CatchPanic<P> {
    type Output = Result<P::Output, Failure>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = Pin::new(&mut self.0);
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(payload) => Poll::Ready(Err(Failure::Panicked(panic_message(payload.as_ref())))),
        }
    }
}

pub(super) fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic payload".into())
}

/// Runs a synchronous function on the blocking pool (`#[mcp_tool(blocking)]`), so it does
/// not stall the async workers. A panic inside is re-raised here, where `invoke` catches it.
pub async fn run_blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(f).await {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn panics_and_timeouts_become_failures() {
        let panicked = invoke(async { panic!("boom") }, None).await;
        assert!(matches!(panicked, Err(Failure::Panicked(m)) if m == "boom"));
        let slow = invoke(
            tokio::time::sleep(Duration::from_secs(5)),
            Some(Duration::from_millis(10)),
        )
        .await;
        assert!(matches!(slow, Err(Failure::TimedOut(_))));
        assert_eq!(
            invoke(async { 3 }, Some(Duration::from_secs(1)))
                .await
                .unwrap(),
            3
        );
    }

    #[tokio::test]
    async fn blocking_panics_are_caught_by_invoke() {
        let result = invoke(run_blocking(|| -> u8 { panic!("in a thread") }), None).await;
        assert!(matches!(result, Err(Failure::Panicked(m)) if m == "in a thread"));
    }
}
