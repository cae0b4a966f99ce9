//! The project's server over stdio with one trivial tool, for `stdio_driver`.
//! Usage: `mcp_stdio_server [--buffered]`: by default `serve_stdio()`; `--buffered` serves
//! the same stdin and stdout through `serve_io` with a `BufWriter` on stdout, to measure
//! what writing every response line by itself to Tokio's stdout costs.

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
    if std::env::args().any(|a| a == "--buffered") {
        // Tokio's stdout hands every write to the blocking pool and waits for it; buffered,
        // the responses the writer task batches leave in one write per flush.
        let output = tokio::io::BufWriter::with_capacity(64 * 1024, tokio::io::stdout());
        return server.serve_io(tokio::io::stdin(), output).await;
    }
    server.serve_stdio().await
}
