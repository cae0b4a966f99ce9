//! Building servers from the link-time registry, through the public API and the in-process
//! test client: duplicates, filters, hand-built bindings, state, guards, return shapes.

use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{
    Arguments, BindingKind, CompletionRequest, Error, Principal, ResourceBinding, ResourceRequest,
    ToolBinding, scopes,
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

#[test]
fn two_bindings_with_one_name_fail_the_build_naming_both_locations() {
    let error = McpServer::builder("test", "1.0").build().unwrap_err();
    let Error::DuplicateBinding {
        kind,
        name,
        first,
        second,
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!((*kind, name.as_str()), ("tool", "clash"));
    assert!(
        first.contains("tests/registry.rs:") && second.contains("tests/registry.rs:"),
        "{first} / {second}"
    );
    assert_ne!(first, second);
    let message = error.to_string();
    assert!(
        message.contains("rename one") && message.contains(first) && message.contains(second),
        "{message}"
    );

    let by_hand = ToolBinding::new("charge", |_: Arguments, _: Context| async { "again" });
    let error = only_tag("money").tool(by_hand).build().unwrap_err();
    assert!(
        error.to_string().contains("a binding registered by hand"),
        "{error}"
    );
}

#[tokio::test]
async fn filters_select_by_module_tag_and_name() {
    let server = McpServer::builder("billing", "1.0")
        .filter(|b| b.in_module("registry::billing"))
        .build()
        .unwrap();
    assert_eq!(server.tool_names(), ["charge"]);
    let server = only_tag("money").build().unwrap();
    assert_eq!(server.tool_names(), ["charge", "refund"]);
    let server = McpServer::builder("one", "1.0")
        .filter(|b| b.kind() == BindingKind::Tool && b.name() == "open_ticket")
        .build()
        .unwrap();
    assert_eq!(server.tool_names(), ["open_ticket"]);
    // `in_module` matches whole path segments, not prefixes of names.
    let server = McpServer::builder("none", "1.0")
        .filter(|b| b.in_module("registry::bill"))
        .build()
        .unwrap();
    assert!(server.tool_names().is_empty());
}

#[tokio::test]
async fn hand_built_tools_are_validated_like_macro_ones() {
    let echo = ToolBinding::new("echo", |mut args: Arguments, _: Context| async move { args.take::<String>("text") })
        .description("Echo.")
        .input_schema(json!({ "type": "object", "properties": { "text": { "type": "string", "minLength": 2 } }, "required": ["text"] }));
    let server = McpServer::builder("manual", "1.0")
        .filter(|b| b.module_path().is_none())
        .tool(echo)
        .build()
        .unwrap();
    let client = TestClient::connect(&server).await;
    assert_eq!(
        client
            .call_tool("echo", json!({ "text": "hi" }))
            .await
            .unwrap()
            .text(),
        Some("hi")
    );
    let short = client
        .call_tool("echo", json!({ "text": "h" }))
        .await
        .unwrap();
    assert!(
        short.is_error
            && short
                .text()
                .unwrap()
                .contains("at least 2 characters at /text"),
        "{short:?}"
    );
    let listed = client.list_tools().await.unwrap();
    assert_eq!(listed[0]["description"], "Echo.");
}

#[test]
fn invalid_hand_built_bindings_and_missing_state_fail_the_build() {
    let nameless = ToolBinding::new("has space", |_: Arguments, _: Context| async { "x" });
    let error = only_tag("none").tool(nameless).build().unwrap_err();
    assert!(
        error.to_string().contains("not a valid tool name"),
        "{error}"
    );
    let arrays = ToolBinding::new("arrays", |_: Arguments, _: Context| async { "x" })
        .input_schema(json!({ "type": "array" }));
    let error = only_tag("none").tool(arrays).build().unwrap_err();
    assert!(
        error.to_string().contains("must describe an object"),
        "{error}"
    );
    let template = ResourceBinding::new("bad", "x://{id", |_: ResourceRequest, _: Context| async {
        "x"
    });
    let error = only_tag("none").resource(template).build().unwrap_err();
    assert!(error.to_string().contains("does not parse"), "{error}");
    let error = only_tag("stateful").build().unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("State<registry::Counter>") && message.contains(".state(value)"),
        "{message}"
    );
}

#[tokio::test]
async fn state_and_context_are_injected() {
    let server = only_tag("stateful")
        .state(Counter(Default::default()))
        .build()
        .unwrap();
    let client = TestClient::connect(&server).await;
    assert_eq!(
        client.call_tool("bump", json!({})).await.unwrap().text(),
        Some("1 at 2025-11-25")
    );
    assert_eq!(
        client.call_tool("bump", json!({})).await.unwrap().text(),
        Some("2 at 2025-11-25")
    );
    let tools = client.list_tools().await.unwrap();
    assert_eq!(
        tools[0]["inputSchema"],
        json!({ "type": "object", "properties": {}, "additionalProperties": false })
    );
}

#[tokio::test]
async fn scope_permissions_see_the_principal() {
    let server = only_tag("guarded").build().unwrap();
    let anonymous = TestClient::connect(&server).await;
    let denied = anonymous
        .call_tool("admin_report", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (denied.code, denied.data.clone()),
        (-32006, Some(json!({ "requiredScopes": ["admin"] })))
    );
    let admin =
        TestClient::connect_as(&server, Some(Principal::new("ada").with_scopes(["admin"]))).await;
    assert_eq!(
        admin
            .call_tool("admin_report", json!({}))
            .await
            .unwrap()
            .text(),
        Some("secret numbers")
    );
}

#[tokio::test]
async fn return_shapes_render_as_declared() {
    let server = only_tag("shapes").build().unwrap();
    let client = TestClient::connect(&server).await;
    let points = client.call_tool("points", json!({})).await.unwrap();
    assert_eq!(points.text(), Some(r#"[{"x":1},{"x":2}]"#));
    assert!(
        points.structured_content.is_none(),
        "the 2025 era allows only object structured content"
    );
    let tools = client.list_tools().await.unwrap();
    let listed = tools.iter().find(|t| t["name"] == "points").unwrap();
    assert!(
        listed.get("outputSchema").is_none(),
        "a non-object output schema is not advertised: {listed}"
    );
    let blocks = client.call_tool("blocks", json!({})).await.unwrap();
    assert_eq!(
        serde_json::to_value(&blocks.content).unwrap()[1],
        json!({ "type": "image", "data": "AAE=", "mimeType": "image/png" })
    );
    let blob = client.read_resource("bytes://blob").await.unwrap();
    assert_eq!(
        serde_json::to_value(&blob.contents[0]).unwrap(),
        json!({ "uri": "bytes://blob", "mimeType": "application/octet-stream", "blob": "AJ//" })
    );
}

#[tokio::test]
async fn fixed_uris_win_over_templates_and_specific_templates_over_general_ones() {
    let server = only_tag("routing").build().unwrap();
    let client = TestClient::connect(&server).await;
    let text = |r: mcp_runtime::ReadResourceResult| r.contents[0].as_text().unwrap().to_owned();
    assert_eq!(
        text(client.read_resource("pages://home").await.unwrap()),
        "fixed"
    );
    assert_eq!(
        text(client.read_resource("pages://about").await.unwrap()),
        "page about"
    );
    assert_eq!(
        text(client.read_resource("pages://about/history").await.unwrap()),
        "history of about"
    );
    let templates = client.list_resource_templates().await.unwrap();
    let uris: Vec<&Value> = templates.iter().map(|t| &t["uriTemplate"]).collect();
    assert_eq!(
        uris,
        [&json!("pages://{slug}/history"), &json!("pages://{slug}")]
    );
    assert_eq!(
        client.list_resources().await.unwrap()[0]["uri"],
        "pages://home"
    );
}

#[tokio::test]
async fn binding_level_async_completion_covers_every_argument() {
    let server = only_tag("routing").build().unwrap();
    let client = TestClient::connect(&server).await;
    let values = client
        .complete_prompt_argument("paint", "colour", "g")
        .await
        .unwrap();
    assert_eq!(values.values, ["green"]);
    let values = client
        .complete_prompt_argument("paint", "thing", "")
        .await
        .unwrap();
    assert_eq!(values.values.len(), 3);
    let prompts = client.list_prompts().await.unwrap();
    assert_eq!(
        prompts[0]["arguments"][1],
        json!({ "name": "colour", "required": true })
    );
}

#[tokio::test]
async fn the_test_client_collects_progress_and_logs() {
    let server = only_tag("chatty").build().unwrap();
    let client = TestClient::connect(&server).await;
    client
        .request(
            "tools/call",
            json!({ "name": "steps", "_meta": { "progressToken": 1 } }),
        )
        .await
        .unwrap();
    let methods: Vec<Value> = client
        .take_notifications()
        .await
        .iter()
        .map(|n| n["method"].clone())
        .collect();
    assert_eq!(
        methods,
        [
            json!("notifications/progress"),
            json!("notifications/progress")
        ],
        "debug logs are below the default level"
    );
    client
        .request("logging/setLevel", json!({ "level": "debug" }))
        .await
        .unwrap();
    client
        .request("tools/call", json!({ "name": "steps" }))
        .await
        .unwrap();
    let notes = client.take_notifications().await;
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(
        notes[1]["params"],
        json!({ "level": "debug", "data": { "step": 2 } })
    );
    let uninitialized = TestClient::connect_uninitialized(&server, None);
    assert_eq!(uninitialized.list_tools().await.unwrap_err().code, -32600);
}

#[tokio::test]
async fn subscribed_sessions_hear_about_updates_and_others_do_not() {
    let server = only_tag("routing").build().unwrap();
    let watcher = TestClient::connect(&server).await;
    let bystander = TestClient::connect(&server).await;
    let subscribed = watcher
        .request("resources/subscribe", json!({ "uri": "pages://home" }))
        .await;
    assert_eq!(subscribed.unwrap(), json!({}));
    server.notify_resource_updated("pages://home").await;
    server.notify_resource_updated("pages://elsewhere").await;
    let heard = watcher.take_notifications().await;
    let expected = json!({ "jsonrpc": "2.0", "method": "notifications/resources/updated", "params": { "uri": "pages://home" } });
    assert_eq!(heard, [expected]);
    assert!(bystander.take_notifications().await.is_empty());
    watcher
        .request("resources/unsubscribe", json!({ "uri": "pages://home" }))
        .await
        .unwrap();
    server.notify_resource_updated("pages://home").await;
    assert!(watcher.take_notifications().await.is_empty());
}

#[tokio::test]
async fn disabled_bindings_leave_their_list_and_clients_hear_about_it() {
    let server = only_tag("money").build().unwrap();
    let client = TestClient::connect(&server).await;
    assert!(server.set_enabled(BindingKind::Tool, "refund", false).await);
    assert_eq!(server.tool_names(), ["charge"]);
    let listed: Vec<Value> = client
        .list_tools()
        .await
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(listed, [json!("charge")]);
    let gone = client
        .call_tool("refund", json!({ "cents": 5 }))
        .await
        .unwrap_err();
    assert_eq!(gone.message, "Unknown tool: refund");
    let heard = client.take_notifications().await;
    assert_eq!(
        heard,
        [json!({ "jsonrpc": "2.0", "method": "notifications/tools/list_changed", "params": {} })]
    );

    assert!(
        !server
            .set_enabled(BindingKind::Tool, "no-such-tool", false)
            .await
    );
    assert!(
        server.set_enabled(BindingKind::Tool, "refund", false).await,
        "disabling twice is fine"
    );
    assert!(
        client.take_notifications().await.is_empty(),
        "nothing changed, nothing sent"
    );
    server.set_enabled(BindingKind::Tool, "refund", true).await;
    assert_eq!(
        client
            .call_tool("refund", json!({ "cents": 5 }))
            .await
            .unwrap()
            .text(),
        Some("refunded 5")
    );
}

#[tokio::test]
async fn stateless_reads_carry_the_resources_own_cache_ttl() {
    let server = only_tag("cached")
        .cache_hint(std::time::Duration::from_secs(2), true)
        .build()
        .unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let meta = json!({ "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} });
    let send = |method: &str, params: Value| {
        let message = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let client = &client;
        async move {
            serde_json::from_str::<Value>(
                &client
                    .send_raw(message.to_string().as_bytes())
                    .await
                    .unwrap(),
            )
            .unwrap()
        }
    };
    let read = send(
        "resources/read",
        json!({ "uri": "docs://handbook", "_meta": meta }),
    )
    .await;
    assert_eq!(
        (
            read["result"]["ttlMs"].clone(),
            read["result"]["cacheScope"].clone()
        ),
        (json!(300_000), json!("public"))
    );
    let listed = send("resources/list", json!({ "_meta": meta })).await;
    assert_eq!(
        listed["result"]["ttlMs"], 2000,
        "lists use the server's hint"
    );
    assert_eq!(listed["result"]["resultType"], "complete");
}
