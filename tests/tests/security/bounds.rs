//! How much anyone may ask for: rate limits on every kind of binding, and the bounds on
//! results, requests in flight, subscriptions, listeners, requests to the client and the
//! events an SSE stream keeps.

use super::*;

async fn retry_after(result: Result<Value, mcp_runtime::model::RpcError>) -> u64 {
    let error = result.expect_err("over the limit");
    assert_eq!(error.code, codes::RATE_LIMITED, "{error:?}");
    error.data.unwrap()["retryAfter"].as_u64().unwrap()
}

#[tokio::test]
async fn rate_limits_guard_tools_resources_prompts_and_completions() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_as(&server, Some(Principal::new("p"))).await;
    let call = |name: &'static str| client.request("tools/call", json!({ "name": name }));
    assert!(call("scarce").await.is_ok());
    assert!(call("scarce").await.is_ok());
    let wait = retry_after(call("scarce").await).await;
    assert!((1..=60).contains(&wait));

    let read = || client.request("resources/read", json!({ "uri": "colour://red" }));
    assert!(read().await.is_ok());
    retry_after(read().await).await;
    // Completion has a budget of its own: reading did not spend it.
    let complete = || {
        client.request(
            "completion/complete",
            json!({ "ref": { "type": "ref/resource", "uri": "colour://{name}" },
                "argument": { "name": "name", "value": "r" } }),
        )
    };
    assert!(complete().await.is_ok());
    retry_after(complete().await).await;

    let get = || {
        client.request(
            "prompts/get",
            json!({ "name": "hello", "arguments": { "name": "x" } }),
        )
    };
    assert!(get().await.is_ok());
    retry_after(get().await).await;

    // Another caller has budgets of its own.
    let other = TestClient::connect_as(&server, Some(Principal::new("q"))).await;
    assert!(
        other
            .request("tools/call", json!({ "name": "scarce" }))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_rate_limit_group_is_one_budget() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_as(&server, Some(Principal::new("p"))).await;
    assert!(
        client
            .request("tools/call", json!({ "name": "grouped_a" }))
            .await
            .is_ok()
    );
    assert!(
        client
            .request("tools/call", json!({ "name": "grouped_b" }))
            .await
            .is_ok()
    );
    retry_after(
        client
            .request("tools/call", json!({ "name": "grouped_a" }))
            .await,
    )
    .await;
    retry_after(
        client
            .request("tools/call", json!({ "name": "grouped_b" }))
            .await,
    )
    .await;
}

#[tokio::test]
async fn the_token_bucket_refills_one_call_at_a_time() {
    let server = builder()
        .rate_limit_algorithm(RateLimitAlgorithm::TokenBucket)
        .build()
        .unwrap();
    let client = TestClient::connect_as(&server, Some(Principal::new("p"))).await;
    let call = || client.request("tools/call", json!({ "name": "scarce" }));
    assert!(call().await.is_ok());
    assert!(call().await.is_ok());
    // 2 per minute: the next token comes in 30 s.
    assert_eq!(retry_after(call().await).await, 30);
}

#[tokio::test]
async fn results_over_max_result_bytes_are_refused_whole() {
    let server = builder().max_result_bytes(64 * 1024).build().unwrap();
    let client = TestClient::connect(&server).await;
    let small = client
        .call_tool("big", json!({ "size": 1000 }))
        .await
        .unwrap();
    assert!(!small.is_error);
    let large = client
        .call_tool("big", json!({ "size": 100_000 }))
        .await
        .unwrap();
    assert!(large.is_error);
    let text = large.text().unwrap();
    assert!(text.contains("max_result_bytes (65536)"), "{text}");
    let read = client.read_resource("big://blob").await.unwrap_err();
    assert_eq!(read.code, codes::INTERNAL_ERROR);
    assert!(
        read.message.contains("max_result_bytes"),
        "{}",
        read.message
    );
}

#[tokio::test]
async fn requests_over_the_in_flight_caps_are_refused_at_once() {
    let server = builder().max_in_flight(100, 2).build().unwrap();
    let client = TestClient::connect(&server).await;
    let slow = || client.request("tools/call", json!({ "name": "slow" }));
    let (a, b, c) = tokio::join!(slow(), slow(), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        client
            .request("tools/call", json!({ "name": "slow" }))
            .await
    });
    assert!(a.is_ok() && b.is_ok());
    let busy = c.unwrap_err();
    assert_eq!(busy.code, codes::RATE_LIMITED);
    assert!(
        busy.message.contains("max_in_flight_per_session"),
        "{}",
        busy.message
    );
    // Once they are done there is room again.
    assert!(slow().await.is_ok());

    let server = builder().max_in_flight(1, 10).build().unwrap();
    let first = TestClient::connect(&server).await;
    let second = TestClient::connect(&server).await;
    let (a, b) = tokio::join!(
        first.request("tools/call", json!({ "name": "slow" })),
        async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            second
                .request("tools/call", json!({ "name": "slow" }))
                .await
        }
    );
    assert!(a.is_ok());
    assert!(b.unwrap_err().message.contains("max_in_flight"));
}

async fn listen(client: &TestClient) -> Result<Value, mcp_runtime::model::RpcError> {
    let meta = json!({ "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {} });
    let params = json!({ "notifications": { "toolsListChanged": true }, "_meta": meta });
    client.request("subscriptions/listen", params).await
}

#[tokio::test]
async fn subscriptions_and_listeners_are_capped() {
    let server = builder().max_subscriptions(1, 1).build().unwrap();
    let client = TestClient::connect(&server).await;
    let subscribe =
        |uri: &'static str| client.request("resources/subscribe", json!({ "uri": uri }));
    assert!(subscribe("colour://red").await.is_ok());
    assert!(
        subscribe("colour://red").await.is_ok(),
        "the same one again is no new one"
    );
    let over = subscribe("colour://blue").await.unwrap_err();
    assert_eq!(over.code, codes::INVALID_REQUEST);
    assert!(
        over.message.contains("max_subscriptions"),
        "{}",
        over.message
    );

    let holder = TestClient::connect_uninitialized(&server, None);
    let held = tokio::spawn({
        let server = server.clone();
        async move {
            let holder = TestClient::connect_uninitialized(&server, None);
            let _ = tokio::time::timeout(Duration::from_millis(500), listen(&holder)).await;
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let refused = listen(&holder).await.unwrap_err();
    assert_eq!(refused.code, codes::RATE_LIMITED);
    assert!(
        refused.message.contains("max_listeners"),
        "{}",
        refused.message
    );
    held.await.unwrap();
}

#[tokio::test]
async fn requests_to_the_client_waiting_for_answers_are_capped() {
    let server = builder()
        .max_pending_client_requests(1)
        .client_request_timeout(Duration::from_millis(600))
        .build()
        .unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let hello = json!({ "protocolVersion": http::VERSION, "capabilities": { "roots": {} },
        "clientInfo": { "name": "t", "version": "1" } });
    client.request("initialize", hello).await.unwrap();
    let (first, second) = tokio::join!(client.call_tool("ask_roots", json!({})), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        client.call_tool("ask_roots", json!({})).await
    });
    assert_eq!(
        second.unwrap().text(),
        Some("too many requests to the client are waiting for answers")
    );
    assert_eq!(
        first.unwrap().text(),
        Some("the client did not answer in time")
    );
}

#[tokio::test]
async fn an_sse_stream_keeps_only_its_last_events_for_resumption() {
    let addr = serve(builder().sse_replay(2, 64)).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let params = json!({ "name": "five_steps", "arguments": {}, "_meta": { "progressToken": 1 } });
    let mut stream = client.request("tools/call", params).await;
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    let mut ids = Vec::new();
    while let Some(event) = stream.next_event().await {
        if !event.data.is_empty() {
            ids.push(event.id.expect("every event has an id"));
        }
    }
    assert_eq!(ids.len(), 6, "five progress notifications and the answer");
    let lost = client.get(Some(&ids[0])).await;
    assert_eq!(lost.status, 404);
    assert!(lost.text().await.contains("no longer held"));
    let mut kept = client.get(Some(&ids[4])).await;
    assert_eq!(kept.status, 200);
    let last = kept.next_event().await.expect("the answer is replayed");
    assert_eq!(last.json()["result"]["content"][0]["text"], "five steps");
}

#[tokio::test]
async fn subscription_bytes_and_each_callers_listeners_are_capped() {
    let server = builder()
        .max_subscriptions_per_caller(30, 2)
        .build()
        .unwrap();
    let client = TestClient::connect(&server).await;
    let subscribe = |uri: String| client.request("resources/subscribe", json!({ "uri": uri }));
    assert!(
        subscribe(format!("colour://{}", "r".repeat(10)))
            .await
            .is_ok()
    );
    let over = subscribe(format!("colour://{}", "b".repeat(10)))
        .await
        .unwrap_err();
    assert_eq!(over.code, codes::INVALID_REQUEST, "{}", over.message);

    // One connection is one caller: two streams, not a third; another caller still may.
    let one = TestClient::connect_uninitialized(&server, None);
    let first = listen(&one);
    let second = listen(&one);
    let third = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        listen(&one).await
    };
    let other = async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let another = TestClient::connect_uninitialized(&server, None);
        tokio::time::timeout(Duration::from_millis(200), listen(&another)).await
    };
    let (first, second, third, other) = tokio::join!(
        tokio::time::timeout(Duration::from_millis(400), first),
        tokio::time::timeout(Duration::from_millis(400), second),
        third,
        other
    );
    assert!(
        first.is_err() && second.is_err(),
        "both held their streams open"
    );
    let refused = third.unwrap_err();
    assert_eq!(refused.code, codes::RATE_LIMITED);
    assert!(
        refused.message.contains("max_listeners_per_caller"),
        "{}",
        refused.message
    );
    assert!(
        other.is_err(),
        "another caller's stream was opened and held"
    );
}
