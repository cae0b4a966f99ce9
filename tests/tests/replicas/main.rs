//! Several replicas of one server behind a round-robin proxy, sharing one Redis, behave as
//! one: every replica is a child process of its own, so only Redis can carry state between
//! them. Each test starts its own Redis and replicas.

mod faults;
mod limits;
mod sessions;
mod stateless;
mod streams;

use mcp_tests::http::{McpHttp, Response, SseEvent, send};
use mcp_tests::replicas::Cluster;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_replica_server"))
}

/// Three replicas, `a`, `b` and `c`, with `env` besides their defaults.
async fn cluster(env: &[(&str, &str)]) -> Cluster {
    Cluster::start(binary(), 3, env).await
}

/// A 2025-11-25 session initialized on `addr`, with `capabilities`.
async fn session_on(addr: SocketAddr, capabilities: Value) -> McpHttp {
    let mut client = McpHttp::new(addr);
    client.initialize(capabilities).await;
    client
}

/// The same session, spoken to through `addr` (another replica, or the proxy).
fn through(client: &McpHttp, addr: SocketAddr) -> McpHttp {
    let mut moved = client.clone();
    moved.addr = addr;
    moved
}

/// The text of a tool result.
fn text(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap_or_default()
}

fn tool_call(id: i64, name: &str, arguments: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
        "name": name, "arguments": arguments, "_meta": { "progressToken": "p" } } })
}

/// POSTs a tool call expected to answer with an SSE stream; returns the stream and its id
/// (read off the priming event).
async fn open_call(client: &McpHttp, id: i64, name: &str, arguments: Value) -> (Response, String) {
    let mut response = client.post(&tool_call(id, name, arguments)).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    let priming = response.next_event().await.expect("a priming event");
    let id = priming.id.expect("the priming event has an id");
    let stream = id.strip_suffix("-0").expect("<stream>-0").to_owned();
    (response, stream)
}

/// An SSE message event with id `id`, as JSON.
fn message(event: Option<SseEvent>, id: &str) -> Value {
    let event = event.expect("a message event");
    assert_eq!(event.id.as_deref(), Some(id), "{event:?}");
    event.json()
}

fn progress(step: f64, total: f64) -> Value {
    json!({ "jsonrpc": "2.0", "method": "notifications/progress",
        "params": { "progressToken": "p", "progress": step, "total": total } })
}

/// Waits up to 10 s for `check` to hold.
async fn eventually<F: std::future::Future<Output = bool>>(mut check: impl FnMut() -> F) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check().await {
        assert!(Instant::now() < deadline, "did not happen in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `_meta` of a 2026-07-28 request declaring `capabilities`.
fn stateless_meta(capabilities: Value) -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": capabilities,
    })
}

/// POSTs a 2026-07-28 request (no session) to `addr`.
async fn stateless(
    addr: SocketAddr,
    method: &str,
    mut params: Value,
    capabilities: Value,
) -> Response {
    params["_meta"] = stateless_meta(capabilities);
    // What `Mcp-Name` mirrors: a tool's or prompt's name, a resource's URI, a task's id.
    let name = ["name", "uri", "taskId"]
        .iter()
        .find_map(|key| params[*key].as_str())
        .map(str::to_owned);
    let mut headers = vec![
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", method),
    ];
    if let Some(name) = &name {
        headers.push(("mcp-name", name));
    }
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}
