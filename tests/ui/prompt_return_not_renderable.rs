use mcp_runtime::prelude::*;

/// Ask for a review.
#[mcp_prompt]
fn review(code: String) -> u32 {
    code.len() as u32
}

fn main() {}
