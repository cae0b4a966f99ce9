//! Requests from the server to the client.

use super::*;

const ALL_CAPABILITIES: &str =
    r#"{"sampling": {}, "elicitation": {}, "roots": {"listChanged": true}}"#;

/// Calls `tool`, answers the one request it sends to the client with `answer`, and
/// returns (that request, the call's response).
async fn round_trip(tool: &str, arguments: Value, answer: Value) -> (Value, Value) {
    let server = start().await;
    let capabilities: Value = serde_json::from_str(ALL_CAPABILITIES).unwrap();
    let client = session(&server, capabilities).await;
    let mut stream = open_call(&client, 10, tool, arguments).await;
    let id = assert_priming(stream.next_event().await, 1000);
    let request = message(stream.next_event().await, &format!("{id}-1"));
    assert_eq!(request["jsonrpc"], "2.0");
    assert!(
        request["id"].is_i64() || request["id"].is_string(),
        "{request}"
    );
    let reply = json!({ "jsonrpc": "2.0", "id": request["id"], "result": answer });
    let accepted = client.post(&reply).await;
    assert_eq!(
        (accepted.status, accepted.text().await),
        (202, String::new())
    );
    let response = message(stream.next_event().await, &format!("{id}-2"));
    assert_eq!(stream.next_event().await, None);
    (request, response)
}

#[tokio::test]
async fn sampling_goes_to_the_client_and_its_answer_comes_back() {
    let answer = json!({ "role": "assistant", "content": { "type": "text", "text": "hi" },
        "model": "m" });
    let (request, response) = round_trip("ask_model", json!({ "prompt": "hello" }), answer).await;
    assert_eq!(request["method"], "sampling/createMessage");
    assert!(request["params"]["maxTokens"].is_u64(), "{request}");
    assert_eq!(
        request["params"],
        json!({ "messages": [{ "role": "user", "content": { "type": "text", "text": "hello" } }],
            "maxTokens": 100 })
    );
    assert_eq!(response, response_to(10, "m said: hi"));
}

#[tokio::test]
async fn elicitation_goes_to_the_client_and_its_answer_comes_back() {
    let answer = json!({ "action": "accept", "content": { "name": "Ada" } });
    let (request, response) = round_trip("ask_name", json!({}), answer).await;
    assert_eq!(request["method"], "elicitation/create");
    assert_eq!(
        request["params"],
        json!({ "mode": "form", "message": "Your name?", "requestedSchema":
            { "type": "object", "properties": { "name": { "type": "string" } } } })
    );
    assert_eq!(response, response_to(10, r#"Accept {"name":"Ada"}"#));
}

#[tokio::test]
async fn roots_go_to_the_client_and_its_answer_comes_back() {
    let answer = json!({ "roots": [{ "uri": "file:///work", "name": "work" },
        { "uri": "file:///tmp" }] });
    let (request, response) = round_trip("list_roots", json!({}), answer).await;
    assert_eq!(request["method"], "roots/list");
    assert_eq!(request["params"], json!({}));
    assert_eq!(
        response,
        response_to(10, "file:///work (work), file:///tmp (-)")
    );
}

#[tokio::test]
async fn a_client_without_sampling_gets_a_tool_error() {
    let server = start().await;
    let mut client = session(&server, json!({ "roots": {} })).await;
    let result = client
        .call_tool("ask_model", json!({ "prompt": "hello" }))
        .await;
    let error = json!({ "error": { "message": "the client does not support `sampling`",
        "type": "service_error" } });
    assert_eq!(
        result,
        json!({ "content": [{ "type": "text", "text": error.to_string() }], "isError": true })
    );
}

#[tokio::test]
async fn a_request_cancelled_before_any_output_still_gets_an_sse_or_json_answer() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    // The tool sends nothing: the POST waits for its first message, which never comes.
    let call = json!({ "jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": { "name": "silent_wait", "arguments": {} } });
    let pending = tokio::spawn({
        let client = client.clone();
        async move { client.post(&call).await }
    });
    server.gate.started.notified().await;
    let cancel = json!({ "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 3 } });
    assert_eq!(client.post(&cancel).await.status, 202);
    let answer = pending.await.unwrap();
    assert_eq!(answer.status, 200, "a request is never answered 202");
    assert_eq!(answer.header("content-type"), Some("text/event-stream"));
}
