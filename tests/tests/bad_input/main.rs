//! Hostile input, one table of cases driven over both transports: the fixture server as a
//! child process over real pipes, and an in-process server over a real loopback socket.
//!
//! For every case: the exact answer (JSON-RPC code and id, and the HTTP status on HTTP), the
//! server still answering `ping` afterwards, and nobody else affected: a slow call started
//! just before the hostile input is still answered, and on HTTP a second, already
//! initialized session still works.
//!
//! Adding a case is one line in [`cases`]. Stdio framing is newline-delimited, so a case's
//! bytes never contain a raw newline (the driver adds the terminator).

use mcp_runtime::prelude::*;
use mcp_tests::McpProcess;
use mcp_tests::http::{self, McpHttp, Response, send};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

// ---------------------------------------------------------------------------------------
// Bindings of the HTTP server: the fixture server's `echo`, `sleep` and `stats`, so that one
// table of cases means the same on both transports.
// ---------------------------------------------------------------------------------------

/// Echo the text back.
#[mcp_tool(read_only)]
fn echo(text: String) -> String {
    text
}

/// Tells the test that a `sleep` call is running (and so registered as in flight).
#[derive(Clone, Default)]
struct Started(Arc<Notify>);

/// Sleep for `ms` milliseconds, then answer (for concurrency and cancellation).
#[mcp_tool]
async fn sleep(ms: u64, ctx: Context, started: State<Started>) -> String {
    started.0.notify_one();
    tokio::select! {
        () = tokio::time::sleep(Duration::from_millis(ms)) => format!("slept {ms}ms"),
        () = ctx.cancelled() => "cancelled".into(),
    }
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

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

/// What the server answers to a case.
#[derive(Clone, Debug)]
enum Reply {
    /// A JSON-RPC error: its code, the id it answers (`null` when the id was unreadable) and
    /// a fragment of its message (`""` for any).
    Error(i64, Value, &'static str),
    /// A JSON-RPC result for the id, accepted by the check.
    Result(Value, fn(&Value) -> bool),
    /// No JSON-RPC message at all (stdio: nothing is written; HTTP: an empty body).
    Nothing,
}

/// How a case's HTTP POST differs from a well-formed one in session A.
#[derive(Clone, Debug)]
enum HttpReq {
    Normal,
    /// The header set to this value, or removed (`None`).
    Header(&'static str, Option<String>),
    /// This many extra small headers.
    ManyHeaders(usize),
    /// Another HTTP method than POST.
    Method(&'static str),
}

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// Sent before `initialize`: on stdio to a new process, on HTTP without a session.
    fresh: bool,
    http_req: HttpReq,
    /// `None`: not a stdio case.
    stdio: Option<Reply>,
    /// `None`: not an HTTP case.
    http: Option<(u16, Reply)>,
}

fn case(name: &'static str, bytes: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        bytes: bytes.into(),
        fresh: false,
        http_req: HttpReq::Normal,
        stdio: None,
        http: None,
    }
}

impl Case {
    /// The same answer on both transports, with `status` on HTTP.
    fn both(self, status: u16, reply: Reply) -> Case {
        self.stdio(reply.clone()).http(status, reply)
    }
    fn stdio(mut self, reply: Reply) -> Case {
        self.stdio = Some(reply);
        self
    }
    fn http(mut self, status: u16, reply: Reply) -> Case {
        self.http = Some((status, reply));
        self
    }
    fn req(mut self, req: HttpReq) -> Case {
        self.http_req = req;
        self
    }
    fn fresh(mut self) -> Case {
        self.fresh = true;
        self
    }
}

fn err(code: i64, id: Value) -> Reply {
    Reply::Error(code, id, "")
}

fn err_says(code: i64, id: Value, fragment: &'static str) -> Reply {
    Reply::Error(code, id, fragment)
}

fn ok(id: Value, check: fn(&Value) -> bool) -> Reply {
    Reply::Result(id, check)
}

fn pong(id: Value) -> Reply {
    ok(id, |r| r == &json!({}))
}

/// A tool result with `isError` and a text containing nothing in particular.
fn tool_error(r: &Value) -> bool {
    r["isError"] == true && r["content"][0]["text"].is_string()
}

/// One request line; `id` and `params` are raw JSON text.
fn request(id: &str, method: &str, params: &str) -> Vec<u8> {
    format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"{method}","params":{params}}}"#).into_bytes()
}

/// A `tools/call` of `tool` with id 1; `arguments` is raw JSON text.
fn call(tool: &str, arguments: &str) -> Vec<u8> {
    request(
        "1",
        "tools/call",
        &format!(r#"{{"name":"{tool}","arguments":{arguments}}}"#),
    )
}

/// A ping with the raw JSON `id`.
fn ping(id: &str) -> Vec<u8> {
    format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#).into_bytes()
}

/// `before` + `middle` + `after`, for splicing raw bytes (invalid UTF-8) into a message.
fn splice(before: &str, middle: &[u8], after: &str) -> Vec<u8> {
    [before.as_bytes(), middle, after.as_bytes()].concat()
}

const MAX_REQUEST_BYTES: usize = 4 << 20;
const SLOW_MS: u64 = 100;

/// Every case, one a line (kept unformatted so that a case stays one line).
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let null = Value::Null;
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let deep_objects = format!("{}1{}", r#"{"a":"#.repeat(100_000), "}".repeat(100_000));
    let megabyte = "x".repeat(1 << 20);
    let too_big = format!(r#"{{"text":"{}"}}"#, "x".repeat(MAX_REQUEST_BYTES));
    let long_id = format!(r#""{}""#, "i".repeat(64 << 10));
    let bad_session = "0".repeat(64);
    vec![
        // Framing and syntax.
        case("not JSON", "not json at all").both(400, err(-32700, null.clone())),
        case("truncated JSON", r#"{"jsonrpc":"2.0","id":1,"method":"pi"#).both(400, err(-32700, null.clone())),
        case("unterminated 100000 arrays", "[".repeat(100_000)).both(400, err(-32700, null.clone())),
        case("trailing garbage", [ping("1"), b" x".to_vec()].concat()).both(400, err(-32700, null.clone())),
        case("two messages on one line", [ping("1"), ping("2")].concat()).both(400, err(-32700, null.clone())),
        case("byte order mark", [&b"\xEF\xBB\xBF"[..], &ping("1")].concat()).both(400, err(-32700, null.clone())),
        case("raw control character in a string", call("echo", "{\"text\":\"a\u{1}b\"}")).both(400, err(-32700, null.clone())),
        case("carriage return before the newline", [ping("1"), b"\r".to_vec()].concat()).both(200, pong(json!(1))),
        case("empty body / empty line", "").stdio(Reply::Nothing).http(400, err(-32700, null.clone())),
        case("blank body / blank line", " \t ").stdio(Reply::Nothing).http(400, err(-32700, null.clone())),
        case("JSON but not an object", "42").both(400, err_says(-32600, null.clone(), "JSON object")),
        case("empty object", "{}").both(400, err(-32600, null.clone())),
        // Batches (not part of MCP since 2025-06-18).
        case("batch of one", [&b"["[..], &ping("1"), b"]"].concat()).both(400, err_says(-32600, null.clone(), "batches are not supported")),
        case("empty batch", "[]").both(400, err_says(-32600, null.clone(), "batches are not supported")),
        // The jsonrpc member.
        case("jsonrpc 1.0", r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#).both(400, err_says(-32600, json!(1), "\"jsonrpc\" must be \"2.0\"")),
        case("jsonrpc missing", r#"{"id":1,"method":"ping"}"#).both(400, err_says(-32600, json!(1), "\"jsonrpc\" must be \"2.0\"")),
        case("jsonrpc a number", r#"{"jsonrpc":2.0,"id":1,"method":"ping"}"#).both(400, err(-32600, json!(1))),
        // Ids of every type: MCP allows strings and integers only.
        case("id string", ping(r#""abc""#)).both(200, pong(json!("abc"))),
        case("id empty string", ping(r#""""#)).both(200, pong(json!(""))),
        case("id 64 KiB string", ping(&long_id)).both(200, ok(json!("i".repeat(64 << 10)), |r| r == &json!({}))),
        case("id integer", ping("7")).both(200, pong(json!(7))),
        case("id zero", ping("0")).both(200, pong(json!(0))),
        case("id negative", ping("-7")).both(200, pong(json!(-7))),
        case("id i64::MAX", ping("9223372036854775807")).both(200, pong(json!(i64::MAX))),
        case("id i64::MIN", ping("-9223372036854775808")).both(200, pong(json!(i64::MIN))),
        case("id 2^63", ping("9223372036854775808")).both(400, err_says(-32600, null.clone(), "\"id\" must be")),
        case("id 2^64", ping("18446744073709551616")).both(400, err(-32600, null.clone())),
        case("id float", ping("1.5")).both(400, err(-32600, null.clone())),
        case("id float with integral value", ping("1.0")).both(400, err(-32600, null.clone())),
        case("id exponent", ping("1e2")).both(400, err(-32600, null.clone())),
        case("id 1e400", ping("1e400")).both(400, err(-32600, null.clone())),
        case("id null", ping("null")).both(400, err(-32600, null.clone())),
        case("id object", ping(r#"{"a":1}"#)).both(400, err(-32600, null.clone())),
        case("id array", ping("[1]")).both(400, err(-32600, null.clone())),
        case("id bool", ping("true")).both(400, err(-32600, null.clone())),
        case("id 100000 nested arrays", ping(&deep(100_000))).both(400, err(-32600, null.clone())),
        // Ids in flight and duplicate members.
        case("duplicate of the slow call's id in flight", ping(r#""slow""#)).both(200, err_says(-32600, json!("slow"), "already in flight")),
        case("duplicate id member", r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}"#).both(400, err(-32600, json!(2))),
        // The method member.
        case("method a number", r#"{"jsonrpc":"2.0","id":1,"method":5}"#).both(400, err(-32600, json!(1))),
        case("method null", r#"{"jsonrpc":"2.0","id":1,"method":null}"#).both(400, err(-32600, json!(1))),
        case("method an object", r#"{"jsonrpc":"2.0","id":1,"method":{}}"#).both(400, err(-32600, json!(1))),
        case("method missing", r#"{"jsonrpc":"2.0","id":1}"#).both(400, err(-32600, json!(1))),
        case("unknown method", request("1", "tools/unknown", "{}")).both(200, err_says(-32601, json!(1), "tools/unknown")),
        case("empty method", request("1", "", "{}")).both(200, err(-32601, json!(1))),
        case("notification name sent with an id", request("3", "notifications/initialized", "{}")).both(200, err(-32601, json!(3))),
        case("cancellation sent with an id is no cancellation", request("3", "notifications/cancelled", r#"{"requestId":"slow"}"#)).both(200, err(-32601, json!(3))),
        // The params member.
        case("params an array", request("1", "ping", "[1]")).both(400, err_says(-32602, json!(1), "must be an object")),
        case("params a string", request("1", "tools/call", r#""echo""#)).both(400, err(-32602, json!(1))),
        case("params a number", request("1", "ping", "5")).both(400, err(-32602, json!(1))),
        case("params null means none", request("1", "ping", "null")).both(200, pong(json!(1))),
        case("tool name a number", request("1", "tools/call", r#"{"name":5}"#)).both(200, err(-32602, json!(1))),
        case("tool name missing", request("1", "tools/call", r#"{"arguments":{}}"#)).both(200, err(-32602, json!(1))),
        case("arguments an array", call("echo", "[1]")).both(200, ok(json!(1), tool_error)),
        case("_meta not an object", request("1", "ping", r#"{"_meta":5}"#)).both(200, pong(json!(1))),
        case("progress token an object", request("1", "ping", r#"{"_meta":{"progressToken":{"a":1}}}"#)).both(200, pong(json!(1))),
        case("an argument quoting the stateless-era _meta key", call("echo", r#"{"text":"io.modelcontextprotocol/protocolVersion"}"#))
            .both(200, ok(json!(1), |r| r["content"][0]["text"] == "io.modelcontextprotocol/protocolVersion")),
        case("stateless-era version of the wrong type", request("1", "ping", r#"{"_meta":{"io.modelcontextprotocol/protocolVersion":5}}"#)).both(200, err(-32602, json!(1))),
        // Notifications and responses are never answered.
        case("unknown notification", r#"{"jsonrpc":"2.0","method":"notifications/whatever"}"#).both(202, Reply::Nothing),
        case("cancellation of an unknown id", r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"nope"}}"#).both(202, Reply::Nothing),
        case("cancellation with a bad request id", r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":{"a":1}}}"#).both(202, Reply::Nothing),
        case("response to no request", r#"{"jsonrpc":"2.0","id":99,"result":{}}"#).both(202, Reply::Nothing),
        case("error response to no request", r#"{"jsonrpc":"2.0","id":99,"error":{"code":1,"message":"x"}}"#).both(202, Reply::Nothing),
        case("error response with a null id", r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}"#).stdio(Reply::Nothing).http(400, err(-32600, null.clone())),
        case("response with both result and error", r#"{"jsonrpc":"2.0","id":5,"result":{},"error":{"code":1,"message":"x"}}"#).stdio(Reply::Nothing).http(400, err(-32600, null.clone())),
        case("response with a malformed error", r#"{"jsonrpc":"2.0","id":5,"error":"boom"}"#).stdio(Reply::Nothing).http(400, err(-32600, null.clone())),
        // Invalid UTF-8 (JSON text is UTF-8): a parse error wherever it is.
        case("lone 0xFF byte", &b"\xff"[..]).both(400, err(-32700, null.clone())),
        case("invalid UTF-8 in the method", splice(r#"{"jsonrpc":"2.0","id":1,"method":"pi"#, b"\xff", r#"ng"}"#)).both(400, err(-32700, null.clone())),
        case("invalid UTF-8 in an argument", splice(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":""#, b"\xc3\x28", r#""}}}"#)).both(400, err(-32700, null.clone())),
        case("invalid UTF-8 in an unknown member", splice(r#"{"jsonrpc":"2.0","id":1,"method":"ping","x":""#, b"\xff", r#""}"#)).both(400, err(-32700, null.clone())),
        case("overlong UTF-8 encoding", splice(r#"{"jsonrpc":"2.0","id":1,"method":"ping","x":""#, b"\xc0\xaf", r#""}"#)).both(400, err(-32700, null.clone())),
        case("UTF-8-encoded surrogate", splice(r#"{"jsonrpc":"2.0","id":1,"method":"ping","x":""#, b"\xed\xa0\x80", r#""}"#)).both(400, err(-32700, null.clone())),
        case("escaped lone surrogate in an argument", call("echo", r#"{"text":"\ud800"}"#)).both(200, err(-32602, json!(1))),
        // Huge numbers.
        case("1e400 as an integer argument", call("sleep", r#"{"ms":1e400}"#)).both(200, err_says(-32602, json!(1), "out of range")),
        case("2^64 as an integer argument", call("sleep", r#"{"ms":18446744073709551616}"#)).both(200, ok(json!(1), tool_error)),
        case("100000 digits as an integer argument", call("sleep", &format!(r#"{{"ms":{}}}"#, "9".repeat(100_000)))).both(200, err(-32602, json!(1))),
        case("negative integer argument", call("sleep", r#"{"ms":-1}"#)).both(200, ok(json!(1), tool_error)),
        case("1e400 as a number argument", call("stats", r#"{"values":[1e400]}"#)).both(200, err(-32602, json!(1))),
        case("f64::MAX as a number argument", call("stats", r#"{"values":[1.7976931348623157e308]}"#)).both(200, ok(json!(1), |r| r["structuredContent"] == json!({ "mean": f64::MAX, "count": 1 }))),
        case("1e400 as a string argument", call("echo", r#"{"text":1e400}"#)).both(200, err(-32602, json!(1))),
        // Deep nesting: nothing recursive may overflow the stack.
        case("message of 100000 nested arrays", deep(100_000)).both(400, err_says(-32600, null.clone(), "batches are not supported")),
        case("params of 100000 nested arrays", request("1", "ping", &deep(100_000))).both(400, err(-32602, json!(1))),
        case("argument of 100000 nested arrays", call("echo", &format!(r#"{{"text":{}}}"#, deep(100_000)))).both(200, err(-32602, json!(1))),
        case("arguments of 100000 nested objects", call("echo", &deep_objects)).both(200, err(-32602, json!(1))),
        case("unknown member of 100000 nested arrays", format!(r#"{{"jsonrpc":"2.0","id":1,"method":"ping","x":{}}}"#, deep(100_000))).both(200, pong(json!(1))),
        case("_meta of 100000 nested arrays", request("1", "ping", &format!(r#"{{"_meta":{}}}"#, deep(100_000)))).both(200, pong(json!(1))),
        // Sizes.
        case("a megabyte string argument", call("echo", &format!(r#"{{"text":"{megabyte}"}}"#))).both(200, ok(json!(1), |r| r["content"][0]["text"].as_str().map(str::len) == Some(1 << 20))),
        case("a message over max_request_bytes", call("echo", &too_big)).stdio(err_says(-32600, null.clone(), "exceeds")).http(413, err(-32600, null.clone())),
        // Lifecycle (2025 era).
        case("initialize again", request("1", "initialize", r#"{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"}}"#))
            .stdio(err_says(-32600, json!(1), "already initialized"))
            // On HTTP an `initialize` starts a new session whatever headers it carries.
            .http(200, ok(json!(1), |r| r["protocolVersion"] == "2025-11-25")),
        case("tools/list before initialize", request("1", "tools/list", "{}")).fresh().stdio(err_says(-32600, json!(1), "send `initialize` first")).http(400, err_says(-32600, null.clone(), "Mcp-Session-Id")),
        case("tools/call before initialize", call("echo", r#"{"text":"x"}"#)).fresh().stdio(err_says(-32600, json!(1), "initialize")).http(400, err(-32600, null.clone())),
        case("initialized notification as a request before initialize", request("1", "notifications/initialized", "{}")).fresh().stdio(err_says(-32600, json!(1), "initialize")).http(400, err(-32600, null.clone())),
        case("ping before initialize", ping("1")).fresh().stdio(pong(json!(1))).http(400, err(-32600, null.clone())),
        case("notification before initialize", r#"{"jsonrpc":"2.0","method":"notifications/whatever"}"#).fresh().stdio(Reply::Nothing).http(400, err(-32600, null.clone())),
        case("initialize with params an array", request("1", "initialize", "[]")).fresh().stdio(err(-32602, json!(1))).http(400, err(-32602, json!(1))),
        case("initialize without params", r#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#).fresh().stdio(err(-32602, json!(1))).http(200, err(-32602, json!(1))),
        case("initialize with empty params", request("1", "initialize", "{}")).fresh().stdio(err(-32602, json!(1))).http(200, err(-32602, json!(1))),
        // HTTP only: headers, media types, methods, sessions.
        case("100 KB header", ping("1")).req(HttpReq::Header("x-padding", Some("a".repeat(100_000)))).http(200, pong(json!(1))),
        case("500 KB header", ping("1")).req(HttpReq::Header("x-padding", Some("a".repeat(500_000)))).http(431, Reply::Nothing),
        case("200 headers", ping("1")).req(HttpReq::ManyHeaders(200)).http(431, Reply::Nothing),
        case("Content-Type text/plain", ping("1")).req(HttpReq::Header("content-type", Some("text/plain".into()))).http(415, err(-32600, null.clone())),
        case("Content-Type missing", ping("1")).req(HttpReq::Header("content-type", None)).http(415, err(-32600, null.clone())),
        case("Content-Type application/jsonx", ping("1")).req(HttpReq::Header("content-type", Some("application/jsonx".into()))).http(415, err(-32600, null.clone())),
        case("Accept missing", ping("1")).req(HttpReq::Header("accept", None)).http(406, err(-32600, null.clone())),
        case("Accept JSON only", ping("1")).req(HttpReq::Header("accept", Some("application/json".into()))).http(406, err(-32600, null.clone())),
        case("Accept SSE only", ping("1")).req(HttpReq::Header("accept", Some("text/event-stream".into()))).http(406, err(-32600, null.clone())),
        case("unknown session", ping("1")).req(HttpReq::Header("mcp-session-id", Some(bad_session))).http(404, err(-32600, null.clone())),
        case("session id not visible ASCII", ping("1")).req(HttpReq::Header("mcp-session-id", Some("caf\u{e9}".into()))).http(400, err(-32600, null.clone())),
        case("unsupported MCP-Protocol-Version", ping("1")).req(HttpReq::Header("mcp-protocol-version", Some("1999-01-01".into()))).http(400, err(-32600, null.clone())),
        case("foreign Host", ping("1")).req(HttpReq::Header("host", Some("evil.example".into()))).http(403, err(-32600, null.clone())),
        case("foreign Origin", ping("1")).req(HttpReq::Header("origin", Some("http://evil.example".into()))).http(403, err(-32600, null.clone())),
        case("PUT", ping("1")).req(HttpReq::Method("PUT")).http(405, err(-32600, null.clone())),
    ]
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

fn short(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}... ({} bytes)", &text[..at], text.len()),
        None => text.to_owned(),
    }
}

/// `message` must be `reply` (which is not [`Reply::Nothing`]).
fn check_reply(name: &str, transport: &str, message: &Value, reply: &Reply) {
    let shown = short(&message.to_string());
    assert_eq!(message["jsonrpc"], "2.0", "{transport} {name}: {shown}");
    match reply {
        Reply::Error(code, id, fragment) => {
            let error = &message["error"];
            assert!(
                message.get("result").is_none() && error["code"] == *code && message["id"] == *id,
                "{transport} {name}: expected error {code} for id {id}, got {shown}"
            );
            let text = error["message"].as_str().unwrap_or_default();
            assert!(
                !text.is_empty() && text.contains(fragment),
                "{transport} {name}: the message should say {fragment:?}: {shown}"
            );
        }
        Reply::Result(id, check) => {
            assert!(
                message.get("error").is_none() && message["id"] == *id && check(&message["result"]),
                "{transport} {name}: expected a result for id {id}, got {shown}"
            );
        }
        Reply::Nothing => unreachable!("no message to check"),
    }
}

/// A call that is still running while a bad case is sent, on either transport.
fn slow_call() -> Vec<u8> {
    request(
        r#""slow""#,
        "tools/call",
        &format!(r#"{{"name":"sleep","arguments":{{"ms":{SLOW_MS}}}}}"#),
    )
}

mod over_http;
mod over_stdio;
