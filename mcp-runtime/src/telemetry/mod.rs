//! The span helper dispatch calls around every binding. This is the seam: dispatch code
//! calls it unconditionally at the points the span contract names (after the binding is
//! resolved, around guards, validation, the call and rendering). Without the `otel` feature
//! every method is an empty inline function on a zero-sized type, so it compiles to nothing.

use crate::context::RequestEnv;

/// The dispatch operations that open a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    ToolsCall,
    ResourcesRead,
    PromptsGet,
    CompletionComplete,
}

/// How a dispatch ended, for the span's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    /// A JSON-RPC error with this code.
    RpcError(i32),
    /// A tool result with `isError: true`.
    ToolError,
}

/// One dispatch span (a no-op without the `otel` feature).
#[derive(Debug)]
pub(crate) struct DispatchSpan {
    _private: (),
}

impl DispatchSpan {
    #[inline(always)]
    pub(crate) fn start(_operation: Operation, _binding: &str, _env: &RequestEnv) -> Self {
        DispatchSpan { _private: () }
    }

    /// The resolved URI of a resource read.
    #[inline(always)]
    pub(crate) fn set_resource_uri(&mut self, _uri: &str) {}

    /// A tool's `ServiceError`, recorded only when `record_service_exceptions` is on.
    #[inline(always)]
    pub(crate) fn record_service_error(&mut self, _error: &crate::ServiceError) {}

    #[inline(always)]
    pub(crate) fn end(self, _outcome: Outcome) {}
}
