use mcp_runtime::prelude::*;

#[mcp_tool(rate_limit = "10 per minute", name = "has space", readonly)]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
