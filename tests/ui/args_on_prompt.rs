use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
struct Review {
    code: String,
}

/// Ask for a review.
#[mcp_prompt]
fn review(#[args] input: Review) -> String {
    input.code
}

fn main() {}
