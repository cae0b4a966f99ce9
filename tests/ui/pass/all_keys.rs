//! Every key of every attribute, and the parameter attributes, on the happy path.

use mcp_runtime::prelude::*;
use mcp_runtime::{binding::CompletionRequest, RequestEnv};

fn can_write(_: &RequestEnv) -> bool {
    true
}

fn is_admin(_: &RequestEnv) -> bool {
    true
}

fn languages(request: CompletionRequest) -> Vec<String> {
    ["rust", "python"]
        .iter()
        .filter(|l| l.starts_with(request.value()))
        .map(|l| l.to_string())
        .collect()
}

async fn ids(_: CompletionRequest) -> Vec<String> {
    vec!["1".into(), "2".into()]
}

#[derive(Deserialize, JsonSchema)]
struct NewInvoice {
    customer: String,
    cents: u64,
}

struct Db;

#[mcp_tool(
    name = "invoices.create",
    title = "Create invoice",
    description = "Create an invoice.",
    read_only = false,
    destructive,
    idempotent = true,
    open_world = false,
    permission = can_write,
    permission = is_admin,
    rate_limit = "10/min",
    rate_limit_group = "billing",
    icons = ["https://example.com/icon.png"],
    meta = { "team": "billing" },
    output_schema = false,
    timeout = "30s",
    blocking,
    tags = ["billing", "write"],
    crate = ::mcp_runtime
)]
fn create_invoice(#[args] input: NewInvoice, db: State<Db>, ctx: Context) -> Json<u64> {
    let _ = (db, ctx, input.customer);
    Json(input.cents)
}

/// Compute slowly, as a task when the client supports tasks.
#[mcp_tool(task)]
async fn slow_compute(seconds: u64, ctx: Context) -> u64 {
    ctx.start_task().await;
    seconds
}

/// Compute slowly, always as a task.
#[mcp_tool(task = "required")]
async fn slow_job(ctx: Context) -> u64 {
    ctx.start_task().await;
    0
}

/// Adds two numbers.
#[mcp_tool(read_only)]
async fn add(
    #[arg(description = "the first number")] a: f64,
    #[arg(name = "secondNumber")] b: Option<f64>,
    ctx: Context,
) -> Result<f64, ServiceError> {
    let _ = ctx;
    Ok(a + b.unwrap_or(0.0))
}

#[mcp_resource(
    uri = "invoices://{id}",
    name = "invoice",
    title = "Invoice",
    description = "One invoice.",
    mime_type = "application/json",
    permission = can_write,
    rate_limit = "100/sec",
    cache_ttl = "5m",
    complete = ids,
    timeout = "250ms",
    tags = ["billing"]
)]
async fn invoice(#[arg(complete = ids)] id: u64, db: State<Db>) -> Json<u64> {
    let _ = db;
    Json(id)
}

/// Ask for a code review.
#[mcp_prompt(
    name = "code_review",
    title = "Code review",
    description = "Ask for a code review.",
    permission = can_write,
    rate_limit = "5/hour",
    complete = languages,
    timeout = "1h",
    tags = ["review"]
)]
fn review(
    #[arg(description = "the code")] code: String,
    #[arg(name = "lang", description = "its language", complete = languages)] language: Option<String>,
    ctx: Context,
) -> Vec<PromptMessage> {
    let _ = ctx;
    let _ = language;
    vec![PromptMessage::user(code)]
}

fn main() {}
