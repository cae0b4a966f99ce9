use mcp_runtime::prelude::*;

/// Compute slowly.
#[mcp_tool(task)]
fn slow(seconds: u64) -> u64 {
    seconds
}

fn main() {}
