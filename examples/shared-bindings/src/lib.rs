//! Bindings that live in a library crate. A binary that depends on this crate and builds
//! an `McpServer` serves them with no registration code: `inventory` finds them at link time.

use mcp_runtime::prelude::*;

/// Report the server's build: the crate version and the target it was compiled for.
#[mcp_tool(name = "server.build_info", read_only, idempotent, tags = ["diagnostics"])]
pub fn build_info() -> String {
    format!(
        "mcp-example-shared-bindings {} ({})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH
    )
}
