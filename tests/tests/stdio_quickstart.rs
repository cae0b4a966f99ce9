//! The quickstart example as a child process over real pipes: a full session as a stock
//! client would drive it.

use mcp_tests::{McpProcess, quickstart_binary};
use serde_json::{Value, json};
use std::time::Duration;

async fn quickstart() -> McpProcess {
    McpProcess::initialized(&quickstart_binary(), "2025-11-25").await
}

fn names(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["name"].as_str().expect("a name"))
        .collect()
}

#[tokio::test]
async fn a_full_session_lists_calls_reads_gets_and_completes() {
    let mut server = McpProcess::spawn(&quickstart_binary());
    let hello = server.initialize("2025-11-25").await;
    let result = &hello["result"];
    assert_eq!(result["protocolVersion"], "2025-11-25");
    assert_eq!(result["serverInfo"]["name"], "quickstart");
    for capability in ["tools", "resources", "prompts", "completions", "logging"] {
        assert!(
            result["capabilities"].get(capability).is_some(),
            "{capability} missing from {result}"
        );
    }
    server.notify("notifications/initialized", json!({})).await;
    assert_eq!(server.result("ping", json!({})).await, json!({}));

    let tools = server.result("tools/list", json!({})).await;
    // Sorted by name; `server.build_info` comes from a library crate the binary links.
    assert_eq!(
        names(&tools["tools"]),
        ["add", "count_slowly", "server.build_info", "word_count"]
    );
    let add = &tools["tools"][0];
    assert_eq!(add["inputSchema"]["required"], json!(["a", "b"]));
    assert_eq!(
        add["inputSchema"]["properties"]["a"]["description"],
        "the first addend"
    );
    assert_eq!(add["annotations"]["readOnlyHint"], true);

    let sum = server
        .result(
            "tools/call",
            json!({ "name": "add", "arguments": { "a": 2, "b": 0.5 } }),
        )
        .await;
    assert_eq!(sum["content"], json!([{ "type": "text", "text": "2.5" }]));
    let built = server
        .result("tools/call", json!({ "name": "server.build_info" }))
        .await;
    assert!(
        built["content"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("mcp-example-shared-bindings"),
        "{built}"
    );

    let resources = server.result("resources/list", json!({})).await;
    assert_eq!(resources["resources"][0]["uri"], "quickstart://about");
    let templates = server.result("resources/templates/list", json!({})).await;
    assert_eq!(
        templates["resourceTemplates"][0]["uriTemplate"],
        "greeting://{name}{?lang}"
    );
    let read = server
        .result(
            "resources/read",
            json!({ "uri": "greeting://Ada%20L?lang=fr" }),
        )
        .await;
    assert_eq!(
        read["contents"],
        json!([{ "uri": "greeting://Ada%20L?lang=fr", "mimeType": "text/plain", "text": "Bonjour, Ada L !" }])
    );
    let about = server
        .result("resources/read", json!({ "uri": "quickstart://about" }))
        .await;
    assert_eq!(about["contents"][0]["mimeType"], "text/markdown");

    let prompts = server.result("prompts/list", json!({})).await;
    assert_eq!(
        prompts["prompts"][0]["arguments"],
        json!([
            { "name": "code", "description": "the code to review", "required": true },
            { "name": "language", "description": "its language", "required": false }
        ])
    );
    let prompt = server.result("prompts/get", json!({ "name": "code_review", "arguments": { "code": "fn main() {}", "language": "rust" } })).await;
    assert_eq!(prompt["messages"][0]["role"], "user");
    assert!(
        prompt["messages"][0]["content"]["text"]
            .as_str()
            .unwrap()
            .contains("rust code")
    );
    assert_eq!(prompt["messages"][1]["role"], "assistant");

    let completion = server
        .result("completion/complete", json!({ "ref": { "type": "ref/prompt", "name": "code_review" }, "argument": { "name": "language", "value": "r" } }))
        .await;
    assert_eq!(completion["completion"]["values"], json!(["rust"]));
    let completion = server
        .result("completion/complete", json!({ "ref": { "type": "ref/resource", "uri": "greeting://{name}{?lang}" }, "argument": { "name": "lang", "value": "" } }))
        .await;
    assert_eq!(
        completion["completion"]["values"].as_array().unwrap().len(),
        6
    );
    assert_eq!(server.close().await.code(), Some(0));
}

#[tokio::test]
async fn every_2025_revision_is_negotiated_and_an_unknown_one_gets_the_newest() {
    for version in ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"] {
        let mut server = McpProcess::spawn(&quickstart_binary());
        assert_eq!(
            server.initialize(version).await["result"]["protocolVersion"],
            version
        );
    }
    let mut server = McpProcess::spawn(&quickstart_binary());
    assert_eq!(
        server.initialize("2099-01-01").await["result"]["protocolVersion"],
        "2025-11-25"
    );
}

#[tokio::test]
async fn a_slow_call_does_not_block_a_ping_and_progress_arrives_first() {
    let mut server = quickstart().await;
    let params = json!({ "name": "count_slowly", "arguments": { "to": 3, "delay_ms": 200 }, "_meta": { "progressToken": "p1" } });
    let slow = server.send_request("tools/call", params).await;
    let ping = server.send_request("ping", json!({})).await;
    let first = server.receive().await.expect("a message");
    assert_eq!(
        first["id"], ping,
        "the ping is answered while the slow call runs: {first}"
    );
    let done = server.response_to(&json!(slow)).await;
    assert_eq!(done["result"]["content"][0]["text"], "counted to 3");
    let progress: Vec<&Value> = server
        .backlog
        .iter()
        .filter(|m| m["method"] == "notifications/progress")
        .collect();
    assert_eq!(progress.len(), 3, "{:?}", server.backlog);
    assert_eq!(
        progress[2]["params"],
        json!({ "progressToken": "p1", "progress": 3.0, "total": 3.0 })
    );
    let logs: Vec<&Value> = server
        .backlog
        .iter()
        .filter(|m| m["method"] == "notifications/message")
        .collect();
    assert_eq!(
        logs[0]["params"],
        json!({ "level": "info", "data": "counted to 3" })
    );
}

#[tokio::test]
async fn a_cancelled_call_stops_and_gets_no_response() {
    let mut server = quickstart().await;
    let params = json!({ "name": "count_slowly", "arguments": { "to": 1000, "delay_ms": 20 }, "_meta": { "progressToken": 7 } });
    let slow = server.send_request("tools/call", params).await;
    // Wait until it is really running.
    loop {
        let message = server.receive().await.expect("progress");
        if message["method"] == "notifications/progress" {
            break;
        }
    }
    server
        .notify(
            "notifications/cancelled",
            json!({ "requestId": slow, "reason": "user gave up" }),
        )
        .await;
    let ping = server.send_request("ping", json!({})).await;
    let answered = server.response_to(&json!(ping)).await;
    assert_eq!(answered["result"], json!({}));
    let late = server.drain_for(Duration::from_millis(300)).await;
    assert!(
        late.iter().all(|m| m.get("id") != Some(&json!(slow))),
        "a cancelled request must not be answered: {late:?}"
    );
    // The same id can be used again once the cancelled request is gone.
    let params = json!({ "name": "add", "arguments": { "a": 1, "b": 1 } });
    let again = json!({ "jsonrpc": "2.0", "id": slow, "method": "tools/call", "params": params });
    server.send_line(&again.to_string()).await;
    assert_eq!(
        server.response_to(&json!(slow)).await["result"]["content"][0]["text"],
        "2.0"
    );
}

#[tokio::test]
async fn bad_lines_are_answered_and_the_server_keeps_serving() {
    let mut server = quickstart().await;
    server
        .send_line("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ")
        .await;
    let parse_error = server.receive().await.unwrap();
    assert_eq!(parse_error["error"]["code"], -32700);
    assert_eq!(parse_error["id"], Value::Null);
    server
        .send_line(r#"{"jsonrpc":"1.0","id":"v","method":"ping"}"#)
        .await;
    let wrong_version = server.receive().await.unwrap();
    assert_eq!(
        (
            wrong_version["error"]["code"].clone(),
            wrong_version["id"].clone()
        ),
        (json!(-32600), json!("v"))
    );
    server.send_line("").await;
    server.send_line("   ").await;
    assert_eq!(
        server.error("no/such/method", json!({})).await["code"],
        -32601
    );
    let unknown = server.error("tools/call", json!({ "name": "nope" })).await;
    assert_eq!(
        unknown,
        json!({ "code": -32602, "message": "Unknown tool: nope" })
    );
    let invalid = server
        .result(
            "tools/call",
            json!({ "name": "add", "arguments": { "a": "one" } }),
        )
        .await;
    assert_eq!(invalid["isError"], true);
    let text = invalid["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("expected a number at /a")
            && text.contains("missing required property \"b\""),
        "{text}"
    );
    assert_eq!(server.result("ping", json!({})).await, json!({}));
}

#[tokio::test]
async fn end_of_input_lets_calls_in_flight_finish_then_exits_cleanly() {
    let mut server = quickstart().await;
    let slow = server
        .send_request(
            "tools/call",
            json!({ "name": "count_slowly", "arguments": { "to": 2, "delay_ms": 150 } }),
        )
        .await;
    server.close_stdin();
    let done = server.response_to(&json!(slow)).await;
    assert_eq!(done["result"]["content"][0]["text"], "counted to 2");
    assert_eq!(server.close().await.code(), Some(0));
}

#[tokio::test]
async fn end_of_input_ends_subscription_streams_too() {
    let mut server = McpProcess::spawn(&quickstart_binary());
    let meta = json!({ "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} });
    let params = json!({ "notifications": { "toolsListChanged": true }, "_meta": meta });
    server.send_request("subscriptions/listen", params).await;
    let ack = server.receive().await.expect("the acknowledgement");
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(
        ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        1
    );
    // A listen stream never finishes by itself; the end of input must still end the process.
    assert_eq!(server.close().await.code(), Some(0));
}
