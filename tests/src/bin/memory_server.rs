//! An HTTP server on the default in-memory store, run as a child process by the memory
//! test so its resident memory can be read: `PORT`, and `SESSION_IDLE_MS` for how soon
//! sessions expire.

use mcp_runtime::prelude::*;
use std::time::Duration;

/// Reports progress once, then answers with `kb` KiB of text: a streamed answer, so its
/// events are held in the session's log for resumption.
#[mcp_tool]
async fn blob(kb: usize, ctx: Context) -> String {
    ctx.progress(1.0, Some(2.0)).await;
    "x".repeat(kb * 1024)
}

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let port = std::env::var("PORT").expect("PORT");
    let idle = std::env::var("SESSION_IDLE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1800), Duration::from_millis);
    McpServer::builder("memory", "0.0.0")
        .session_idle_timeout(idle)
        // The test opens a thousand sessions from one address within seconds.
        .initialize_rate_limit(None)
        .build()?
        .serve_http(&format!("127.0.0.1:{port}"))
        .await
}
