//! What the fuzz targets share: one runtime and one in-process server built once, the
//! checks every answer of the server must pass, canonical URI encoding and a generator
//! of arbitrary JSON values.

use arbitrary::Unstructured;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{
    Arguments, CompletionRequest, Context, Json, LogLevel, McpServer, PromptArguments,
    PromptBinding, RequestId, ResourceBinding, ResourceRequest, ServiceError, TaskSupport,
    ToolBinding, ToolError,
};
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
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

/// What came back for one message.
#[derive(Debug)]
pub struct Sent {
    /// The response line, if any.
    pub line: Option<String>,
    /// Nothing came back within an hour (of the paused clock).
    pub hung: bool,
}

/// Sends one raw message on `client`.
pub async fn send(client: &TestClient, message: &[u8]) -> Sent {
    match tokio::time::timeout(Duration::from_secs(3600), client.send_raw(message)).await {
        Ok(line) => Sent { line, hung: false },
        Err(_) => Sent {
            line: None,
            hung: true,
        },
    }
}

/// Reads the notifications a call sent (they must each be JSON: `take_notifications`
/// panics otherwise) and checks they are JSON-RPC notifications.
pub async fn check_notifications(client: &TestClient) {
    for message in client.take_notifications().await {
        assert_eq!(message["jsonrpc"], "2.0", "notification {message}");
        assert!(message["method"].is_string(), "notification {message}");
        assert!(
            message.get("id").is_none(),
            "a server-to-client request in {message}"
        );
    }
}

fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() > 2000 {
        format!("{}...", &text[..text.floor_char_boundary(2000)])
    } else {
        text.into_owned()
    }
}

/// The top-level members of a message, as raw JSON (numbers are not range-checked, as
/// the server's own envelope does not check the members it ignores). `None` when the
/// message is not a JSON object.
fn members(message: &[u8]) -> Option<HashMap<String, Box<RawValue>>> {
    serde_json::from_slice(message).ok()
}

/// Checks the answer to `message`: every request gets one well-formed JSON-RPC response
/// carrying its id; only notifications and responses go unanswered; only a
/// `subscriptions/listen` stream stays open. Returns the parsed response.
pub fn check_answer(message: &[u8], sent: &Sent) -> Option<Value> {
    let members = members(message);
    let member = |name: &str| members.as_ref().and_then(|m| m.get(name)).map(|r| r.get());
    if sent.hung {
        let listen = member("method")
            .and_then(|m| serde_json::from_str::<String>(m).ok())
            .is_some_and(|m| m == "subscriptions/listen");
        assert!(listen, "no answer within an hour to {}", shown(message));
        return None;
    }
    let Some(line) = &sent.line else {
        assert!(
            members.is_some(),
            "no answer to a message that is not a JSON object: {}",
            shown(message)
        );
        // With duplicate members the server answers (an error), so the map is exact here.
        let notification = member("id").is_none();
        let response = member("method").is_none_or(|m| m == "null");
        assert!(
            notification || response,
            "no answer to a request: {}",
            shown(message)
        );
        return None;
    };
    let response = check_response_shape(line);
    let id = |raw: Option<&str>| raw.and_then(|r| serde_json::from_str::<RequestId>(r).ok());
    let answered = &response["id"];
    if let Ok(Value::Object(input)) = serde_json::from_slice::<Value>(message) {
        // What the server reads too, duplicate members included (the last one wins).
        if let Some(expected) = input
            .get("id")
            .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok())
        {
            assert_eq!(
                answered,
                &serde_json::to_value(&expected).expect("an id serialises"),
                "the response to {} carries another id: {line}",
                shown(message)
            );
        }
    } else if let Some(expected) = id(member("id")) {
        // Some member is beyond what `Value` holds (such as 1e999): the id may be lost.
        assert!(
            answered.is_null()
                || answered == &serde_json::to_value(&expected).expect("an id serialises"),
            "the response to {} carries another id: {line}",
            shown(message)
        );
    }
    Some(response)
}

/// A JSON-RPC 2.0 response on one line: `jsonrpc`, `id` (string, integer or null), and
/// either an object `result` or an `error` with an integer `code` and a string `message`.
pub fn check_response_shape(line: &str) -> Value {
    assert!(!line.contains('\n'), "a response spans lines: {line}");
    let response: Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("response is not JSON ({e}): {line}"));
    let object = response
        .as_object()
        .unwrap_or_else(|| panic!("response is not an object: {line}"));
    assert_eq!(object.get("jsonrpc"), Some(&json!("2.0")), "{line}");
    for key in object.keys() {
        assert!(
            matches!(key.as_str(), "jsonrpc" | "id" | "result" | "error"),
            "unexpected member `{key}` in {line}"
        );
    }
    let id = object
        .get("id")
        .unwrap_or_else(|| panic!("no id in {line}"));
    assert!(
        id.is_null() || id.is_i64() || id.is_string(),
        "bad id in {line}"
    );
    match (object.get("result"), object.get("error")) {
        (Some(result), None) => {
            assert!(result.is_object(), "result is not an object: {line}");
            assert!(!id.is_null(), "a result without an id: {line}");
        }
        (None, Some(error)) => {
            let error = error
                .as_object()
                .unwrap_or_else(|| panic!("error is not an object: {line}"));
            let code = error.get("code").and_then(Value::as_i64);
            assert!(
                code.is_some_and(|c| i32::try_from(c).is_ok()),
                "bad error code in {line}"
            );
            assert!(
                error.get("message").is_some_and(Value::is_string),
                "bad error message in {line}"
            );
            for key in error.keys() {
                assert!(
                    matches!(key.as_str(), "code" | "message" | "data"),
                    "unexpected member `{key}` in the error of {line}"
                );
            }
        }
        _ => panic!("not exactly one of result and error: {line}"),
    }
    response
}

/// A stateless-era result says what it is and who answered.
pub fn check_stateless_result(response: &Value) {
    if let Some(result) = response.get("result") {
        assert!(
            result["resultType"].is_string(),
            "stateless result without resultType: {response}"
        );
        assert!(
            result["_meta"][SERVER_INFO_KEY].is_object(),
            "stateless result without server info: {response}"
        );
    }
}

/// `message` as a stateless-era request: its params' `_meta` gets the revision and client
/// capabilities when it lacks them. `None` when it is not a JSON object with a method and
/// object (or no) params.
pub fn stateless_variant(message: &[u8]) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(message).ok()?;
    let object = value.as_object_mut()?;
    object.get("method")?.as_str()?;
    let params = object
        .entry("params")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    let meta = params
        .entry("_meta")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    let meta = meta.as_object_mut().expect("an object");
    meta.entry(VERSION_KEY).or_insert_with(|| json!(STATELESS));
    meta.entry(CAPABILITIES_KEY).or_insert_with(|| json!({}));
    serde_json::to_vec(&value).ok()
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

/// An arbitrary JSON value at most `depth` levels deep; strings and object keys are often
/// taken from `words`.
pub fn arb_json(u: &mut Unstructured<'_>, words: &[&str], depth: u32) -> arbitrary::Result<Value> {
    let kinds = if depth == 0 { 7 } else { 9 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<i8>()?),
        3 => json!(u.arbitrary::<i64>()?),
        4 => json!(u.arbitrary::<u64>()?),
        5 => {
            let f: f64 = if u.arbitrary()? {
                f64::from(u.arbitrary::<i16>()?) / 4.0
            } else {
                u.arbitrary()?
            };
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        6 => Value::String(arb_word(u, words)?),
        7 => {
            let len = u.choose_index(5)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(arb_json(u, words, depth - 1)?);
            }
            Value::Array(items)
        }
        _ => Value::Object(arb_object(u, words, depth - 1)?),
    })
}

/// An arbitrary JSON object (see [`arb_json`]).
pub fn arb_object(
    u: &mut Unstructured<'_>,
    words: &[&str],
    depth: u32,
) -> arbitrary::Result<Map<String, Value>> {
    let len = u.choose_index(6)?;
    let mut map = Map::new();
    for _ in 0..len {
        let key = arb_word(u, words)?;
        map.insert(key, arb_json(u, words, depth)?);
    }
    Ok(map)
}

/// One of `words`, or any short string.
pub fn arb_word(u: &mut Unstructured<'_>, words: &[&str]) -> arbitrary::Result<String> {
    if !words.is_empty() && u.ratio(3, 4)? {
        Ok((*u.choose(words)?).to_owned())
    } else {
        Ok(u.arbitrary::<&str>()?.chars().take(24).collect())
    }
}
