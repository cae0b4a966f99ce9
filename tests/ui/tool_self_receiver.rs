use mcp_runtime::prelude::*;

struct Calculator;

impl Calculator {
    /// Adds two numbers.
    #[mcp_tool]
    fn add(&self, a: f64, b: f64) -> f64 {
        a + b
    }
}

fn main() {}
