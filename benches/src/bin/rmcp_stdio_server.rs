//! The official SDK (`rmcp`) over stdio with the same tool, for `stdio_driver`.
//! Usage: `rmcp_stdio_server [--blocking]`: by default `stdio_pipes()`, rmcp's fastest stdio
//! transport (non-blocking pipes on the IO reactor); `--blocking` uses `stdio()`, which
//! goes through Tokio's blocking thread pool as the project's `serve_stdio` does.

use mcp_benches::rmcp_add::RmcpAdd;
use rmcp::ServiceExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = RmcpAdd::default();
    let running = if std::env::args().any(|a| a == "--blocking") {
        server.serve(rmcp::transport::stdio()).await?
    } else {
        server.serve(rmcp::transport::stdio_pipes()).await?
    };
    running.waiting().await?;
    Ok(())
}
