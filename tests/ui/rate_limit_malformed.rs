use mcp_runtime::prelude::*;

/// Adds two numbers.
#[mcp_tool(rate_limit = "10 per minute")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
