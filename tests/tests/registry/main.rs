//! Building servers from the link-time registry, through the public API and the in-process
//! test client: duplicates, filters, hand-built bindings, state, guards, return shapes.
//!
//! The bindings are here; what `build()` accepts, refuses and selects is in `building`,
//! what the built server then does with the bindings in `serving`.

mod building;
mod serving;

use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{
    Error, Principal, binding::Arguments, binding::BindingKind, binding::CompletionRequest,
    binding::ResourceBinding, binding::ResourceRequest, binding::ToolBinding, guard::scopes,
};
use serde_json::{Value, json};

mod billing {
    use mcp_runtime::prelude::*;

    /// Charge a customer.
    #[mcp_tool(tags = ["money"])]
    pub fn charge(cents: u64) -> String {
        format!("charged {cents}")
    }
}

mod support {
    use mcp_runtime::prelude::*;

    /// Open a ticket.
    #[mcp_tool]
    pub fn open_ticket(subject: String) -> String {
        format!("ticket: {subject}")
    }

    /// Refund a customer.
    #[mcp_tool(tags = ["money"])]
    pub fn refund(cents: u64) -> String {
        format!("refunded {cents}")
    }
}

mod clash_a {
    use mcp_runtime::prelude::*;

    /// One of two tools with the same name.
    #[mcp_tool(name = "clash", tags = ["clash"])]
    pub fn first() -> &'static str {
        "a"
    }
}

mod clash_b {
    use mcp_runtime::prelude::*;

    /// The other tool with the same name.
    #[mcp_tool(name = "clash", tags = ["clash"])]
    pub fn second() -> &'static str {
        "b"
    }
}

struct Counter(std::sync::atomic::AtomicU32);

/// Count calls using shared state.
#[mcp_tool(tags = ["stateful"])]
fn bump(counter: State<Counter>, ctx: Context) -> String {
    let n = counter.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    format!("{n} at {}", ctx.env().protocol_version())
}

/// Only for admins.
#[mcp_tool(permission = scopes(["admin"]), tags = ["guarded"])]
fn admin_report() -> &'static str {
    "secret numbers"
}

#[derive(Serialize, JsonSchema)]
struct Point {
    x: i32,
}

/// Points as a list: structured output that is not an object.
#[mcp_tool(tags = ["shapes"])]
fn points() -> Json<Vec<Point>> {
    Json(vec![Point { x: 1 }, Point { x: 2 }])
}

/// Several content blocks.
#[mcp_tool(tags = ["shapes"])]
fn blocks() -> Vec<Content> {
    vec![Content::text("one"), Content::image([0u8, 1], "image/png")]
}

/// Raw bytes.
#[mcp_resource(uri = "bytes://blob", mime_type = "application/octet-stream", tags = ["shapes"])]
fn blob() -> Vec<u8> {
    vec![0, 159, 255]
}

/// A slowly changing document.
#[mcp_resource(uri = "docs://handbook", cache_ttl = "5m", tags = ["cached"])]
fn handbook() -> &'static str {
    "the handbook"
}

/// A specific page.
#[mcp_resource(uri = "pages://home", tags = ["routing"])]
fn home() -> &'static str {
    "fixed"
}

/// Any page.
#[mcp_resource(uri = "pages://{slug}", tags = ["routing"])]
fn page(slug: String) -> String {
    format!("page {slug}")
}

/// Any page's history.
#[mcp_resource(uri = "pages://{slug}/history", tags = ["routing"])]
fn history(slug: String) -> String {
    format!("history of {slug}")
}

async fn colours(request: CompletionRequest) -> Vec<String> {
    tokio::task::yield_now().await;
    ["red", "green", "blue"]
        .into_iter()
        .filter(|c| c.starts_with(request.value()))
        .map(str::to_owned)
        .collect()
}

/// Paint something.
#[mcp_prompt(complete = colours, tags = ["routing"])]
fn paint(thing: String, colour: String) -> String {
    format!("Paint the {thing} {colour}")
}

/// Report two steps of progress and log each.
#[mcp_tool(tags = ["chatty"])]
async fn steps(ctx: Context) -> &'static str {
    for step in 1..=2 {
        ctx.progress(f64::from(step), Some(2.0)).await;
        ctx.log(LogLevel::Debug, json!({ "step": step })).await;
    }
    "done"
}

fn only_tag(tag: &'static str) -> mcp_runtime::McpServerBuilder {
    McpServer::builder("test", "1.0").filter(move |b| b.has_tag(tag))
}
