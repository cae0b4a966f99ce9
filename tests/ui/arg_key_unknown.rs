use mcp_runtime::prelude::*;

/// Adds two numbers.
#[mcp_tool]
fn add(#[arg(desc = "the first number")] a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
