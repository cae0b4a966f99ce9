use mcp_runtime::prelude::*;

/// Count to a number.
#[mcp_prompt]
fn count_to(count: u32) -> String {
    format!("Count to {count}.")
}

fn main() {}
