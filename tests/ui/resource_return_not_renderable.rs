use mcp_runtime::prelude::*;

struct Config {
    verbose: bool,
}

/// The configuration.
#[mcp_resource(uri = "config://app")]
fn config() -> Config {
    Config { verbose: true }
}

fn main() {}
