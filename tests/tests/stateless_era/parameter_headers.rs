//! Parameter headers.

use super::*;

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

/// A call whose params come before its method is read by the full decoder, not in one
/// pass with its envelope: its routing and parameter headers are checked all the same.
#[tokio::test]
async fn headers_are_checked_whatever_the_order_of_the_body() {
    let (_server, addr) = start().await;
    let body = regional_call("eu-west");
    let params_first = format!(
        r#"{{"params":{},"jsonrpc":"2.0","id":1,"method":"tools/call"}}"#,
        body["params"]
    );
    let post_with = |edit: fn(&mut Headers)| {
        let mut headers = headers_for(&body);
        edit(&mut headers);
        let text = params_first.clone();
        async move {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            send(addr, "POST", "/mcp", &headers, text).await
        }
    };
    let matching = post_with(|h| set(h, "mcp-param-region", Some("eu-west"))).await;
    assert_eq!(
        ok_result(matching).await["content"],
        text_content("3 in eu-west")
    );
    let mismatched = post_with(|h| set(h, "mcp-param-region", Some("us-east"))).await;
    error_answer(mismatched, 400, -32020).await;
    let wrong_name = post_with(|h| {
        set(h, "mcp-param-region", Some("eu-west"));
        set(h, "mcp-name", Some("echo"));
    })
    .await;
    error_answer(wrong_name, 400, -32020).await;
}
