//! Redis going away: requests are refused at once with 503 and Retry-After (never 404,
//! never a hang), open streams end; Redis back on the same address: the replicas serve
//! again without a restart, and with an append-only file nothing was lost.

use super::*;

/// A refusal for an unavailable store: 503, `Retry-After`, a JSON-RPC -32603 body.
async fn assert_unavailable(response: Response, what: &str) {
    assert_eq!(response.status, 503, "{what}");
    assert_eq!(response.header("retry-after"), Some("1"), "{what}");
    let body = response.json().await;
    assert_eq!(body["error"]["code"], -32603, "{what}: {body}");
    assert_eq!(
        body["error"]["message"], "session store unavailable; retry shortly",
        "{what}"
    );
}

#[tokio::test]
async fn without_redis_requests_get_503_at_once_and_streams_end_then_serve_again() {
    let mut cluster = cluster(&[("OPERATION_TIMEOUT_MS", "500")]).await;
    let client = session_on(cluster.addr("a"), json!({})).await;
    let (mut call, id) = open_call(&client, 4, "steps", json!({ "steps": 50, "ms": 100 })).await;
    assert_eq!(
        message(call.next_event().await, &format!("{id}-1")),
        progress(1.0, 50.0)
    );
    let mut standalone = through(&client, cluster.addr("b")).get(None).await;
    standalone.next_event().await.expect("a priming event");

    cluster.redis.kill();
    let started = Instant::now();
    let mut on_c = through(&client, cluster.addr("c"));
    assert_unavailable(
        on_c.request("tools/call", json!({ "name": "whoami", "arguments": {} }))
            .await,
        "a call",
    )
    .await;
    assert_unavailable(on_c.request("ping", json!({})).await, "a ping").await;
    assert_unavailable(on_c.get(None).await, "a GET").await;
    assert_unavailable(on_c.delete().await, "a DELETE").await;
    assert_unavailable(McpHttp::new(cluster.addr("c")).request("initialize", json!({
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } })).await, "an initialize").await;
    let limited = stateless(
        cluster.addr("c"),
        "tools/call",
        json!({ "name": "limited", "arguments": {} }),
        json!({}),
    )
    .await;
    assert_unavailable(limited, "a rate-limited call, which fails closed").await;
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "answered promptly: {:?}",
        started.elapsed()
    );
    // The streams end (their logs cannot be read): none hangs.
    while call.next_event().await.is_some() {}
    while standalone.next_event().await.is_some() {}

    cluster.redis.restart();
    let mut on_b = through(&client, cluster.addr("b"));
    eventually(|| {
        let mut on_b = on_b.clone();
        async move { on_b.request("ping", json!({})).await.status == 200 }
    })
    .await;
    assert_eq!(
        text(&on_b.call_tool("whoami", json!({})).await),
        "b",
        "the session survived"
    );
    for name in ["a", "b", "c"] {
        let mut fresh = McpHttp::new(cluster.addr(name));
        fresh.initialize(json!({})).await;
        assert_eq!(text(&fresh.call_tool("whoami", json!({})).await), name);
    }
}
