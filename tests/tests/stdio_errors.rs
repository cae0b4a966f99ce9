//! Every error of DESIGN.md section 3 that applies to stdio, seen on the wire: the fixture
//! server runs as a child process and is driven over real pipes.

use mcp_tests::McpProcess;
use serde_json::{Value, json};
use std::path::Path;

fn fixture() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_fixture_server"))
}

async fn server() -> McpProcess {
    McpProcess::initialized(fixture(), "2025-11-25").await
}

async fn call(server: &mut McpProcess, name: &str, arguments: Value) -> Value {
    server
        .result(
            "tools/call",
            json!({ "name": name, "arguments": arguments }),
        )
        .await
}

fn error_text(result: &Value) -> &str {
    assert_eq!(result["isError"], true, "{result}");
    result["content"][0]["text"].as_str().expect("text content")
}

#[tokio::test]
async fn protocol_errors_have_their_codes() {
    let mut server = server().await;
    server.send_line("not json at all").await;
    assert_eq!(server.receive().await.unwrap()["error"]["code"], -32700);
    server.send_line(r#"{"jsonrpc":"2.0","id":5}"#).await;
    let shapeless = server.receive().await.unwrap();
    assert_eq!(
        (shapeless["error"]["code"].clone(), shapeless["id"].clone()),
        (json!(-32600), json!(5))
    );
    server
        .send_line(r#"[{"jsonrpc":"2.0","id":6,"method":"ping"}]"#)
        .await;
    assert_eq!(server.receive().await.unwrap()["error"]["code"], -32600);
    server
        .send_line(r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":"echo"}"#)
        .await;
    let not_object = server.receive().await.unwrap();
    assert_eq!(
        (
            not_object["error"]["code"].clone(),
            not_object["id"].clone()
        ),
        (json!(-32602), json!(7))
    );
    assert_eq!(
        server
            .error("resources/watch", json!({ "uri": "x://y" }))
            .await["code"],
        -32601
    );
    assert_eq!(
        server.error("tools/call", json!({ "arguments": {} })).await["code"],
        -32602,
        "name missing"
    );
    assert_eq!(
        server.error("resources/read", json!({})).await["code"],
        -32602,
        "uri missing"
    );
    let unknown_prompt = server.error("prompts/get", json!({ "name": "nope" })).await;
    assert_eq!(
        unknown_prompt,
        json!({ "code": -32602, "message": "Unknown prompt: nope" })
    );
    assert_eq!(
        server
            .error("logging/setLevel", json!({ "level": "loud" }))
            .await["code"],
        -32602
    );
}

#[tokio::test]
async fn requests_before_initialize_and_duplicate_ids_are_invalid_requests() {
    let mut server = McpProcess::spawn(fixture());
    let early = server.error("tools/list", json!({})).await;
    assert_eq!(early["code"], -32600);
    assert!(
        early["message"]
            .as_str()
            .unwrap()
            .contains("send `initialize` first"),
        "{early}"
    );
    assert_eq!(
        server.result("ping", json!({})).await,
        json!({}),
        "ping is allowed before initialize"
    );
    server.initialize("2025-06-18").await;
    assert_eq!(
        server
            .error("initialize", json!({ "protocolVersion": "2025-06-18" }))
            .await["code"],
        -32600
    );

    let first = json!({ "jsonrpc": "2.0", "id": "dup", "method": "tools/call", "params": { "name": "sleep", "arguments": { "ms": 300 } } });
    let second = json!({ "jsonrpc": "2.0", "id": "dup", "method": "ping" });
    server.send_line(&first.to_string()).await;
    server.send_line(&second.to_string()).await;
    let refused = server.receive().await.unwrap();
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    let finished = server.receive().await.unwrap();
    assert_eq!(finished["result"]["content"][0]["text"], "slept 300ms");
}

#[tokio::test]
async fn schema_failures_are_tool_errors_naming_each_path_without_echoing_input() {
    let mut server = server().await;
    let result = call(
        &mut server,
        "search",
        json!({ "limit": 99, "currency": "usd", "order": "sideways", "extra": "SECRET" }),
    )
    .await;
    let text = error_text(&result);
    for expected in [
        "expected a number <= 50 at /limit",
        "expected a string matching /^[A-Z]{3}$/ at /currency",
        "expected one of [\"asc\",\"desc\"] at /order",
        "unexpected property \"extra\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    assert!(
        !text.contains("usd") && !text.contains("SECRET") && !text.contains("sideways"),
        "input echoed: {text}"
    );
    let wrong_type = call(&mut server, "echo", json!({ "text": 5 })).await;
    assert!(error_text(&wrong_type).contains("expected a string at /text"));
    let missing_arguments = server.result("tools/call", json!({ "name": "echo" })).await;
    assert!(
        error_text(&missing_arguments).contains("missing required property \"text\""),
        "missing arguments mean {{}}"
    );
    let fine = call(
        &mut server,
        "search",
        json!({ "limit": 3, "currency": "EUR", "order": "asc" }),
    )
    .await;
    assert_eq!(fine["content"][0]["text"], "3 results in EUR, ascending");
}

#[tokio::test]
async fn service_errors_are_tool_errors_with_their_type_and_detail() {
    let mut server = server().await;
    let failed = call(&mut server, "fails", json!({})).await;
    let body: Value = serde_json::from_str(error_text(&failed)).unwrap();
    assert_eq!(
        body,
        json!({ "error": { "type": "service_error", "message": "the backend is down", "detail": { "retry": true } } })
    );
    let rejected = call(&mut server, "rejects", json!({ "start": 5, "end": 1 })).await;
    let body: Value = serde_json::from_str(error_text(&rejected)).unwrap();
    assert_eq!(
        body,
        json!({ "error": { "type": "validation_error", "message": "end is before start", "detail": { "field": "end" } } })
    );
}

#[tokio::test]
async fn permission_denials_carry_the_required_scopes() {
    let mut server = server().await;
    let denied = server
        .error("tools/call", json!({ "name": "forbidden" }))
        .await;
    assert_eq!(
        denied,
        json!({ "code": -32006, "message": "permission denied", "data": { "requiredScopes": [] } })
    );
    let scoped = server
        .error("tools/call", json!({ "name": "admin_only" }))
        .await;
    assert_eq!(scoped["code"], -32006);
    assert_eq!(scoped["data"]["requiredScopes"], json!(["admin"]));
    let custom = server
        .error("tools/call", json!({ "name": "reports" }))
        .await;
    assert_eq!(custom["data"]["requiredScopes"], json!(["reports:read"]));
}

#[tokio::test]
async fn rate_limits_refuse_with_retry_after() {
    let mut server = server().await;
    for _ in 0..2 {
        assert_eq!(
            call(&mut server, "limited", json!({})).await["content"][0]["text"],
            "ok"
        );
    }
    let limited = server
        .error("tools/call", json!({ "name": "limited" }))
        .await;
    assert_eq!(limited["code"], -32005);
    let retry_after = limited["data"]["retryAfter"]
        .as_u64()
        .expect("retryAfter in seconds");
    assert!((1..=60).contains(&retry_after), "{limited}");
    // Another binding has its own counter.
    assert_eq!(
        call(&mut server, "echo", json!({ "text": "still here" })).await["content"][0]["text"],
        "still here"
    );
}

#[tokio::test]
async fn panics_are_internal_errors_and_the_server_keeps_serving() {
    let mut server = server().await;
    let tool = server
        .error("tools/call", json!({ "name": "explode" }))
        .await;
    assert_eq!(tool["code"], -32603);
    assert!(
        !tool["message"].as_str().unwrap().contains("always panics"),
        "panic text stays server-side: {tool}"
    );
    let resource = server
        .error("resources/read", json!({ "uri": "broken://always" }))
        .await;
    assert_eq!(resource["code"], -32603);
    assert_eq!(
        call(&mut server, "blocking_len", json!({ "text": "four" })).await["content"][0]["text"],
        "4"
    );
    assert_eq!(server.result("ping", json!({})).await, json!({}));
}

#[tokio::test]
async fn a_tool_over_its_timeout_is_cancelled_with_an_error_result() {
    let mut server = server().await;
    let started = std::time::Instant::now();
    let result = call(&mut server, "overrun", json!({})).await;
    assert!(
        error_text(&result).contains("timed out after 0.1s"),
        "{result}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[tokio::test]
async fn resources_not_found_and_template_variables() {
    let mut server = server().await;
    let unmatched = server
        .error("resources/read", json!({ "uri": "nothing://here" }))
        .await;
    assert_eq!(
        unmatched,
        json!({ "code": -32002, "message": "Resource not found: nothing://here", "data": { "uri": "nothing://here" } })
    );
    let gone = server
        .error("resources/read", json!({ "uri": "missing://42" }))
        .await;
    assert_eq!(gone["code"], -32002);
    let bad_variable = server
        .error("resources/read", json!({ "uri": "missing://abc" }))
        .await;
    assert_eq!(bad_variable["code"], -32602);
    assert!(
        bad_variable["message"].as_str().unwrap().contains("`id`"),
        "{bad_variable}"
    );
    let file = server
        .result(
            "resources/read",
            json!({ "uri": "file:///etc/app/config.toml" }),
        )
        .await;
    assert_eq!(
        file["contents"][0]["text"],
        "contents of etc/app/config.toml"
    );
}

#[tokio::test]
async fn prompts_name_every_missing_required_argument() {
    let mut server = server().await;
    let missing = server
        .error(
            "prompts/get",
            json!({ "name": "greet", "arguments": { "style": "warm" } }),
        )
        .await;
    assert_eq!(missing["code"], -32602);
    assert_eq!(missing["message"], "missing required arguments: name, tone");
    let not_strings = server
        .error(
            "prompts/get",
            json!({ "name": "greet", "arguments": { "name": 5 } }),
        )
        .await;
    assert_eq!(not_strings["code"], -32602);
    let rendered = server
        .result(
            "prompts/get",
            json!({ "name": "greet", "arguments": { "name": "Ada", "tone": "calm" } }),
        )
        .await;
    assert_eq!(
        rendered["messages"][0]["content"]["text"],
        "Greet Ada in a plain and calm way"
    );
}

#[tokio::test]
async fn completions_are_capped_at_100_and_unknown_arguments_refused() {
    let mut server = server().await;
    let reference = json!({ "type": "ref/prompt", "name": "greet" });
    let capped = server
        .result(
            "completion/complete",
            json!({ "ref": reference, "argument": { "name": "style", "value": "s" } }),
        )
        .await;
    assert_eq!(
        capped["completion"]["values"].as_array().unwrap().len(),
        100
    );
    assert_eq!(
        (
            capped["completion"]["total"].clone(),
            capped["completion"]["hasMore"].clone()
        ),
        (json!(150), json!(true))
    );
    let none = server
        .result(
            "completion/complete",
            json!({ "ref": reference, "argument": { "name": "name", "value": "A" } }),
        )
        .await;
    assert_eq!(none["completion"]["values"], json!([]));
    let unknown = server
        .error(
            "completion/complete",
            json!({ "ref": reference, "argument": { "name": "colour", "value": "" } }),
        )
        .await;
    assert_eq!(unknown["code"], -32602);
}

#[tokio::test]
async fn pages_follow_opaque_cursors_and_bad_cursors_are_invalid_params() {
    let mut server = server().await;
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let params = cursor
            .as_ref()
            .map_or_else(|| json!({}), |c| json!({ "cursor": c }));
        let page = server.result("tools/list", params).await;
        let tools = page["tools"].as_array().unwrap();
        assert!(tools.len() <= 5);
        names.extend(tools.iter().map(|t| t["name"].as_str().unwrap().to_owned()));
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 15);
    let bad = server
        .error("tools/list", json!({ "cursor": "bm90IGEgY3Vyc29y" }))
        .await;
    assert_eq!(bad["code"], -32602);
}

#[tokio::test]
async fn progress_and_log_messages_honour_the_token_and_the_level() {
    let mut server = server().await;
    server
        .result("logging/setLevel", json!({ "level": "warning" }))
        .await;
    let id = server
        .send_request(
            "tools/call",
            json!({ "name": "chatty", "_meta": { "progressToken": "tok" } }),
        )
        .await;
    let done = server.response_to(&json!(id)).await;
    assert_eq!(done["result"]["content"][0]["text"], "done");
    let progress: Vec<&Value> = server
        .backlog
        .iter()
        .filter(|m| m["method"] == "notifications/progress")
        .collect();
    assert_eq!(
        progress[0]["params"],
        json!({ "progressToken": "tok", "progress": 1.0, "total": 2.0, "message": "half way" })
    );
    let levels: Vec<&Value> = server
        .backlog
        .iter()
        .filter(|m| m["method"] == "notifications/message")
        .map(|m| &m["params"]["level"])
        .collect();
    assert_eq!(levels, [&json!("warning"), &json!("error")]);

    server.backlog.clear();
    let id = server
        .send_request("tools/call", json!({ "name": "chatty" }))
        .await;
    server.response_to(&json!(id)).await;
    assert!(
        server
            .backlog
            .iter()
            .all(|m| m["method"] != "notifications/progress"),
        "no token, no progress"
    );
}

#[tokio::test]
async fn structured_output_follows_the_negotiated_revision() {
    let mut modern = McpProcess::initialized(fixture(), "2025-06-18").await;
    let result = call(&mut modern, "stats", json!({ "values": [1, 2, 3] })).await;
    assert_eq!(
        result["structuredContent"],
        json!({ "mean": 2.0, "count": 3 })
    );
    let tools = modern.list_all("tools/list", "tools").await;
    let stats = tools
        .iter()
        .find(|t| t["name"] == "stats")
        .expect("stats is listed");
    assert_eq!(stats["outputSchema"]["required"], json!(["mean", "count"]));
    assert_eq!(stats["outputSchema"]["type"], "object");
    let mut older = McpProcess::initialized(fixture(), "2025-03-26").await;
    let result = call(&mut older, "stats", json!({ "values": [1, 2, 3] })).await;
    assert!(result.get("structuredContent").is_none(), "{result}");
    assert_eq!(result["content"][0]["text"], r#"{"count":3,"mean":2.0}"#);
}

#[tokio::test]
async fn the_server_asks_the_client_over_the_same_pipe() {
    let mut server = McpProcess::spawn(fixture());
    let hello = json!({ "protocolVersion": "2025-11-25", "capabilities": { "roots": {} }, "clientInfo": { "name": "t", "version": "0" } });
    server.result("initialize", hello).await;
    let request = server
        .send_request("tools/call", json!({ "name": "client_roots" }))
        .await;
    let asked = loop {
        let message = server.receive().await.expect("the server asks for roots");
        if message["method"] == "roots/list" {
            break message;
        }
    };
    let answer = json!({ "jsonrpc": "2.0", "id": asked["id"], "result": { "roots": [{ "uri": "file:///work", "name": "work" }, { "uri": "file:///tmp" }] } });
    server.send_line(&answer.to_string()).await;
    let done = server.response_to(&json!(request)).await;
    assert_eq!(
        done["result"]["content"][0]["text"],
        "file:///work,file:///tmp"
    );

    let mut unable = self::server().await;
    let refused = call(&mut unable, "client_roots", json!({})).await;
    let body: Value = serde_json::from_str(error_text(&refused)).unwrap();
    assert_eq!(
        body["error"]["message"],
        "the client does not support `roots`"
    );
}
