use mcp_runtime::prelude::*;

/// Compute slowly.
#[mcp_tool(task = "sometimes")]
async fn slow(seconds: u64, ctx: Context) -> u64 {
    ctx.start_task().await;
    seconds
}

fn main() {}
