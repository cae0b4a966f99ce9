//! One replica of a server that shares its state through Redis: run several, on any ports,
//! behind any load balancer, and they serve as one (no sticky sessions). Sessions, the SSE
//! logs streams resume from, tasks, rate limits and notices are shared; see
//! `docs/deployment.md`.
//!
//! ```sh
//! redis-server --port 6390 &
//! REDIS_URL=redis://127.0.0.1:6390 PORT=8001 cargo run -p mcp-examples --bin replicated &
//! REDIS_URL=redis://127.0.0.1:6390 PORT=8002 cargo run -p mcp-examples --bin replicated &
//! # initialize on :8001, then call `visits` with the same Mcp-Session-Id on :8002
//! ```

use mcp_runtime::prelude::*;
use mcp_runtime::store::RedisStore;

/// Which replica answered (ten calls a minute per caller, counted across every replica).
#[mcp_tool(read_only, rate_limit = "10/min")]
fn visits(ctx: Context) -> String {
    let replica = std::env::var("PORT").unwrap_or_default();
    let session = ctx.env().session_id().unwrap_or("none");
    format!("answered by the replica on port {replica} for session {session}")
}

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let port = std::env::var("PORT").unwrap_or_else(|_| "8001".into());
    let store = RedisStore::builder(url)
        .namespace("replicated-example")
        .connect()
        .await?;
    eprintln!(
        "replica {} serving http://127.0.0.1:{port}/mcp, sharing its state through Redis",
        store.replica()
    );
    McpServer::builder("replicated", env!("CARGO_PKG_VERSION"))
        .filter(|binding| binding.in_module(module_path!()))
        .store(store)
        .build()?
        .serve_http(&format!("127.0.0.1:{port}"))
        .await
}
