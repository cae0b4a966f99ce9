//! The span helper dispatch calls around every binding. This is the seam: dispatch code
//! calls it unconditionally at the points the span contract names (after the binding is
//! resolved, around guards, validation, the call and rendering). With the `otel` feature it
//! opens real spans through the global tracer; without it every method is an empty inline
//! function on a zero-sized type, so it compiles to nothing.

#[cfg(not(feature = "otel"))]
mod noop;
#[cfg(feature = "otel")]
mod options;
#[cfg(feature = "otel")]
mod otel;
mod scope;

#[cfg(not(feature = "otel"))]
pub(crate) use noop::DispatchSpan;
#[cfg(feature = "otel")]
pub use options::SpanNames;
#[cfg(feature = "otel")]
pub(crate) use options::TelemetryConfig;
#[cfg(feature = "otel")]
pub(crate) use otel::DispatchSpan;
pub(crate) use scope::BindingScope;

/// Without the `otel` feature there is nothing to configure.
#[cfg(not(feature = "otel"))]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TelemetryConfig;

/// The dispatch operations that open a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    ToolsCall,
    ResourcesRead,
    PromptsGet,
    CompletionComplete,
}

impl Operation {
    /// The span name of the project's contract.
    #[cfg_attr(not(feature = "otel"), allow(dead_code))]
    pub(crate) fn contract_name(self) -> &'static str {
        match self {
            Operation::ToolsCall => "mcp.tools.call",
            Operation::ResourcesRead => "mcp.resources.read",
            Operation::PromptsGet => "mcp.prompts.get",
            Operation::CompletionComplete => "mcp.completion.complete",
        }
    }

    /// The JSON-RPC method.
    pub(crate) fn method(self) -> &'static str {
        match self {
            Operation::ToolsCall => "tools/call",
            Operation::ResourcesRead => "resources/read",
            Operation::PromptsGet => "prompts/get",
            Operation::CompletionComplete => "completion/complete",
        }
    }
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
