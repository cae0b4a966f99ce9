//! The project's server over stdio (`serve_stdio()`) with one trivial tool, for
//! `stdio_driver`.

use mcp_runtime::prelude::*;

/// Add two numbers.
#[mcp_tool(read_only)]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let server = McpServer::builder("bench", "1.0")
        // The crate's lib declares an `add` too; serve only this binary's.
        .filter(|binding| binding.in_module(module_path!()))
        .build()?;
    server.serve_stdio().await
}
