use mcp_runtime::prelude::*;

/// Add two numbers.
#[mcp_bindings]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
