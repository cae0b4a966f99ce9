//! What the fuzz targets share: one runtime and one in-process server built once, the
//! checks every answer of the server must pass (`checks`), canonical URI encoding and a
//! generator of arbitrary JSON values (`arbitrary_json`).

mod arbitrary_json;
mod checks;
pub mod structured;

pub use arbitrary_json::{arb_json, arb_object, arb_word};
pub use checks::{
    Sent, check_answer, check_notifications, check_response_shape, check_stateless_result, send,
    stateless_variant,
};

use mcp_runtime::{binding::Arguments, binding::CompletionRequest, Context, Json, model::LogLevel, McpServer, binding::PromptArguments, binding::PromptBinding, binding::ResourceBinding, binding::ResourceRequest, ServiceError, binding::TaskSupport, binding::ToolBinding, binding::ToolError};
use serde_json::{Value, json};
use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

/// The stateless era's revision.
pub const STATELESS: &str = "2026-07-28";
/// `_meta` key of a stateless request's revision.
pub const VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";
/// `_meta` key of a stateless request's client capabilities.
pub const CAPABILITIES_KEY: &str = "io.modelcontextprotocol/clientCapabilities";
/// `_meta` key of a stateless result's server identity.
pub const SERVER_INFO_KEY: &str = "io.modelcontextprotocol/serverInfo";
/// Name of the tasks extension in client capabilities.
pub const TASKS_EXTENSION: &str = "io.modelcontextprotocol/tasks";

/// The resource templates the server registers (each a distinct scheme, so a URI matches
/// at most one of them).
pub const TEMPLATES: [&str; 4] = [
    "items://{id}",
    "file:///{+path}",
    "search://items{?q,page}",
    "map://{x,y}{/seg}{?page}{#frag}",
];

/// The input schema of the `validated` and `typed` tools: types, bounds, a pattern, an
/// enum, required properties, no additional properties, nested arrays and objects.
pub fn arguments_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "limit": { "type": "integer", "minimum": 1, "maximum": 1000 },
            "code": { "type": "string", "pattern": "^[A-Z]{3}$" },
            "kind": { "enum": ["a", "b", 1, null] },
            "tags": {
                "type": "array",
                "items": { "type": "string", "minLength": 1, "maxLength": 8 },
                "maxItems": 4
            },
            "matrix": {
                "type": "array",
                "items": { "type": "array", "items": { "type": "number" } }
            },
            "point": {
                "type": "object",
                "properties": {
                    "x": { "type": "number" },
                    "y": { "type": "number", "exclusiveMinimum": 0 }
                },
                "required": ["x"],
                "additionalProperties": false
            },
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": { "type": "string" },
                        "qty": { "type": "integer", "minimum": 0 }
                    },
                    "required": ["id"],
                    "additionalProperties": false
                }
            },
            "flag": { "type": "boolean" },
            "note": { "type": ["string", "null"] }
        },
        "required": ["limit"],
        "additionalProperties": false
    })
}

/// Property names of [`arguments_schema`], at every level.
pub const ARGUMENT_KEYS: [&str; 13] = [
    "limit", "code", "kind", "tags", "matrix", "point", "items", "flag", "note", "x", "y", "id",
    "qty",
];

/// The runtime and the server, built on first use.
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    server: McpServer,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        // The clock is paused: it jumps ahead whenever nothing is ready to run, so timeouts
        // (a tool's, or the one around each message) cost no real time.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a tokio runtime");
        let server = runtime.block_on(async { build_server() });
        Harness { runtime, server }
    })
}

/// Runs `future` to completion on the shared runtime.
pub fn run<F: Future>(future: F) -> F::Output {
    harness().runtime.block_on(future)
}

/// The shared server.
pub fn server() -> &'static McpServer {
    &harness().server
}

fn build_server() -> McpServer {
    let echo = ToolBinding::new("echo", |mut args: Arguments, _ctx: Context| async move {
        args.take::<String>("text")
    })
    .description("Echo the text back.")
    .input_schema(json!({
        "type": "object",
        "properties": { "text": { "type": "string" } },
        "required": ["text"]
    }));
    let validated = ToolBinding::new("validated", |args: Arguments, _ctx: Context| async move {
        Json(Value::Object(args.into_map()))
    })
    .description("Returns its (validated) arguments.")
    .input_schema(arguments_schema());
    let typed = ToolBinding::new("typed", |mut args: Arguments, _ctx: Context| async move {
        let limit: u32 = args.take("limit")?;
        let code: Option<String> = args.take("code")?;
        let tags: Option<Vec<String>> = args.take("tags")?;
        let matrix: Option<Vec<Vec<i32>>> = args.take("matrix")?;
        let flag: Option<bool> = args.take("flag")?;
        Ok::<_, ToolError>(format!("{limit} {code:?} {tags:?} {matrix:?} {flag:?}"))
    })
    .description("Decodes its arguments into Rust types narrower than the schema.")
    .input_schema(arguments_schema());
    let slow = ToolBinding::new("slow", |_args: Arguments, _ctx: Context| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        "done"
    })
    .description("Overruns its timeout.")
    .timeout(Duration::from_secs(1));
    let chatty = ToolBinding::new("chatty", |_args: Arguments, ctx: Context| async move {
        ctx.log(LogLevel::Warning, json!({ "said": "hello" })).await;
        ctx.progress_with_message(1.0, Some(2.0), "half way").await;
        "said hello"
    })
    .description("Sends a log message and a progress notification.");
    let failing = ToolBinding::new("failing", |_args: Arguments, _ctx: Context| async move {
        Err::<String, _>(ServiceError::not_found("there is nothing here"))
    })
    .description("Always fails.");
    let task = ToolBinding::new("task", |_args: Arguments, ctx: Context| async move {
        let became_task = ctx.start_task().await;
        format!("task: {became_task}")
    })
    .description("May run as a task.")
    .task(TaskSupport::Optional);

    let fixed = ResourceBinding::new(
        "config",
        "config://app",
        |_req: ResourceRequest, _ctx: Context| async { "fixed".to_owned() },
    )
    .description("A fixed resource.")
    .mime_type("text/plain");
    let item = ResourceBinding::new("item", TEMPLATES[0], echo_values)
        .description("An item.")
        .complete_argument("id", complete_from_list);
    let file = ResourceBinding::new("file", TEMPLATES[1], echo_values)
        .description("A file.")
        .cache_ttl(Duration::from_secs(90));
    let search = ResourceBinding::new("search", TEMPLATES[2], echo_values)
        .description("A search.")
        .complete(complete_from_list);
    let map = ResourceBinding::new("map", TEMPLATES[3], echo_values).description("A map tile.");

    let greet = PromptBinding::new(
        "greet",
        |mut args: PromptArguments, _ctx: Context| async move {
            format!(
                "Say hello to {} in {}",
                args.take("name").unwrap_or_default(),
                args.take("language").unwrap_or_default()
            )
        },
    )
    .description("Greets someone.")
    .argument("name", Some("who to greet"), true)
    .argument("language", None, false)
    .complete_argument("language", complete_from_list);
    let review = PromptBinding::new("review", |_args: PromptArguments, _ctx: Context| async {
        Err::<String, _>(ServiceError::new("no reviews today"))
    })
    .description("Always fails.")
    .argument("code", None, true)
    .complete(|req: CompletionRequest| async move { vec![req.value().repeat(2)] });

    McpServer::builder("fuzz", "1")
        .instructions("A server for fuzzing.")
        .page_size(2)
        .default_timeout(Duration::from_secs(30))
        .request_state_key(b"fuzz-request-state-key".to_vec(), [])
        .task_limits(8, Duration::from_secs(10))
        .tool(echo)
        .tool(validated)
        .tool(typed)
        .tool(slow)
        .tool(chatty)
        .tool(failing)
        .tool(task)
        .resource(fixed)
        .resource(item)
        .resource(file)
        .resource(search)
        .resource(map)
        .prompt(greet)
        .prompt(review)
        .build()
        .expect("the fuzz server builds")
}

/// A resource whose text is the JSON array of its first four template values.
async fn echo_values(req: ResourceRequest, _ctx: Context) -> String {
    let values: Vec<Option<&str>> = (0..4).map(|i| req.value(i)).collect();
    serde_json::to_string(&values).expect("strings serialise")
}

fn complete_from_list(req: CompletionRequest) -> Vec<String> {
    let values = ["rust", "python", "go", "ruby", "été", ""];
    let context = req.context("name").unwrap_or("");
    values
        .iter()
        .filter(|v| v.starts_with(req.value()))
        .map(|v| format!("{v}{context}"))
        .collect()
}

/// Percent-encodes every byte but ASCII letters, digits, `-`, `_` and `~`: the encoded
/// text contains no character any template operator treats specially.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'~' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
