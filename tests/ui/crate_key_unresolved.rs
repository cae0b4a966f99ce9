use mcp_runtime::prelude::*;

/// Add two numbers.
#[mcp_tool(crate = "not_a_dependency")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
