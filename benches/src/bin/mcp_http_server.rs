//! The project's server over Streamable HTTP with one trivial tool, for `wrk`.
//! Usage: `mcp_http_server [port]` (default: `$PORT`, else 8000). With `$REDIS_URL` it is
//! one replica of a server sharing its state through that Redis; on SIGTERM it then prints
//! `ROUND_TRIPS n`, the round trips it made to Redis, on stderr.

use mcp_runtime::prelude::*;
use mcp_runtime::store::RedisStore;

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
    let redis = match std::env::var("REDIS_URL") {
        Ok(url) => Some(RedisStore::connect(&url).await?),
        Err(_) => None,
    };
    let mut builder = McpServer::builder("bench", "1.0")
        // The crate's lib declares an `add` too; serve only this binary's.
        .filter(|binding| binding.in_module(module_path!()));
    if let Some(redis) = &redis {
        builder = builder.store(redis.clone());
    }
    let mut terminated = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    builder
        .build()?
        .serve_http_until(&format!("127.0.0.1:{port}"), async move {
            terminated.recv().await;
        })
        .await?;
    if let Some(redis) = redis {
        eprintln!("ROUND_TRIPS {}", redis.round_trips());
    }
    Ok(())
}
