use mcp_runtime::prelude::*;

struct Calculator;

#[mcp_bindings(krate = mcp_runtime)]
impl Calculator {
    /// Add two numbers.
    #[mcp_tool]
    fn add(&self, a: f64, b: f64) -> f64 {
        a + b
    }
}

fn main() {}
