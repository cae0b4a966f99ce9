//! The stateless era (2026-07-28) on the wire, beside the 2025 era on the same server:
//! `server/discover`, what every result carries, the order and HTTP statuses of the checks
//! made before dispatch, routing and parameter headers, per-request log levels,
//! `subscriptions/listen`, and the same requests over stdio pipes.
//! Multi-round requests (`input_required`) are in `multi_round.rs`.

use mcp_runtime::prelude::*;
use mcp_runtime::{McpServerBuilder, binding::BindingKind};
use mcp_tests::http::{self, McpHttp, Response, SseEvent, send};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const MODERN: &str = "2026-07-28";
const SESSION_ERA: &str = "2025-11-25";
const VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";
const CAPABILITIES_KEY: &str = "io.modelcontextprotocol/clientCapabilities";
const LOG_LEVEL_KEY: &str = "io.modelcontextprotocol/logLevel";
const SERVER_INFO_KEY: &str = "io.modelcontextprotocol/serverInfo";
const SUBSCRIPTION_KEY: &str = "io.modelcontextprotocol/subscriptionId";

// ---------------------------------------------------------------------------------------
// Bindings and server
// ---------------------------------------------------------------------------------------

/// Echo the text back.
#[mcp_tool]
fn echo(text: String) -> String {
    text
}

/// Book an amount in a region; the region is mirrored in the `Mcp-Param-Region` header.
#[mcp_tool]
fn regional(
    #[arg(header = "Region", description = "Where to book")] region: String,
    amount: u32,
) -> String {
    format!("{amount} in {region}")
}

/// Log at info, report progress, then answer (always an SSE answer with a progress token).
#[mcp_tool]
async fn chatty(ctx: Context) -> &'static str {
    ctx.log(LogLevel::Info, "working").await;
    ctx.progress(1.0, Some(1.0)).await;
    "done"
}

/// Log at info and answer.
#[mcp_tool]
async fn quiet_logger(ctx: Context) -> &'static str {
    ctx.log(LogLevel::Info, "noted").await;
    "logged"
}

/// Tell listeners the tool list changed.
#[mcp_tool]
async fn touch_tools(ctx: Context) -> &'static str {
    ctx.notify_list_changed(BindingKind::Tool).await;
    "tools touched"
}

/// Tell listeners the prompt list changed.
#[mcp_tool]
async fn touch_prompts(ctx: Context) -> &'static str {
    ctx.notify_list_changed(BindingKind::Prompt).await;
    "prompts touched"
}

/// A note by key; `missing` does not exist.
#[mcp_resource(uri = "memo://{key}", mime_type = "text/plain", cache_ttl = "5m")]
fn memo(key: String) -> Result<String, ServiceError> {
    if key == "missing" {
        return Err(ServiceError::not_found(format!("no memo {key}")));
    }
    Ok(format!("memo {key}"))
}

/// Say hello.
#[mcp_prompt]
fn hello_prompt(name: String) -> String {
    format!("Say hello to {name}")
}

fn builder() -> McpServerBuilder {
    McpServer::builder("stateless-era", "1.2.3")
        .cache_hint(Duration::from_secs(60), true)
        .filter(|b| {
            b.module_path()
                .is_some_and(|m| m.starts_with("stateless_era"))
        })
}

fn build() -> McpServer {
    builder().build().expect("the test server builds")
}

/// Serves a fresh server over HTTP; the server handle stays with the test.
async fn start() -> (McpServer, SocketAddr) {
    let server = build();
    let addr = http::serve(server.router()).await;
    (server, addr)
}

// ---------------------------------------------------------------------------------------
// A stateless HTTP client
// ---------------------------------------------------------------------------------------

type Headers = Vec<(String, String)>;

/// The `_meta` every stateless request carries.
fn meta(capabilities: Value) -> Value {
    json!({ VERSION_KEY: MODERN, CAPABILITIES_KEY: capabilities })
}

/// `params` with the stateless `_meta` merged into whatever `_meta` it has.
fn with_meta(mut params: Value, capabilities: Value) -> Value {
    let Value::Object(fields) = meta(capabilities) else {
        unreachable!()
    };
    let target = params
        .as_object_mut()
        .expect("params are an object")
        .entry("_meta")
        .or_insert_with(|| json!({}));
    for (k, v) in fields {
        target[k] = v;
    }
    params
}

fn request(id: Value, method: &str, params: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
}

/// The headers a conforming client sends with `body`: version, `Mcp-Method`, and
/// `Mcp-Name` for the named methods.
fn headers_for(body: &Value) -> Headers {
    let method = body["method"].as_str().expect("a method");
    let mut headers: Headers = vec![
        ("content-type".into(), "application/json".into()),
        (
            "accept".into(),
            "application/json, text/event-stream".into(),
        ),
        ("mcp-protocol-version".into(), MODERN.into()),
        ("mcp-method".into(), method.into()),
    ];
    let params = &body["params"];
    let name = match method {
        "tools/call" | "prompts/get" => params["name"].as_str(),
        "resources/read" => params["uri"].as_str(),
        _ => None,
    };
    if let Some(name) = name {
        headers.push(("mcp-name".into(), name.into()));
    }
    headers
}

/// Replaces (or with `None` removes) a header.
fn set(headers: &mut Headers, name: &str, value: Option<&str>) {
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    if let Some(value) = value {
        headers.push((name.to_owned(), value.to_owned()));
    }
}

async fn post(addr: SocketAddr, headers: &Headers, body: &Value) -> Response {
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}

/// POSTs a stateless request with conforming headers, after `edit` changed them.
async fn post_edited(addr: SocketAddr, body: &Value, edit: impl FnOnce(&mut Headers)) -> Response {
    let mut headers = headers_for(body);
    edit(&mut headers);
    post(addr, &headers, body).await
}

/// A stateless request with `_meta` declaring `capabilities`, conforming headers.
async fn call(addr: SocketAddr, method: &str, params: Value) -> Response {
    let body = request(json!(1), method, with_meta(params, json!({})));
    post_edited(addr, &body, |_| {}).await
}

/// A JSON answer with `status`; returns the whole JSON-RPC message.
async fn json_answer(response: Response, status: u16) -> Value {
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(
        response.header("mcp-session-id"),
        None,
        "a stateless answer never names a session"
    );
    let actual = response.status;
    let body = response.json().await;
    assert_eq!(actual, status, "{body}");
    body
}

/// A `200` JSON success; returns its `result`.
async fn ok_result(response: Response) -> Value {
    let mut body = json_answer(response, 200).await;
    assert!(body.get("error").is_none(), "{body}");
    body["result"].take()
}

/// An error answer: `status`, `code`; returns the `error` object.
async fn error_answer(response: Response, status: u16, code: i64) -> Value {
    let mut body = json_answer(response, status).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body.get("result").is_none(), "{body}");
    body["error"].take()
}

fn server_info() -> Value {
    json!({ "name": "stateless-era", "version": "1.2.3" })
}

fn text_content(text: &str) -> Value {
    json!([{ "type": "text", "text": text }])
}

/// A `message` event's data.
fn data(event: Option<SseEvent>) -> Value {
    let event = event.expect("an event");
    assert_eq!(event.event.as_deref(), Some("message"), "{event:?}");
    event.json()
}

mod both_eras;
mod checks_before_dispatch;
mod listen;
mod log_level;
mod parameter_headers;
mod stdio;
