//! Every guard tripped on the wire: authentication (`401` and its challenge), the resource
//! metadata, sessions bound to their principal, scope denials (`-32006`, `403` on HTTP),
//! listings filtered per caller, rate limits on every kind of binding, and the bounds on
//! results, requests in flight, subscriptions and listeners.
//!
//! The bindings and the clients' helpers are here; who may call what is in `access`, how
//! much anyone may ask for in `bounds`, signing keys that rotate in `rotation`.

mod access;
mod bounds;
mod rotation;

use jsonwebtoken::{EncodingKey, Header, encode};
use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{
    McpServerBuilder, Principal, RequestEnv, auth::BearerTokens, auth::JwtAuthenticator,
    auth::ProtectedResource, binding::CompletionRequest, guard::Permission as _,
    guard::RateLimitAlgorithm, guard::scopes, model::codes,
};
use mcp_tests::http::{self, McpHttp, send};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;

const RESOURCE: &str = "http://127.0.0.1/mcp";
const METADATA_URL: &str = "http://127.0.0.1/.well-known/oauth-protected-resource/mcp";
const ISSUER: &str = "https://auth.example.com";
const SECRET: &[u8] = b"a-signing-secret-of-32-bytes-ok!";

/// Who is calling.
#[mcp_tool(read_only)]
fn whoami(ctx: Context) -> String {
    ctx.env()
        .principal()
        .map_or("nobody".into(), |p| p.subject().to_owned())
}

/// Pay an invoice.
#[mcp_tool(permission = scopes(["invoices:write"]))]
fn pay(id: u64) -> String {
    format!("paid {id}")
}

fn is_admin(env: &RequestEnv) -> bool {
    env.principal().is_some_and(|p| p.has_scope("admin"))
}

/// Read any invoice: its readers or an admin.
#[mcp_tool(permission = scopes(["invoices:read"]).or(is_admin))]
fn audit(id: u64) -> String {
    format!("invoice {id}")
}

/// Purge paid invoices: writers who are also admins.
#[mcp_tool(destructive, permission = scopes(["invoices:write"]).and(is_admin))]
fn purge() -> &'static str {
    "purged"
}

/// Twice per minute per caller.
#[mcp_tool(rate_limit = "2/min")]
fn scarce() -> &'static str {
    "ok"
}

/// Shares a budget with `grouped_b`.
#[mcp_tool(rate_limit = "2/min", rate_limit_group = "pair")]
fn grouped_a() -> &'static str {
    "a"
}

/// Shares a budget with `grouped_a`.
#[mcp_tool(rate_limit_group = "pair")]
fn grouped_b() -> &'static str {
    "b"
}

fn colours(_: CompletionRequest) -> Vec<String> {
    vec!["red".into(), "green".into()]
}

/// A colour, once per minute per caller; its completions have a budget of their own.
#[mcp_resource(uri = "colour://{name}", rate_limit = "1/min", complete = colours)]
fn colour(name: String) -> String {
    name
}

/// A greeting, once per minute per caller.
#[mcp_prompt(rate_limit = "1/min")]
fn hello(name: String) -> String {
    format!("Hello, {name}")
}

/// A result of `size` bytes.
#[mcp_tool]
fn big(size: usize) -> String {
    "x".repeat(size)
}

/// A resource of a megabyte.
#[mcp_resource(uri = "big://blob")]
fn big_blob() -> String {
    "y".repeat(1 << 20)
}

/// Waits a while.
#[mcp_tool]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(500)).await;
    "slow done"
}

/// Asks the client for its roots; says how that went.
#[mcp_tool]
async fn ask_roots(ctx: Context) -> String {
    match ctx.roots().await {
        Ok(roots) => format!("{} roots", roots.len()),
        Err(error) => error.to_string(),
    }
}

/// Reports progress five times, a little apart, then answers.
#[mcp_tool]
async fn five_steps(ctx: Context) -> &'static str {
    for step in 1..=5 {
        ctx.progress(f64::from(step), Some(5.0)).await;
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    "five steps"
}

fn builder() -> McpServerBuilder {
    McpServer::builder("security", "1.0")
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("security")))
}

fn tokens() -> BearerTokens {
    BearerTokens::new()
        .token(
            "alice-token",
            Principal::new("alice").with_scopes(["invoices:write", "invoices:read"]),
        )
        .token("bob-token", Principal::new("bob"))
        .token("root-token", Principal::new("root").with_scopes(["admin"]))
}

fn protected() -> ProtectedResource {
    ProtectedResource::new(RESOURCE)
        .authorization_server(ISSUER)
        .scopes(["invoices:read", "invoices:write"])
}

async fn serve(builder: McpServerBuilder) -> SocketAddr {
    let server = builder.build().expect("the test server builds");
    http::serve(server.router()).await
}

async fn authenticated() -> SocketAddr {
    serve(
        builder()
            .authenticate(tokens())
            .protected_resource(protected()),
    )
    .await
}

async fn post(addr: SocketAddr, authorization: Option<&str>, body: &Value) -> http::Response {
    let mut headers = vec![
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
    ];
    if let Some(authorization) = authorization {
        headers.push(("authorization", authorization));
    }
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}

fn initialize() -> Value {
    json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": http::VERSION, "capabilities": {},
        "clientInfo": { "name": "t", "version": "1" } } })
}
