//! The quickstart server: a few tools, a resource template, a prompt, over stdio.
//!
//! Run it with `cargo run -p mcp-examples --bin quickstart`, or point an MCP client at it:
//!
//! ```json
//! { "mcpServers": { "quickstart": { "command": "cargo",
//!     "args": ["run", "-q", "-p", "mcp-examples", "--bin", "quickstart"] } } }
//! ```

use mcp_runtime::binding::CompletionRequest;
use mcp_runtime::prelude::*;
use std::io::IsTerminal;
use std::time::Duration;

/// Add two numbers.
#[mcp_tool(read_only, idempotent)]
fn add(
    #[arg(description = "the first addend")] a: f64,
    #[arg(description = "the second addend")] b: f64,
) -> f64 {
    a + b
}

/// Count the words in a text.
#[mcp_tool(read_only)]
fn word_count(text: String) -> usize {
    text.split_whitespace().count()
}

/// Count slowly up to `to` (one step per `delay_ms`), reporting progress; stops early when
/// the client cancels.
#[mcp_tool(read_only)]
async fn count_slowly(
    to: u32,
    delay_ms: Option<u64>,
    ctx: Context,
) -> Result<String, ServiceValidationError> {
    if to > 1000 {
        return Err(ServiceValidationError::new("`to` must be at most 1000"));
    }
    let delay = Duration::from_millis(delay_ms.unwrap_or(100));
    for step in 1..=to {
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = ctx.cancelled() => return Ok(format!("cancelled at {step}")),
        }
        ctx.progress(f64::from(step), Some(f64::from(to))).await;
    }
    ctx.log(LogLevel::Info, format!("counted to {to}")).await;
    Ok(format!("counted to {to}"))
}

/// A greeting for someone, in a language of your choice.
#[mcp_resource(uri = "greeting://{name}{?lang}", mime_type = "text/plain")]
fn greeting(name: String, #[arg(complete = complete_language)] lang: Option<String>) -> String {
    match lang.as_deref() {
        Some("fr") => format!("Bonjour, {name} !"),
        Some("de") => format!("Hallo, {name}!"),
        _ => format!("Hello, {name}!"),
    }
}

/// What this server is and how to use it.
#[mcp_resource(uri = "quickstart://about", mime_type = "text/markdown")]
fn about() -> &'static str {
    "# quickstart\nAn example server built with mcp-runtime: tools `add`, `word_count`, `count_slowly`."
}

/// Ask the model to review a piece of code.
#[mcp_prompt]
fn code_review(
    #[arg(description = "the code to review")] code: String,
    #[arg(description = "its language", complete = complete_language)] language: Option<String>,
) -> Vec<PromptMessage> {
    let language = language.unwrap_or_else(|| "unknown".into());
    vec![
        PromptMessage::user(format!("Please review this {language} code:\n\n{code}")),
        PromptMessage::assistant("I'll look at correctness first, then readability."),
    ]
}

fn complete_language(request: CompletionRequest) -> Vec<String> {
    ["de", "en", "fr", "go", "python", "rust"]
        .into_iter()
        .filter(|l| l.starts_with(request.value()))
        .map(str::to_owned)
        .collect()
}

// Bindings in a library crate are served too; this line makes sure the binary links it.
use mcp_example_shared_bindings as _;

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let server = McpServer::builder("quickstart", env!("CARGO_PKG_VERSION"))
        .instructions(
            "Example tools: arithmetic, word counts and a slow counter that reports progress.",
        )
        .build()?;
    announce(&server);
    server.serve_stdio().await
}

/// Says on stderr (never stdout, which carries the protocol) what is served and how to connect.
fn announce(server: &McpServer) {
    eprintln!(
        "quickstart MCP server: serving tools {} over stdio.",
        server.tool_names().join(", ")
    );
    if std::io::stdin().is_terminal() {
        eprintln!(
            "It speaks JSON-RPC on stdin/stdout; connect an MCP client instead of typing. Client config:"
        );
        eprintln!(
            r#"  {{"mcpServers": {{"quickstart": {{"command": "cargo", "args": ["run", "-q", "-p", "mcp-examples", "--bin", "quickstart"]}}}}}}"#
        );
        eprintln!(
            "Or try it: npx @modelcontextprotocol/inspector cargo run -q -p mcp-examples --bin quickstart"
        );
        eprintln!("Press Ctrl-D to quit.");
    }
}
