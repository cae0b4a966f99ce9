//! The project's server over Streamable HTTP with one trivial tool, for `wrk`.
//! Usage: `mcp_http_server [port]` (default: `$PORT`, else 8000).

use mcp_runtime::prelude::*;

/// Add two numbers.
#[mcp_tool(read_only)]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let port = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("PORT").ok())
        .unwrap_or_else(|| "8000".into());
    McpServer::builder("bench", "1.0")
        // The crate's lib declares an `add` too; serve only this binary's.
        .filter(|binding| binding.in_module(module_path!()))
        .build()?
        .serve_http(&format!("127.0.0.1:{port}"))
        .await
}
