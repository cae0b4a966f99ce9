use mcp_runtime::prelude::*;

fn languages(_: mcp_runtime::binding::CompletionRequest) -> Vec<String> {
    vec!["rust".into()]
}

/// Says hello in a language.
#[mcp_tool]
fn hello(#[arg(complete = languages)] language: String) -> String {
    language
}

fn main() {}
