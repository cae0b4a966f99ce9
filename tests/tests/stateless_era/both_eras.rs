//! Both eras on one server.

use super::*;

#[tokio::test]
async fn both_eras_are_served_by_one_running_http_server() {
    let (_server, addr) = start().await;

    // The 2025 era: initialize, a session, results without resultType.
    let mut old = McpHttp::new(addr);
    let hello = old.initialize(json!({})).await;
    assert_eq!(hello["protocolVersion"], SESSION_ERA);
    assert_eq!(
        hello["capabilities"]["resources"]["subscribe"], true,
        "{hello}"
    );
    assert!(old.session.is_some());
    let old_result = old.call_tool("echo", json!({ "text": "old" })).await;
    assert_eq!(
        old_result,
        json!({ "content": text_content("old") }),
        "no resultType and no server identity in the 2025 era"
    );

    // The 2026 era on the same endpoint, with no session.
    let discover = ok_result(call(addr, "server/discover", json!({})).await).await;
    let versions = discover["supportedVersions"]
        .as_array()
        .expect("supportedVersions");
    assert!(versions.contains(&json!(MODERN)), "{discover}");
    assert!(versions.contains(&json!(SESSION_ERA)), "{discover}");
    assert_eq!(versions[0], MODERN, "the newest first: {discover}");
    let capabilities = &discover["capabilities"];
    assert_eq!(capabilities["tools"], json!({ "listChanged": true }));
    assert_eq!(capabilities["prompts"], json!({ "listChanged": true }));
    assert_eq!(
        capabilities["resources"],
        json!({ "listChanged": true }),
        "no resources/subscribe in the stateless era: {discover}"
    );
    assert_eq!(capabilities["logging"], json!({}));
    assert_eq!(discover["resultType"], "complete");
    assert_eq!(discover["_meta"][SERVER_INFO_KEY], server_info());
    assert_eq!(
        (&discover["ttlMs"], &discover["cacheScope"]),
        (&json!(60_000), &json!("public")),
        "{discover}"
    );

    let new_result = ok_result(
        call(
            addr,
            "tools/call",
            json!({ "name": "echo", "arguments": { "text": "new" } }),
        )
        .await,
    )
    .await;
    assert_eq!(
        new_result,
        json!({ "content": text_content("new"), "resultType": "complete",
            "_meta": { SERVER_INFO_KEY: server_info() } }),
        "a call result has no caching hints"
    );

    // Lists and reads carry caching hints; a resource's own cache_ttl wins for a read.
    let tools = ok_result(call(addr, "tools/list", json!({})).await).await;
    assert_eq!(
        (&tools["resultType"], &tools["ttlMs"], &tools["cacheScope"]),
        (&json!("complete"), &json!(60_000), &json!("public")),
        "{tools}"
    );
    let read = ok_result(call(addr, "resources/read", json!({ "uri": "memo://a" })).await).await;
    assert_eq!(read["contents"][0]["text"], "memo a");
    assert_eq!(
        (&read["resultType"], &read["ttlMs"], &read["cacheScope"]),
        (&json!("complete"), &json!(300_000), &json!("public")),
        "{read}"
    );

    // The session still works after the stateless requests.
    let again = old.call_tool("echo", json!({ "text": "still" })).await;
    assert_eq!(again, json!({ "content": text_content("still") }));
}
