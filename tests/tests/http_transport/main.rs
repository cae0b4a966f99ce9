//! Streamable HTTP on the wire: every status the transport answers, JSON versus SSE
//! answers, resumption with `Last-Event-ID`, and requests from the server to the client.
//! The server runs in process on a loopback port; the client is a plain HTTP/1.1 client.

use mcp_runtime::prelude::*;
use mcp_runtime::{McpServerBuilder, context::SamplingRequest};
use mcp_tests::http::{self, McpHttp, Response, SseEvent, send};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::Notify;

// ---------------------------------------------------------------------------------------
// Bindings and server
// ---------------------------------------------------------------------------------------

/// Lets a test know when a waiting tool started, and decide when it goes on.
#[derive(Clone, Default)]
struct Gate {
    started: Arc<Notify>,
    release: Arc<Notify>,
}

/// Echo the text back.
#[mcp_tool]
fn echo(text: String) -> String {
    text
}

/// Report progress `n` times, then answer.
#[mcp_tool]
async fn count(n: u32, ctx: Context) -> String {
    for i in 1..=n {
        ctx.progress(f64::from(i), Some(f64::from(n))).await;
    }
    format!("counted to {n}")
}

/// Report progress twice, then wait for the gate.
#[mcp_tool]
async fn two_then_wait(ctx: Context, gate: State<Gate>) -> String {
    ctx.progress(1.0, None).await;
    ctx.progress(2.0, None).await;
    gate.release.notified().await;
    "released".into()
}

/// End the SSE response at once, then answer when the gate opens.
#[mcp_tool]
async fn poll_later(ctx: Context, gate: State<Gate>) -> String {
    ctx.close_sse_stream().await;
    gate.release.notified().await;
    "after the cut".into()
}

/// Say it started (to the test, not the client), then wait for cancellation.
#[mcp_tool]
async fn silent_wait(ctx: Context, gate: State<Gate>) -> String {
    gate.started.notify_one();
    ctx.cancelled().await;
    "cancelled".into()
}

/// Report progress once, then wait for the gate or for cancellation.
#[mcp_tool]
async fn wait_or_cancel(ctx: Context, gate: State<Gate>) -> String {
    ctx.progress(1.0, None).await;
    tokio::select! {
        () = gate.release.notified() => "released".into(),
        () = ctx.cancelled() => "cancelled".into(),
    }
}

/// Ask the client's model.
#[mcp_tool]
async fn ask_model(prompt: String, ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx.sample(SamplingRequest::new(100).user(prompt)).await?;
    let text = answer.content.as_text().unwrap_or("(no text)");
    Ok(format!("{} said: {text}", answer.model))
}

/// Ask the user for a name.
#[mcp_tool]
async fn ask_name(ctx: Context) -> Result<String, ServiceError> {
    let schema = json!({ "type": "object", "properties": { "name": { "type": "string" } } });
    let answer = ctx.elicit("Your name?", schema).await?;
    let content = Value::Object(answer.content.unwrap_or_default());
    Ok(format!("{:?} {content}", answer.action))
}

/// List the client's roots.
#[mcp_tool]
async fn list_roots(ctx: Context) -> Result<String, ServiceError> {
    let roots = ctx.roots().await?;
    let names: Vec<String> = roots
        .iter()
        .map(|r| format!("{} ({})", r.uri, r.name.as_deref().unwrap_or("-")))
        .collect();
    Ok(names.join(", "))
}

struct TestServer {
    addr: SocketAddr,
    gate: Gate,
}

async fn start_with(configure: impl FnOnce(McpServerBuilder) -> McpServerBuilder) -> TestServer {
    let gate = Gate::default();
    let builder = McpServer::builder("http-transport", "1")
        .state(gate.clone())
        .filter(|b| {
            b.module_path()
                .is_some_and(|m| m.starts_with("http_transport"))
        });
    let server = configure(builder).build().expect("the test server builds");
    let addr = http::serve(server.router()).await;
    TestServer { addr, gate }
}

async fn start() -> TestServer {
    start_with(|b| b).await
}

async fn session(server: &TestServer, capabilities: Value) -> McpHttp {
    let mut client = McpHttp::new(server.addr);
    client.initialize(capabilities).await;
    client
}

// ---------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------

/// A refusal: `status`, a JSON body that is a JSON-RPC error with a null id.
async fn assert_rejected(response: Response, status: u16, code: i64, message: &str) {
    assert_eq!(response.status, status, "{message}");
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json().await;
    assert_eq!(
        body,
        json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } })
    );
}

fn text_result(text: &str) -> Value {
    json!({ "content": [{ "type": "text", "text": text }] })
}

fn response_to(id: i64, text: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "result": text_result(text) })
}

fn progress(progress: f64, total: Option<f64>) -> Value {
    let mut params = json!({ "progressToken": "p", "progress": progress });
    if let Some(total) = total {
        params["total"] = json!(total);
    }
    json!({ "jsonrpc": "2.0", "method": "notifications/progress", "params": params })
}

/// The priming event a 2025-11-25 SSE response starts with; returns its stream id.
fn assert_priming(event: Option<SseEvent>, retry_ms: u64) -> String {
    let event = event.expect("a priming event");
    let id = event.id.clone().expect("the priming event has an id");
    let (stream, sequence) = id.split_once('-').expect("<stream>-<sequence>");
    assert!(
        stream.parse::<u32>().is_ok() && sequence == "0",
        "{event:?}"
    );
    assert_eq!(
        event,
        SseEvent {
            id: Some(id.clone()),
            event: None,
            data: String::new(),
            retry: Some(retry_ms)
        }
    );
    stream.to_owned()
}

/// A `message` event with the id `id`; returns its data.
fn message(event: Option<SseEvent>, id: &str) -> Value {
    let event = event.expect("a message event");
    assert_eq!(event.id.as_deref(), Some(id), "{event:?}");
    assert_eq!(event.event.as_deref(), Some("message"), "{event:?}");
    assert_eq!(event.retry, None, "{event:?}");
    event.json()
}

fn tool_call(id: i64, name: &str, arguments: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
        "name": name, "arguments": arguments, "_meta": { "progressToken": "p" } } })
}

/// POSTs a tool call expected to answer with an SSE stream.
async fn open_call(client: &McpHttp, id: i64, name: &str, arguments: Value) -> Response {
    let response = client.post(&tool_call(id, name, arguments)).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    response
}

mod answers;
mod request_parts;
mod resumption;
mod server_requests;
mod status_codes;
