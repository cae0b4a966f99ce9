//! Rate limits hold across replicas, whichever algorithm counts them.

use super::*;

/// Calls `limited` through the proxy; its JSON-RPC response.
async fn limited(client: &mut McpHttp) -> Value {
    client
        .request("tools/call", json!({ "name": "limited", "arguments": {} }))
        .await
        .json()
        .await
}

#[tokio::test]
async fn a_limit_of_three_a_minute_holds_across_replicas_under_every_algorithm() {
    for algorithm in ["fixed", "sliding", "bucket"] {
        let cluster = cluster(&[("RATE_LIMIT_ALGORITHM", algorithm)]).await;
        let mut client = session_on(cluster.addr("a"), json!({})).await;
        client.addr = cluster.proxy;
        let mut served_by = Vec::new();
        for _ in 0..3 {
            let response = limited(&mut client).await;
            let answer = text(&response["result"]).to_owned();
            served_by.push(answer.trim_start_matches("ok from ").to_owned());
        }
        served_by.sort();
        assert_eq!(
            served_by,
            ["a", "b", "c"],
            "{algorithm}: each replica served one"
        );
        let refused = limited(&mut client).await;
        assert_eq!(refused["error"]["code"], -32005, "{algorithm}: {refused}");
        assert!(
            refused["error"]["data"]["retryAfter"]
                .as_u64()
                .is_some_and(|s| s >= 1)
        );
        // The same caller (its address) in the 2026 era, on yet another connection.
        let stateless = stateless(
            cluster.proxy,
            "tools/call",
            json!({ "name": "limited", "arguments": {} }),
            json!({}),
        )
        .await;
        let body = stateless.json().await;
        assert_eq!(body["error"]["code"], -32005, "{algorithm}: {body}");
    }
}
