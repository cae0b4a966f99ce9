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
