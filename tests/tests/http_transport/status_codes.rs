//! Status codes.

use super::*;

#[tokio::test]
async fn notifications_and_client_responses_get_202_with_no_body() {
    let server = start().await;
    let client = session(&server, json!({})).await; // `initialize` sends one notification
    let cancel = json!({ "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 99 } });
    let accepted = client.post(&cancel).await;
    assert_eq!(accepted.status, 202);
    assert_eq!(accepted.header("content-type"), None);
    assert_eq!(accepted.text().await, "");
    let stray = json!({ "jsonrpc": "2.0", "id": 12345, "result": {} });
    let accepted = client.post(&stray).await;
    assert_eq!(
        (accepted.status, accepted.text().await),
        (202, String::new())
    );
}

#[tokio::test]
async fn bad_requests_get_400() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    let without_session = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
    ];
    assert_rejected(
        send(server.addr, "POST", "/mcp", &without_session, ping.clone()).await,
        400,
        -32600,
        "bad request: Mcp-Session-Id header is required",
    )
    .await;

    let mut headers = client.headers();
    headers.retain(|(k, _)| *k != "mcp-protocol-version");
    headers.push(("mcp-protocol-version", "1999-01-01"));
    assert_rejected(
        send(server.addr, "POST", "/mcp", &headers, ping.clone()).await,
        400,
        -32600,
        "bad request: unsupported MCP-Protocol-Version header",
    )
    .await;

    let malformed = send(server.addr, "POST", "/mcp", &client.headers(), "{not json").await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.header("content-type"), Some("application/json"));
    let body = malformed.json().await;
    assert_eq!(
        (body["jsonrpc"].clone(), body["id"].clone()),
        (json!("2.0"), Value::Null)
    );
    assert_eq!(body["error"]["code"], -32700, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");

    // The session still works after all of that.
    let ok = send(server.addr, "POST", "/mcp", &client.headers(), ping).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.json().await,
        json!({ "jsonrpc": "2.0", "id": 1, "result": {} })
    );
}

#[tokio::test]
async fn foreign_hosts_and_origins_get_403_and_local_ones_pass() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    let with = |extra: (&'static str, &'static str)| {
        let mut headers = client.headers();
        headers.push(extra);
        headers
    };
    assert_rejected(
        send(
            server.addr,
            "POST",
            "/mcp",
            &with(("host", "evil.example:80")),
            ping.clone(),
        )
        .await,
        403,
        -32600,
        "forbidden: the Host header names no host this server answers for",
    )
    .await;
    assert_rejected(
        send(
            server.addr,
            "POST",
            "/mcp",
            &with(("origin", "http://evil.example")),
            ping.clone(),
        )
        .await,
        403,
        -32600,
        "forbidden: requests from this Origin are not accepted",
    )
    .await;
    let get_headers = [
        ("accept", "text/event-stream"),
        ("host", "evil.example"),
        ("mcp-session-id", client.session.as_deref().unwrap()),
    ];
    let get = send(server.addr, "GET", "/mcp", &get_headers, "").await;
    assert_eq!(get.status, 403, "GET is checked too");

    // No Origin (not a browser) and this server's own origin are accepted.
    let local_origin = format!("http://127.0.0.1:{}", server.addr.port());
    let mut headers = client.headers();
    headers.push(("origin", &local_origin));
    for headers in [client.headers(), headers] {
        let ok = send(server.addr, "POST", "/mcp", &headers, ping.clone()).await;
        assert_eq!(ok.status, 200);
        assert_eq!(ok.json().await["result"], json!({}));
    }
}

#[tokio::test]
async fn unknown_and_deleted_sessions_get_404() {
    let server = start().await;
    let mut client = session(&server, json!({})).await;
    let mut stranger = client.clone();
    stranger.session = Some("0".repeat(64));
    assert_rejected(
        stranger.request("ping", json!({})).await,
        404,
        -32600,
        "session not found: initialize a new session",
    )
    .await;

    assert_eq!(client.request("ping", json!({})).await.status, 200);
    let deleted = client.delete().await;
    assert_eq!((deleted.status, deleted.text().await), (200, String::new()));
    assert_rejected(
        client.request("ping", json!({})).await,
        404,
        -32600,
        "session not found: initialize a new session",
    )
    .await;
    assert_eq!(client.get(None).await.status, 404);
    assert_eq!(client.delete().await.status, 404);
}

#[tokio::test]
async fn other_methods_get_405() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    for method in ["PUT", "PATCH"] {
        let response = send(server.addr, method, "/mcp", &client.headers(), "{}").await;
        assert_eq!(response.status, 405, "{method}");
        let allow = response
            .header("allow")
            .expect("an Allow header")
            .to_owned();
        let mut allowed: Vec<&str> = allow.split(',').map(str::trim).collect();
        allowed.sort_unstable();
        assert_eq!(allowed, ["DELETE", "GET", "HEAD", "POST"], "{method}");
    }
}

#[tokio::test]
async fn method_not_allowed_has_a_json_rpc_body() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let response = send(server.addr, "PUT", "/mcp", &client.headers(), "{}").await;
    assert_eq!(response.status, 405);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json().await;
    assert_eq!(body["error"]["code"], -32600, "{body}");
}

#[tokio::test]
async fn unacceptable_accept_headers_get_406() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    let mut headers = client.headers();
    headers.retain(|(k, _)| *k != "accept");
    headers.push(("accept", "application/json"));
    assert_rejected(
        send(server.addr, "POST", "/mcp", &headers, ping).await,
        406,
        -32600,
        "not acceptable: a POST must send Accept: application/json, text/event-stream",
    )
    .await;
    let session = client.session.as_deref().unwrap();
    let get_headers = [("accept", "application/json"), ("mcp-session-id", session)];
    assert_rejected(
        send(server.addr, "GET", "/mcp", &get_headers, "").await,
        406,
        -32600,
        "not acceptable: a GET must send Accept: text/event-stream",
    )
    .await;
}

#[tokio::test]
async fn oversized_bodies_get_413_and_other_media_types_415() {
    let server = start_with(|b| b.max_request_bytes(1024)).await;
    let mut client = session(&server, json!({})).await;
    let big = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": { "name": "echo", "arguments": { "text": "x".repeat(2000) } } });
    assert_rejected(
        client.post(&big).await,
        413,
        -32600,
        "payload too large: the message exceeds max_request_bytes",
    )
    .await;
    assert_eq!(
        client.call_tool("echo", json!({ "text": "small" })).await,
        text_result("small")
    );

    let mut headers = client.headers();
    headers.retain(|(k, _)| *k != "content-type");
    headers.push(("content-type", "text/plain"));
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    assert_rejected(
        send(server.addr, "POST", "/mcp", &headers, ping).await,
        415,
        -32600,
        "unsupported media type: send the message as Content-Type: application/json",
    )
    .await;
}

#[tokio::test]
async fn a_second_standalone_stream_gets_409_until_the_first_closes() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut first = client.get(None).await;
    assert_eq!(first.status, 200);
    assert_priming(first.next_event().await, 1000);
    assert_rejected(
        client.get(None).await,
        409,
        -32600,
        "conflict: this session's GET stream is already open",
    )
    .await;
    drop(first);
    // The server notices the closed connection on its own; poll until it has.
    let deadline = tokio::time::Instant::now() + http::READ_WAIT;
    let status = loop {
        let again = client.get(None).await;
        if again.status != 409 || tokio::time::Instant::now() > deadline {
            break again.status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(status, 200);
}
