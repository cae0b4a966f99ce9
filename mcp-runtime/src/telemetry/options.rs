//! Telemetry settings (the `otel` feature).

/// How dispatch spans are named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpanNames {
    /// The project's contract: `mcp.tools.call`, `mcp.resources.read`, `mcp.prompts.get`,
    /// `mcp.completion.complete`.
    #[default]
    Contract,
    /// The OpenTelemetry MCP semantic conventions: `{method} {target}`, e.g. `tools/call add`.
    Conventions,
}

/// What the spans record beyond the contract's attributes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TelemetryConfig {
    pub span_names: SpanNames,
    pub record_service_exceptions: bool,
    /// Tool arguments and results on spans: off unless asked for (they may be private).
    pub record_payloads: bool,
}
