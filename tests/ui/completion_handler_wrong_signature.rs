use mcp_runtime::prelude::*;

fn bad(x: u32) -> u32 {
    x
}

/// Review code in a language.
#[mcp_prompt]
fn review(code: String, #[arg(complete = bad)] language: String) -> String {
    format!("Review this {language}: {code}")
}

fn main() {}
