//! The everything server: every fixture the official MCP conformance suite's server
//! scenarios expect, written with the project's own macros. Serves Streamable HTTP on
//! `127.0.0.1:$PORT` (default 3000) at `/mcp`, or stdio with `--stdio`.
//!
//! ```sh
//! cargo run -p mcp-examples --bin everything            # http://127.0.0.1:3000/mcp
//! cargo run -p mcp-examples --bin everything -- --stdio
//! ```

mod media;
mod multi_round;
mod prompts;
mod resources;
mod stateless;
mod tasks;
mod tools;

use mcp_runtime::prelude::*;

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let server = McpServer::builder("mcp-conformance-test-server", "1.0.0")
        .filter(|binding| {
            binding
                .module_path()
                .is_some_and(|m| m.starts_with("everything"))
        })
        .catalogue("/catalogue")
        .build()?;
    if std::env::args().any(|arg| arg == "--stdio") {
        eprintln!("everything MCP server: serving over stdio.");
        return server.serve_stdio().await;
    }
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let address = format!("127.0.0.1:{port}");
    eprintln!("everything MCP server: serving Streamable HTTP at http://{address}/mcp");
    eprintln!("everything MCP server: its catalogue at http://{address}/catalogue");
    server.serve_http(&address).await
}
