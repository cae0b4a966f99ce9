//! Checks before dispatch: order and statuses.

use super::*;

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
