use mcp_runtime::prelude::*;

/// Adds two numbers.
#[mcp_tool(name = "has space")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
