//! The scope a binding's own code runs in: a `tracing` span (`mcp.binding`) entered around
//! every poll of the binding's future, and, with the `otel` feature, the dispatch span's
//! OpenTelemetry context made current first. A tool's `tracing` events and spans, and the
//! spans its HTTP or database clients start through OpenTelemetry, are then children of the
//! call, whichever of the two the application listens to.
//!
//! With no `tracing` subscriber the span is disabled: creating it checks the callsite's
//! cached interest, entering it checks an `Option`.

use super::Operation;
use crate::context::RequestEnv;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Where a binding runs; cloned into the call's future.
#[derive(Debug, Clone)]
pub(crate) struct BindingScope {
    span: tracing::Span,
    #[cfg(feature = "otel")]
    otel: opentelemetry::Context,
}

impl BindingScope {
    /// The `tracing` span of a call to `binding`. With the `otel` feature this is made
    /// while the dispatch span's context is current, so `tracing-opentelemetry` parents it
    /// there.
    pub(super) fn new(
        operation: Operation,
        binding: &str,
        env: &RequestEnv,
        #[cfg(feature = "otel")] otel: opentelemetry::Context,
    ) -> Self {
        #[cfg(feature = "otel")]
        let _current = otel.clone().attach();
        let span = tracing::info_span!(
            "mcp.binding",
            "mcp.method.name" = operation.method(),
            "mcp.binding.name" = binding,
            "jsonrpc.request.id" = %env.request_id(),
            "mcp.session.id" = tracing::field::Empty,
        );
        if let Some(session) = env.session_id()
            && !span.is_disabled()
        {
            span.record("mcp.session.id", session);
        }
        BindingScope {
            span,
            #[cfg(feature = "otel")]
            otel,
        }
    }

    /// Runs `f` in the scope: user code that runs before its future (a synchronous
    /// function, argument extraction).
    pub(crate) fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        // The OpenTelemetry context first, so the tracing span's own context (with
        // `tracing-opentelemetry`'s context activation) is attached above it.
        #[cfg(feature = "otel")]
        let _current = self.otel.clone().attach();
        let _entered = self.span.enter();
        f()
    }

    /// Makes the future `start` returns, then runs it in the scope on every poll.
    pub(crate) fn run<F: Future + Unpin>(self, start: impl FnOnce() -> F) -> InScope<F> {
        let inner = self.enter(start);
        InScope { scope: self, inner }
    }

    /// Runs an already made future in the scope.
    pub(crate) fn wrap<F: Future + Unpin>(self, inner: F) -> InScope<F> {
        InScope { scope: self, inner }
    }
}

/// A binding's future, polled inside its [`BindingScope`].
#[derive(Debug)]
pub(crate) struct InScope<F> {
    scope: BindingScope,
    inner: F,
}

impl<F: Future + Unpin> Future for InScope<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.scope.enter(|| Pin::new(&mut this.inner).poll(cx))
    }
}
