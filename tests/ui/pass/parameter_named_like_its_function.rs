//! A parameter may share its function's name: the generated call still reaches the function.

use mcp_runtime::prelude::*;

/// Count in steps.
#[mcp_tool]
async fn steps(steps: u32) -> u32 {
    steps
}

/// An item.
#[mcp_resource(uri = "item://{item}")]
fn item(item: u32) -> String {
    item.to_string()
}

/// Review some code.
#[mcp_prompt]
fn review(review: String) -> String {
    review
}

fn main() {}
