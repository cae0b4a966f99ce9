//! The stateless era (2026-07-28) on the wire, beside the 2025 era on the same server:
//! `server/discover`, what every result carries, the order and HTTP statuses of the checks
//! made before dispatch, routing and parameter headers, per-request log levels,
//! `subscriptions/listen`, and the same requests over stdio pipes.
//! Multi-round requests (`input_required`) are in `multi_round.rs`.

use mcp_runtime::prelude::*;
use mcp_runtime::{BindingKind, McpServerBuilder};
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

// ---------------------------------------------------------------------------------------
// 1. Both eras on one server
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn both_eras_are_served_by_one_running_http_server() {
    let (_server, addr) = start().await;

    // The 2025 era: initialize, a session, results without resultType.
    let mut old = McpHttp::new(addr);
    let hello = old.initialize(json!({})).await;
    assert_eq!(hello["protocolVersion"], SESSION_ERA);
    assert_eq!(
        hello["capabilities"]["resources"]["subscribe"], true,
        "{hello}"
    );
    assert!(old.session.is_some());
    let old_result = old.call_tool("echo", json!({ "text": "old" })).await;
    assert_eq!(
        old_result,
        json!({ "content": text_content("old") }),
        "no resultType and no server identity in the 2025 era"
    );

    // The 2026 era on the same endpoint, with no session.
    let discover = ok_result(call(addr, "server/discover", json!({})).await).await;
    let versions = discover["supportedVersions"]
        .as_array()
        .expect("supportedVersions");
    assert!(versions.contains(&json!(MODERN)), "{discover}");
    assert!(versions.contains(&json!(SESSION_ERA)), "{discover}");
    assert_eq!(versions[0], MODERN, "the newest first: {discover}");
    let capabilities = &discover["capabilities"];
    assert_eq!(capabilities["tools"], json!({ "listChanged": true }));
    assert_eq!(capabilities["prompts"], json!({ "listChanged": true }));
    assert_eq!(
        capabilities["resources"],
        json!({ "listChanged": true }),
        "no resources/subscribe in the stateless era: {discover}"
    );
    assert_eq!(capabilities["logging"], json!({}));
    assert_eq!(discover["resultType"], "complete");
    assert_eq!(discover["_meta"][SERVER_INFO_KEY], server_info());
    assert_eq!(
        (&discover["ttlMs"], &discover["cacheScope"]),
        (&json!(60_000), &json!("public")),
        "{discover}"
    );

    let new_result = ok_result(
        call(
            addr,
            "tools/call",
            json!({ "name": "echo", "arguments": { "text": "new" } }),
        )
        .await,
    )
    .await;
    assert_eq!(
        new_result,
        json!({ "content": text_content("new"), "resultType": "complete",
            "_meta": { SERVER_INFO_KEY: server_info() } }),
        "a call result has no caching hints"
    );

    // Lists and reads carry caching hints; a resource's own cache_ttl wins for a read.
    let tools = ok_result(call(addr, "tools/list", json!({})).await).await;
    assert_eq!(
        (&tools["resultType"], &tools["ttlMs"], &tools["cacheScope"]),
        (&json!("complete"), &json!(60_000), &json!("public")),
        "{tools}"
    );
    let read = ok_result(call(addr, "resources/read", json!({ "uri": "memo://a" })).await).await;
    assert_eq!(read["contents"][0]["text"], "memo a");
    assert_eq!(
        (&read["resultType"], &read["ttlMs"], &read["cacheScope"]),
        (&json!("complete"), &json!(300_000), &json!("public")),
        "{read}"
    );

    // The session still works after the stateless requests.
    let again = old.call_tool("echo", json!({ "text": "still" })).await;
    assert_eq!(again, json!({ "content": text_content("still") }));
}

// ---------------------------------------------------------------------------------------
// 2. Checks before dispatch: order and statuses
// ---------------------------------------------------------------------------------------

fn echo_call(id: i64, meta: Value) -> Value {
    request(
        json!(id),
        "tools/call",
        json!({ "name": "echo", "arguments": { "text": "x" }, "_meta": meta }),
    )
}

#[tokio::test]
async fn a_missing_protocol_version_header_is_a_header_mismatch() {
    let (_server, addr) = start().await;
    let body = echo_call(1, meta(json!({})));
    let response = post_edited(addr, &body, |h| set(h, "mcp-protocol-version", None)).await;
    let error = error_answer(response, 400, -32020).await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("MCP-Protocol-Version"),
        "{error}"
    );
}

#[tokio::test]
async fn missing_meta_fields_are_invalid_params_with_400() {
    let (_server, addr) = start().await;
    let no_capabilities = echo_call(2, json!({ VERSION_KEY: MODERN }));
    let response = post_edited(addr, &no_capabilities, |_| {}).await;
    let body = json_answer(response, 400).await;
    assert_eq!(body["id"], 2, "the refusal names the request: {body}");
    assert_eq!(body["error"]["code"], -32602, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains(CAPABILITIES_KEY),
        "{body}"
    );

    // A modern header with no _meta at all: the version field is the missing one.
    let no_meta = request(
        json!(4),
        "tools/call",
        json!({ "name": "echo", "arguments": { "text": "x" } }),
    );
    let response = post_edited(addr, &no_meta, |_| {}).await;
    let error = error_answer(response, 400, -32602).await;
    assert!(
        error["message"].as_str().unwrap().contains(VERSION_KEY),
        "{error}"
    );

    let capabilities_not_an_object =
        echo_call(3, json!({ VERSION_KEY: MODERN, CAPABILITIES_KEY: "all" }));
    let response = post_edited(addr, &capabilities_not_an_object, |_| {}).await;
    error_answer(response, 400, -32602).await;
}

#[tokio::test]
async fn a_version_header_disagreeing_with_meta_is_a_header_mismatch() {
    let (_server, addr) = start().await;
    let body = echo_call(1, meta(json!({})));
    let response = post_edited(addr, &body, |h| {
        set(h, "mcp-protocol-version", Some(SESSION_ERA))
    })
    .await;
    error_answer(response, 400, -32020).await;
}

#[tokio::test]
async fn an_unsupported_version_is_refused_with_what_is_supported() {
    let (_server, addr) = start().await;
    let body = echo_call(1, json!({ VERSION_KEY: "v999", CAPABILITIES_KEY: {} }));
    let response = post_edited(addr, &body, |h| {
        set(h, "mcp-protocol-version", Some("v999"))
    })
    .await;
    let error = error_answer(response, 400, -32022).await;
    assert_eq!(error["data"]["requested"], "v999", "{error}");
    let supported = error["data"]["supported"].as_array().expect("supported");
    assert!(supported.contains(&json!(MODERN)), "{error}");
    assert!(supported.contains(&json!(SESSION_ERA)), "{error}");

    // A 2025 revision in _meta (header agreeing) is not a stateless revision either.
    let body = echo_call(2, json!({ VERSION_KEY: SESSION_ERA, CAPABILITIES_KEY: {} }));
    let response = post_edited(addr, &body, |h| {
        set(h, "mcp-protocol-version", Some(SESSION_ERA))
    })
    .await;
    let error = error_answer(response, 400, -32022).await;
    assert_eq!(error["data"]["requested"], SESSION_ERA, "{error}");
}

#[tokio::test]
async fn routing_headers_must_agree_with_the_body() {
    let (_server, addr) = start().await;
    let body = echo_call(1, meta(json!({})));

    let wrong_method = post_edited(addr, &body, |h| set(h, "mcp-method", Some("tools/list"))).await;
    error_answer(wrong_method, 400, -32020).await;
    let no_method = post_edited(addr, &body, |h| set(h, "mcp-method", None)).await;
    error_answer(no_method, 400, -32020).await;
    let no_name = post_edited(addr, &body, |h| set(h, "mcp-name", None)).await;
    error_answer(no_name, 400, -32020).await;
    let wrong_name = post_edited(addr, &body, |h| set(h, "mcp-name", Some("regional"))).await;
    error_answer(wrong_name, 400, -32020).await;
    let bad_base64 = post_edited(addr, &body, |h| {
        set(h, "mcp-name", Some("=?base64?ZWNobw?="))
    })
    .await;
    error_answer(bad_base64, 400, -32020).await;

    // "echo" as =?base64?...?=
    let encoded = post_edited(addr, &body, |h| {
        set(h, "mcp-name", Some("=?base64?ZWNobw==?="))
    })
    .await;
    let result = ok_result(encoded).await;
    assert_eq!(result["content"], text_content("x"));

    // Mcp-Name of a read mirrors the uri.
    let read = request(
        json!(2),
        "resources/read",
        json!({ "uri": "memo://a", "_meta": meta(json!({})) }),
    );
    let wrong_uri = post_edited(addr, &read, |h| set(h, "mcp-name", Some("memo://b"))).await;
    error_answer(wrong_uri, 400, -32020).await;
}

#[tokio::test]
async fn removed_and_unknown_methods_are_404_method_not_found() {
    let (_server, addr) = start().await;
    for method in [
        "ping",
        "initialize",
        "logging/setLevel",
        "resources/subscribe",
        "resources/unsubscribe",
        "no/such/method",
    ] {
        let mut params = json!({ "_meta": meta(json!({})) });
        if method == "initialize" {
            params["protocolVersion"] = json!(MODERN);
            params["capabilities"] = json!({});
            params["clientInfo"] = json!({ "name": "t", "version": "1" });
        }
        let body = request(json!(7), method, params);
        let response = post_edited(addr, &body, |_| {}).await;
        assert_eq!(response.header("mcp-session-id"), None, "{method}");
        let body = json_answer(response, 404).await;
        assert_eq!(
            (&body["id"], &body["error"]["code"]),
            (&json!(7), &json!(-32601)),
            "{method}: {body}"
        );
    }
}

#[tokio::test]
async fn a_stateless_post_never_creates_a_session() {
    let (_server, addr) = start().await;
    for method in ["server/discover", "tools/list", "prompts/list"] {
        let response = call(addr, method, json!({})).await;
        assert_eq!(response.header("mcp-session-id"), None, "{method}");
        ok_result(response).await;
    }
}

// ---------------------------------------------------------------------------------------
// 3. Parameter headers
// ---------------------------------------------------------------------------------------

fn regional_call(region: &str) -> Value {
    request(
        json!(1),
        "tools/call",
        json!({ "name": "regional", "arguments": { "region": region, "amount": 3 },
            "_meta": meta(json!({})) }),
    )
}

#[tokio::test]
async fn tool_arguments_marked_as_headers_are_listed_and_must_be_mirrored() {
    let (_server, addr) = start().await;
    let tools = ok_result(call(addr, "tools/list", json!({})).await).await;
    let regional = tools["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "regional")
        .expect("regional is listed")
        .clone();
    let properties = &regional["inputSchema"]["properties"];
    assert_eq!(properties["region"]["x-mcp-header"], "Region", "{regional}");
    assert_eq!(properties["region"]["type"], "string", "{regional}");
    assert!(
        properties["amount"].get("x-mcp-header").is_none(),
        "{regional}"
    );

    let body = regional_call("eu-west");
    let matching = post_edited(addr, &body, |h| set(h, "mcp-param-region", Some("eu-west"))).await;
    assert_eq!(
        ok_result(matching).await["content"],
        text_content("3 in eu-west")
    );

    let mismatched =
        post_edited(addr, &body, |h| set(h, "mcp-param-region", Some("us-east"))).await;
    let error = error_answer(mismatched, 400, -32020).await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Mcp-Param-Region"),
        "{error}"
    );
    let missing = post_edited(addr, &body, |_| {}).await;
    error_answer(missing, 400, -32020).await;

    // "Zürich" cannot be a plain header value; base64 carries it.
    let body = regional_call("Zürich");
    let encoded = post_edited(addr, &body, |h| {
        set(h, "mcp-param-region", Some("=?base64?WsO8cmljaA==?="))
    })
    .await;
    assert_eq!(
        ok_result(encoded).await["content"],
        text_content("3 in Zürich")
    );
    let wrong = post_edited(addr, &body, |h| {
        set(h, "mcp-param-region", Some("=?base64?WnVyaWNo?="))
    })
    .await;
    error_answer(wrong, 400, -32020).await;
}

// ---------------------------------------------------------------------------------------
// 6. Per-request log level
// ---------------------------------------------------------------------------------------

fn chatty_call(extra_meta: Value) -> Value {
    let mut m = meta(json!({}));
    m["progressToken"] = json!("p");
    for (k, v) in extra_meta.as_object().unwrap() {
        m[k] = v.clone();
    }
    request(
        json!("c"),
        "tools/call",
        json!({ "name": "chatty", "arguments": {}, "_meta": m }),
    )
}

/// Reads an SSE answer to the end; returns every message.
async fn sse_messages(mut response: Response) -> Vec<Value> {
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(response.header("mcp-session-id"), None);
    let mut messages = Vec::new();
    while let Some(event) = response.next_event().await {
        if event.data.is_empty() {
            continue;
        }
        messages.push(event.json());
    }
    messages
}

fn progress_message() -> Value {
    json!({ "jsonrpc": "2.0", "method": "notifications/progress",
        "params": { "progressToken": "p", "progress": 1.0, "total": 1.0 } })
}

fn done_response() -> Value {
    json!({ "jsonrpc": "2.0", "id": "c", "result": { "content": text_content("done"),
        "resultType": "complete", "_meta": { SERVER_INFO_KEY: server_info() } } })
}

#[tokio::test]
async fn log_messages_reach_the_client_only_when_the_request_sets_a_level() {
    let (_server, addr) = start().await;

    let silent = post_edited(addr, &chatty_call(json!({})), |_| {}).await;
    assert_eq!(
        sse_messages(silent).await,
        vec![progress_message(), done_response()],
        "no notifications/message without _meta logLevel"
    );

    let body = chatty_call(json!({ LOG_LEVEL_KEY: "debug" }));
    let verbose = post_edited(addr, &body, |_| {}).await;
    let log = json!({ "jsonrpc": "2.0", "method": "notifications/message",
        "params": { "level": "info", "data": "working" } });
    assert_eq!(
        sse_messages(verbose).await,
        vec![log, progress_message(), done_response()]
    );

    let body = chatty_call(json!({ LOG_LEVEL_KEY: "error" }));
    let above = post_edited(addr, &body, |_| {}).await;
    assert_eq!(
        sse_messages(above).await,
        vec![progress_message(), done_response()],
        "info is below the requested level"
    );

    let body = chatty_call(json!({ LOG_LEVEL_KEY: "loud" }));
    let unknown = post_edited(addr, &body, |_| {}).await;
    error_answer(unknown, 400, -32602).await;
}

#[tokio::test]
async fn a_call_that_logs_nothing_the_client_wants_is_answered_as_json() {
    let (_server, addr) = start().await;
    let params = json!({ "name": "quiet_logger", "arguments": {} });
    let quiet = ok_result(call(addr, "tools/call", params.clone()).await).await;
    assert_eq!(quiet["content"], text_content("logged"));

    let mut params = with_meta(params, json!({}));
    params["_meta"][LOG_LEVEL_KEY] = json!("info");
    let body = request(json!("q"), "tools/call", params);
    let messages = sse_messages(post_edited(addr, &body, |_| {}).await).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(
        messages[0],
        json!({ "jsonrpc": "2.0", "method": "notifications/message",
            "params": { "level": "info", "data": "noted" } })
    );
    assert_eq!(messages[1]["result"]["content"], text_content("logged"));
}

// ---------------------------------------------------------------------------------------
// 7. subscriptions/listen
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_listener_hears_the_list_changes_it_asked_for_tagged_with_its_id() {
    let (server, addr) = start().await;
    let listen = request(
        json!("listen-1"),
        "subscriptions/listen",
        json!({ "notifications": { "toolsListChanged": true }, "_meta": meta(json!({})) }),
    );
    let mut stream = post_edited(addr, &listen, |_| {}).await;
    assert_eq!(stream.status, 200);
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    assert_eq!(stream.header("mcp-session-id"), None);
    let tag = json!({ SUBSCRIPTION_KEY: "listen-1" });
    assert_eq!(
        data(stream.next_event().await),
        json!({ "jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
            "params": { "notifications": { "toolsListChanged": true,
                "promptsListChanged": false, "resourcesListChanged": false,
                "resourceSubscriptions": [] }, "_meta": tag } })
    );

    // A prompt change first: not asked for, so the next event must be the tool change.
    let prompts = ok_result(
        call(
            addr,
            "tools/call",
            json!({ "name": "touch_prompts", "arguments": {} }),
        )
        .await,
    )
    .await;
    assert_eq!(prompts["content"], text_content("prompts touched"));
    let tools = ok_result(
        call(
            addr,
            "tools/call",
            json!({ "name": "touch_tools", "arguments": {} }),
        )
        .await,
    )
    .await;
    assert_eq!(tools["content"], text_content("tools touched"));
    let changed = json!({ "jsonrpc": "2.0", "method": "notifications/tools/list_changed",
        "params": { "_meta": tag } });
    assert_eq!(data(stream.next_event().await), changed);

    // Disabling a tool on the running server is heard too, and the list reflects it.
    assert!(server.set_enabled(BindingKind::Tool, "echo", false).await);
    assert_eq!(data(stream.next_event().await), changed);
    let listed = ok_result(call(addr, "tools/list", json!({})).await).await;
    assert!(
        !listed["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "echo"),
        "{listed}"
    );
    // Changing nothing announces nothing; enabling it again does.
    assert!(server.set_enabled(BindingKind::Tool, "echo", false).await);
    assert!(server.set_enabled(BindingKind::Tool, "echo", true).await);
    assert_eq!(data(stream.next_event().await), changed);
    drop(stream);
}

#[tokio::test]
async fn a_listener_for_prompts_does_not_hear_tool_changes() {
    let (_server, addr) = start().await;
    let listen = request(
        json!(42),
        "subscriptions/listen",
        json!({ "notifications": { "promptsListChanged": true }, "_meta": meta(json!({})) }),
    );
    let mut stream = post_edited(addr, &listen, |_| {}).await;
    let ack = data(stream.next_event().await);
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(ack["params"]["_meta"][SUBSCRIPTION_KEY], 42);
    for tool in ["touch_tools", "touch_prompts"] {
        ok_result(call(addr, "tools/call", json!({ "name": tool, "arguments": {} })).await).await;
    }
    assert_eq!(
        data(stream.next_event().await),
        json!({ "jsonrpc": "2.0", "method": "notifications/prompts/list_changed",
            "params": { "_meta": { SUBSCRIPTION_KEY: 42 } } })
    );
}

// ---------------------------------------------------------------------------------------
// 8. stdio
// ---------------------------------------------------------------------------------------

/// A server on in-memory pipes, spoken to line by line.
struct Pipe {
    to_server: tokio::io::DuplexStream,
    from_server: tokio::io::Lines<BufReader<tokio::io::DuplexStream>>,
}

impl Pipe {
    fn connect(server: McpServer) -> Pipe {
        let (to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        tokio::spawn(server.serve_io(server_in, server_out));
        Pipe {
            to_server,
            from_server: BufReader::new(from_server).lines(),
        }
    }

    /// Sends a request and returns its response (other messages are skipped).
    async fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        let line = request(json!(id), method, params).to_string() + "\n";
        self.to_server.write_all(line.as_bytes()).await.unwrap();
        loop {
            let line = tokio::time::timeout(http::READ_WAIT, self.from_server.next_line())
                .await
                .expect("the server answered in time")
                .unwrap()
                .expect("a response");
            let message: Value = serde_json::from_str(&line).unwrap();
            if message.get("method").is_none() && message["id"] == id {
                return message;
            }
        }
    }
}

#[tokio::test]
async fn stdio_serves_the_stateless_era_then_a_session_on_the_same_connection() {
    let mut pipe = Pipe::connect(build());

    let discover = pipe
        .request(1, "server/discover", json!({ "_meta": meta(json!({})) }))
        .await;
    let result = &discover["result"];
    assert!(
        result["supportedVersions"]
            .as_array()
            .unwrap()
            .contains(&json!(MODERN)),
        "{discover}"
    );
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["_meta"][SERVER_INFO_KEY], server_info());

    let echoed = pipe
        .request(
            2,
            "tools/call",
            with_meta(
                json!({ "name": "echo", "arguments": { "text": "pipe" } }),
                json!({}),
            ),
        )
        .await;
    assert_eq!(
        echoed,
        json!({ "jsonrpc": "2.0", "id": 2, "result": { "content": text_content("pipe"),
            "resultType": "complete", "_meta": { SERVER_INFO_KEY: server_info() } } })
    );

    let read = pipe
        .request(
            3,
            "resources/read",
            with_meta(json!({ "uri": "memo://b" }), json!({})),
        )
        .await;
    assert_eq!(read["result"]["contents"][0]["text"], "memo b", "{read}");
    assert_eq!(read["result"]["ttlMs"], 300_000, "{read}");

    for (id, uri) in [(4, "memo://missing"), (5, "nothing://here")] {
        let missing = pipe
            .request(
                id,
                "resources/read",
                with_meta(json!({ "uri": uri }), json!({})),
            )
            .await;
        assert_eq!(missing["error"]["code"], -32602, "{missing}");
        assert_eq!(missing["error"]["data"], json!({ "uri": uri }), "{missing}");
    }

    let ping = pipe
        .request(6, "ping", json!({ "_meta": meta(json!({})) }))
        .await;
    assert_eq!(ping["error"]["code"], -32601, "{ping}");
    let no_capabilities = pipe
        .request(7, "tools/list", json!({ "_meta": { VERSION_KEY: MODERN } }))
        .await;
    assert_eq!(
        no_capabilities["error"]["code"], -32602,
        "{no_capabilities}"
    );
    let future = pipe
        .request(
            8,
            "tools/list",
            json!({ "_meta": { VERSION_KEY: "v999", CAPABILITIES_KEY: {} } }),
        )
        .await;
    assert_eq!(future["error"]["code"], -32022, "{future}");
    assert_eq!(future["error"]["data"]["requested"], "v999", "{future}");

    // Without _meta and before initialize, a 2025 request is refused...
    let early = pipe.request(9, "tools/list", json!({})).await;
    assert_eq!(early["error"]["code"], -32600, "{early}");
    // ...and initialize still starts the 2025 era on this connection.
    let hello = json!({ "protocolVersion": SESSION_ERA, "capabilities": {},
        "clientInfo": { "name": "t", "version": "1" } });
    let init = pipe.request(10, "initialize", hello).await;
    assert_eq!(init["result"]["protocolVersion"], SESSION_ERA, "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "stateless-era");
    let line =
        json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }).to_string() + "\n";
    pipe.to_server.write_all(line.as_bytes()).await.unwrap();
    let old = pipe
        .request(
            11,
            "tools/call",
            json!({ "name": "echo", "arguments": { "text": "session" } }),
        )
        .await;
    assert_eq!(
        old,
        json!({ "jsonrpc": "2.0", "id": 11, "result": { "content": text_content("session") } })
    );
    // A stateless request still works after the handshake.
    let after = pipe
        .request(
            12,
            "tools/call",
            with_meta(
                json!({ "name": "echo", "arguments": { "text": "again" } }),
                json!({}),
            ),
        )
        .await;
    assert_eq!(after["result"]["resultType"], "complete", "{after}");
}
