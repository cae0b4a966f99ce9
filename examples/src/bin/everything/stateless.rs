//! Fixtures of the conformance suite's stateless-era (2026-07-28) scenarios.

use mcp_runtime::binding::BindingKind;
use mcp_runtime::prelude::*;

/// Needs the client's sampling capability: a request that did not declare it is refused
/// with -32021.
#[mcp_tool]
fn test_missing_capability(ctx: Context) -> Result<&'static str, ServiceError> {
    ctx.require_client_capability("sampling")?;
    Ok("Success")
}

/// Logs one message, which reaches the client only when the request set a log level.
#[mcp_tool]
async fn test_logging_tool(ctx: Context) -> &'static str {
    ctx.log(LogLevel::Info, "logging was evaluated").await;
    "Logging evaluated"
}

/// Streams progress, then answers; never sends a request on the response stream.
#[mcp_tool]
async fn test_streaming_elicitation(ctx: Context) -> &'static str {
    ctx.progress(1.0, Some(1.0)).await;
    "Streaming complete"
}

/// Tells listeners the tool list changed (without changing it).
#[mcp_tool]
async fn test_trigger_tool_change(ctx: Context) -> &'static str {
    ctx.notify_list_changed(BindingKind::Tool).await;
    "Mutation triggered"
}

/// Tells listeners the prompt list changed (without changing it).
#[mcp_tool]
async fn test_trigger_prompt_change(ctx: Context) -> &'static str {
    ctx.notify_list_changed(BindingKind::Prompt).await;
    "Mutation triggered"
}

/// Echoes a parameter that clients mirror in the `Mcp-Param-Region` header (SEP-2243).
#[mcp_tool]
fn test_custom_header(#[arg(header = "Region", description = "Region")] region: String) -> String {
    format!("Region: {region}")
}

/// What this server is. Needs no argument and no capability: the header-validation
/// scenario calls the first listed tool with neither, and this one sorts first.
#[mcp_tool(read_only)]
fn about() -> &'static str {
    "The everything server: every fixture of the MCP conformance suite, written with mcp-runtime."
}
