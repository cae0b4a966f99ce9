//! One replica of a server whose state is shared through Redis: the multi-replica tests
//! start several of these as child processes (so no state can pass between them except
//! through Redis) behind a round-robin proxy.
//!
//! Settings from the environment: `PORT`, `REDIS_URL`, `REPLICA` (its name, which `whoami`
//! answers), and optionally `RATE_LIMIT_ALGORITHM` (`fixed`, `sliding`, `bucket`),
//! `TASK_LEASE_MS`, `OPERATION_TIMEOUT_MS`.

use mcp_runtime::prelude::*;
use mcp_runtime::store::RedisStore;
use mcp_runtime::{binding::BindingKind, guard::RateLimitAlgorithm};
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The server itself, for the tools that act on it.
#[derive(Clone, Default)]
struct Handle(Arc<OnceLock<McpServer>>);

impl Handle {
    fn server(&self) -> &McpServer {
        self.0.get().expect("set before serving")
    }
}

/// The name of the replica that answers.
#[mcp_tool]
fn whoami() -> String {
    std::env::var("REPLICA").unwrap_or_default()
}

/// Reports progress `steps` times, `ms` apart, then answers with the replica's name.
#[mcp_tool]
async fn steps(steps: u32, ms: u64, ctx: Context) -> String {
    for step in 1..=steps {
        ctx.progress(f64::from(step), Some(f64::from(steps))).await;
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    format!("{steps} steps on {}", whoami())
}

/// Reports progress once, then waits until cancelled (answering only if never cancelled).
#[mcp_tool]
async fn wait_for_cancel(ctx: Context) -> String {
    ctx.progress(1.0, None).await;
    tokio::select! {
        () = ctx.cancelled() => "cancelled".into(),
        () = tokio::time::sleep(Duration::from_secs(60)) => "never cancelled".into(),
    }
}

/// Asks the user's name, and greets them from this replica.
#[mcp_tool]
async fn ask_name(ctx: Context) -> Result<String, ServiceError> {
    let schema = json!({ "type": "object", "properties": { "name": { "type": "string" } } });
    let answer = ctx.elicit("Your name?", schema).await?;
    let name = answer
        .content
        .and_then(|c| c.get("name").cloned())
        .unwrap_or(Value::Null);
    Ok(format!("hello {name} from {}", whoami()))
}

/// Allowed three times a minute per caller, across every replica.
#[mcp_tool(rate_limit = "3/min")]
fn limited() -> String {
    format!("ok from {}", whoami())
}

/// Tells every subscriber that `uri` changed (from this replica).
#[mcp_tool]
async fn touch_item(uri: String, handle: State<Handle>) -> Result<String, ServiceError> {
    handle
        .server()
        .notify_resource_updated(&uri)
        .await
        .map_err(|e| ServiceError::new(e.to_string()))?;
    Ok(format!("touched {uri} from {}", whoami()))
}

/// Enables or disables the `feature` tool (from this replica).
#[mcp_tool]
async fn toggle_feature(enabled: bool, handle: State<Handle>) -> Result<String, ServiceError> {
    handle
        .server()
        .set_enabled(BindingKind::Tool, "feature", enabled)
        .await
        .map_err(|e| ServiceError::new(e.to_string()))?;
    Ok(format!("feature {enabled} from {}", whoami()))
}

/// A tool that comes and goes.
#[mcp_tool]
fn feature() -> &'static str {
    "here"
}

/// An item clients subscribe to.
#[mcp_resource(uri = "item://{n}", mime_type = "text/plain")]
fn item(n: u32) -> String {
    format!("item {n}")
}

/// Becomes a task, asks for a word through it, and answers with it and where it ran.
#[mcp_tool(task = "required")]
async fn task_with_input(ctx: Context) -> Result<String, ServiceError> {
    ctx.start_task().await;
    let schema = json!({ "type": "object", "properties": { "word": { "type": "string" } } });
    let answer = ctx.input_key("word").elicit("A word?", schema).await?;
    let word = answer.content.and_then(|c| c.get("word").cloned());
    Ok(format!("{} on {}", word.unwrap_or(Value::Null), whoami()))
}

/// Becomes a task that runs for `ms` (or until cancelled).
#[mcp_tool(task = "required")]
async fn long_task(ms: u64, ctx: Context) -> String {
    ctx.start_task().await;
    tokio::select! {
        () = tokio::time::sleep(Duration::from_millis(ms)) => format!("done on {}", whoami()),
        () = ctx.cancelled() => "cancelled".into(),
    }
}

fn env_ms(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
}

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let url = std::env::var("REDIS_URL").expect("REDIS_URL");
    let mut store = RedisStore::builder(url).replica_name(whoami());
    if let Some(lease) = env_ms("TASK_LEASE_MS") {
        store = store.task_lease(lease);
    }
    if let Some(timeout) = env_ms("OPERATION_TIMEOUT_MS") {
        store = store.operation_timeout(timeout);
    }
    let algorithm = match std::env::var("RATE_LIMIT_ALGORITHM").as_deref() {
        Ok("sliding") => RateLimitAlgorithm::SlidingWindow,
        Ok("bucket") => RateLimitAlgorithm::TokenBucket,
        _ => RateLimitAlgorithm::FixedWindow,
    };
    let handle = Handle::default();
    let server = McpServer::builder("replicated", "1")
        .filter(|b| b.in_module(module_path!()))
        .store(store.connect().await?)
        .state(handle.clone())
        .rate_limit_algorithm(algorithm)
        .build()?;
    let _ = handle.0.set(server.clone());
    let port = std::env::var("PORT").expect("PORT");
    server.serve_http(&format!("127.0.0.1:{port}")).await
}
