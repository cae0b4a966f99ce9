//! A server whose bindings exercise every error path of the dispatch pipeline; the
//! end-to-end tests drive it over pipes. Not an example to copy: it misbehaves on purpose.

use mcp_runtime::prelude::*;
use mcp_runtime::{RequestEnv, binding::CompletionRequest, guard::PermissionDenied, guard::scopes};
use serde_json::json;
use std::time::Duration;

/// Echo the text back.
#[mcp_tool(read_only)]
fn echo(text: String) -> String {
    text
}

/// Panic, to show that a panicking tool does not take the server down.
#[mcp_tool]
fn explode() -> String {
    panic!("this tool always panics")
}

/// Sleep for `ms` milliseconds, then answer (for concurrency and cancellation).
#[mcp_tool]
async fn sleep(ms: u64, ctx: Context) -> String {
    tokio::select! {
        () = tokio::time::sleep(Duration::from_millis(ms)) => format!("slept {ms}ms"),
        () = ctx.cancelled() => "cancelled".into(),
    }
}

/// Sleep longer than its own timeout allows.
#[mcp_tool(timeout = "100ms")]
async fn overrun() -> String {
    tokio::time::sleep(Duration::from_secs(30)).await;
    "never".into()
}

/// Hash a string on the blocking pool.
#[mcp_tool(blocking)]
fn blocking_len(text: String) -> usize {
    std::thread::sleep(Duration::from_millis(10));
    text.len()
}

/// Allowed twice a minute per client.
#[mcp_tool(rate_limit = "2/min")]
fn limited() -> &'static str {
    "ok"
}

fn nobody(_: &RequestEnv) -> bool {
    false
}

/// Refused for everyone.
#[mcp_tool(permission = nobody)]
fn forbidden() -> &'static str {
    "unreachable"
}

/// Needs the `admin` scope.
#[mcp_tool(permission = scopes(["admin"]))]
fn admin_only() -> &'static str {
    "hello admin"
}

struct DenyWithScopes;

impl mcp_runtime::guard::Permission for DenyWithScopes {
    fn check(&self, _: &RequestEnv) -> Result<(), PermissionDenied> {
        Err(PermissionDenied::requiring(["reports:read"]))
    }
}

/// Refused by a custom permission naming the scope it needs.
#[mcp_tool(permission = DenyWithScopes)]
fn reports() -> &'static str {
    "unreachable"
}

/// Fail with a service error.
#[mcp_tool]
fn fails() -> Result<String, ServiceError> {
    Err(ServiceError::new("the backend is down").with_detail(json!({ "retry": true })))
}

/// Refuse the input with a validation error.
#[mcp_tool]
fn rejects(start: u32, end: u32) -> Result<String, ServiceValidationError> {
    if end < start {
        return Err(ServiceValidationError::new("end is before start")
            .with_detail(json!({ "field": "end" })));
    }
    Ok(format!("{}", end - start))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Query {
    /// How many results.
    #[schemars(range(min = 1, max = 50))]
    limit: u32,
    /// A three-letter currency code.
    #[schemars(regex(pattern = "^[A-Z]{3}$"))]
    currency: String,
    /// Sort order.
    order: Order,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Order {
    Asc,
    Desc,
}

/// A tool with a constrained argument object.
#[mcp_tool]
fn search(#[args] query: Query) -> String {
    let order = match query.order {
        Order::Asc => "ascending",
        Order::Desc => "descending",
    };
    format!("{} results in {}, {order}", query.limit, query.currency)
}

#[derive(Serialize, JsonSchema)]
struct Stats {
    mean: f64,
    count: usize,
}

/// Structured output.
#[mcp_tool(read_only)]
fn stats(values: Vec<f64>) -> Json<Stats> {
    let count = values.len();
    let mean = if count == 0 {
        0.0
    } else {
        values.iter().sum::<f64>() / count as f64
    };
    Json(Stats { mean, count })
}

/// Report progress and log at every level.
#[mcp_tool]
async fn chatty(ctx: Context) -> &'static str {
    ctx.progress_with_message(1.0, Some(2.0), "half way").await;
    for level in [
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Warning,
        LogLevel::Error,
    ] {
        ctx.log(level, json!({ "level": format!("{level:?}") }))
            .await;
    }
    ctx.progress(2.0, Some(2.0)).await;
    "done"
}

/// The client's roots, comma-separated (a request from the server to the client).
#[mcp_tool]
async fn client_roots(ctx: Context) -> Result<String, ServiceError> {
    let roots = ctx.roots().await?;
    Ok(roots
        .into_iter()
        .map(|r| r.uri)
        .collect::<Vec<_>>()
        .join(","))
}

/// A document that never exists.
#[mcp_resource(uri = "missing://{id}")]
fn missing(id: u64) -> Result<String, ServiceError> {
    Err(ServiceError::not_found(format!("document {id} is gone")))
}

/// A resource that panics.
#[mcp_resource(uri = "broken://always")]
fn broken() -> String {
    panic!("this resource always panics")
}

/// A file by path.
#[mcp_resource(uri = "file:///{+path}", mime_type = "text/plain")]
fn file(path: String) -> String {
    format!("contents of {path}")
}

/// Greet someone.
#[mcp_prompt]
fn greet(name: String, #[arg(complete = styles)] style: Option<String>, tone: String) -> String {
    format!(
        "Greet {name} in a {} and {tone} way",
        style.unwrap_or_else(|| "plain".into())
    )
}

fn styles(request: CompletionRequest) -> Vec<String> {
    (0..150)
        .map(|i| format!("{}{i}", request.value()))
        .collect()
}

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    McpServer::builder("fixture", "0.0.0")
        .filter(|binding| {
            binding
                .module_path()
                .is_some_and(|m| m.starts_with("fixture_server"))
        })
        .page_size(5)
        .build()?
        .serve_stdio()
        .await
}
