use mcp_runtime::prelude::*;

/// Not a function.
#[mcp_tool]
struct Add {
    a: f64,
    b: f64,
}

fn main() {}
