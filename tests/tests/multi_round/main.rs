//! Multi-round requests (MRTR) of the stateless era over HTTP: a binding that asks the
//! client for input answers `input_required` with keyed requests and a signed
//! `requestState`; the retry carries the answers. The same binding, unchanged, asks the
//! client directly in the 2025 era. Also: a missing client capability (`-32021`).

use mcp_runtime::prelude::*;
use mcp_runtime::{context::ElicitResult, context::SamplingRequest};
use mcp_tests::http::{self, McpHttp, Response, SseEvent, send};
use serde_json::{Value, json};
use std::net::SocketAddr;

const MODERN: &str = "2026-07-28";
const VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";
const CAPABILITIES_KEY: &str = "io.modelcontextprotocol/clientCapabilities";
const SERVER_INFO_KEY: &str = "io.modelcontextprotocol/serverInfo";

// ---------------------------------------------------------------------------------------
// Bindings and server
// ---------------------------------------------------------------------------------------

fn form(field: &str) -> Value {
    json!({ "type": "object", "properties": { field: { "type": "string" } }, "required": [field] })
}

/// The accepted value of `field`, or what the user did instead.
fn field(answer: &ElicitResult, field: &str) -> String {
    match answer.content.as_ref().and_then(|c| c.get(field)) {
        Some(Value::String(text)) => text.clone(),
        _ => format!("({:?})", answer.action),
    }
}

/// Ask two questions about `topic`, one after the other.
#[mcp_tool]
async fn two_questions(topic: String, ctx: Context) -> Result<String, ServiceError> {
    let first = ctx
        .input_key("first")
        .elicit(&format!("What is your name ({topic})?"), form("name"))
        .await?;
    let second = ctx
        .input_key("second")
        .elicit("What is your favourite colour?", form("colour"))
        .await?;
    Ok(format!(
        "{topic}: {} likes {}",
        field(&first, "name"),
        field(&second, "colour")
    ))
}

/// Ask for a name, a model's greeting and the roots, all at once (default keys).
#[mcp_tool]
async fn three_at_once(ctx: Context) -> Result<String, ServiceError> {
    let (name, greeting, roots) = tokio::join!(
        ctx.elicit("Your name?", form("name")),
        ctx.sample(SamplingRequest::new(50).user("A greeting, please")),
        ctx.roots(),
    );
    let (name, greeting, roots) = (name?, greeting?, roots?);
    let uris: Vec<&str> = roots.iter().map(|r| r.uri.as_str()).collect();
    Ok(format!(
        "{} {} ({})",
        greeting.content.as_text().unwrap_or("(no text)"),
        field(&name, "name"),
        uris.join(", ")
    ))
}

/// Ask one question (default key).
#[mcp_tool]
async fn one_question(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx.elicit("Your name?", form("name")).await?;
    Ok(format!("Hello, {}!", field(&answer, "name")))
}

/// Ask the client's model.
#[mcp_tool]
async fn ask_model(prompt: String, ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx.sample(SamplingRequest::new(100).user(prompt)).await?;
    Ok(format!(
        "{} said: {}",
        answer.model,
        answer.content.as_text().unwrap_or("(no text)")
    ))
}

/// Ask the client's model, falling back when it cannot be asked.
#[mcp_tool]
async fn model_or_default(ctx: Context) -> String {
    match ctx.sample(SamplingRequest::new(10).user("hi")).await {
        Ok(answer) => answer.model,
        Err(_) => "no model".into(),
    }
}

/// A prompt that asks the user for context first.
#[mcp_prompt]
async fn with_context(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx
        .input_key("context")
        .elicit("Which context?", form("context"))
        .await?;
    Ok(format!("Use {}", field(&answer, "context")))
}

/// A tool without `Context`: it cannot ask for input.
#[mcp_tool]
fn shout(text: String) -> String {
    text.to_uppercase()
}

async fn start() -> SocketAddr {
    let server = McpServer::builder("multi-round", "1")
        .filter(|b| {
            b.module_path()
                .is_some_and(|m| m.starts_with("multi_round"))
        })
        .build()
        .expect("the test server builds");
    http::serve(server.router()).await
}

// ---------------------------------------------------------------------------------------
// A stateless HTTP client
// ---------------------------------------------------------------------------------------

fn meta(capabilities: Value) -> Value {
    json!({ VERSION_KEY: MODERN, CAPABILITIES_KEY: capabilities })
}

/// A stateless `tools/call` of `name` with `extra` top-level params (inputResponses,
/// requestState), declaring `capabilities`, with conforming headers.
async fn call_tool(
    addr: SocketAddr,
    name: &str,
    arguments: Value,
    capabilities: Value,
    extra: Value,
) -> Response {
    let mut params = json!({ "name": name, "arguments": arguments, "_meta": meta(capabilities) });
    for (k, v) in extra.as_object().expect("extra params are an object") {
        params[k] = v.clone();
    }
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params });
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "tools/call"),
        ("mcp-name", name),
    ];
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}

/// A stateless `prompts/get` of `name` with `extra` top-level params.
async fn get_prompt(addr: SocketAddr, name: &str, capabilities: Value, extra: Value) -> Response {
    let mut params = json!({ "name": name, "arguments": {}, "_meta": meta(capabilities) });
    for (k, v) in extra.as_object().expect("extra params are an object") {
        params[k] = v.clone();
    }
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": "prompts/get", "params": params });
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "prompts/get"),
        ("mcp-name", name),
    ];
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}

/// The JSON-RPC message of a JSON answer with `status`.
async fn json_answer(response: Response, status: u16) -> Value {
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("mcp-session-id"), None);
    let actual = response.status;
    let body = response.json().await;
    assert_eq!(actual, status, "{body}");
    body
}

async fn result_of(response: Response) -> Value {
    let mut body = json_answer(response, 200).await;
    assert!(body.get("error").is_none(), "{body}");
    body["result"].take()
}

async fn error_of(response: Response, status: u16, code: i64) -> Value {
    let mut body = json_answer(response, status).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    body["error"].take()
}

/// A refused `requestState`: `-32602` naming it.
async fn state_refused(response: Response) {
    let error = error_of(response, 200, -32602).await;
    assert!(
        error["message"].as_str().unwrap().contains("requestState"),
        "{error}"
    );
}

/// An `input_required` result: checks its shape; returns (inputRequests, requestState).
fn input_required(result: &Value) -> (Value, String) {
    assert_eq!(result["resultType"], "input_required", "{result}");
    assert_eq!(
        result["_meta"][SERVER_INFO_KEY],
        json!({ "name": "multi-round", "version": "1" })
    );
    assert!(
        result.get("ttlMs").is_none() && result.get("content").is_none(),
        "{result}"
    );
    let state = result["requestState"]
        .as_str()
        .expect("a requestState")
        .to_owned();
    assert!(!state.is_empty());
    (result["inputRequests"].clone(), state)
}

fn elicitation(message: &str, field: &str) -> Value {
    json!({ "method": "elicitation/create",
        "params": { "mode": "form", "message": message, "requestedSchema": form(field) } })
}

fn accept(field: &str, value: &str) -> Value {
    json!({ "action": "accept", "content": { field: value } })
}

fn text_of(result: &Value) -> &str {
    result["content"][0]["text"]
        .as_str()
        .expect("a text result")
}

const ELICITATION: &str = r#"{ "elicitation": {} }"#;

fn elicitation_capability() -> Value {
    serde_json::from_str(ELICITATION).unwrap()
}

mod missing_capability;
mod rounds;
