//! What a built server does with its bindings: injected state and context, guards, return
//! shapes, URI matching, completion, progress and logs, subscriptions, disabled bindings.

use super::*;

#[tokio::test]
async fn state_and_context_are_injected() {
    let server = only_tag("stateful")
        .state(Counter(Default::default()))
        .build()
        .unwrap();
    let client = TestClient::connect(&server).await;
    assert_eq!(
        client.call_tool("bump", json!({})).await.unwrap().text(),
        Some("1 at 2025-11-25")
    );
    assert_eq!(
        client.call_tool("bump", json!({})).await.unwrap().text(),
        Some("2 at 2025-11-25")
    );
    let tools = client.list_tools().await.unwrap();
    assert_eq!(
        tools[0]["inputSchema"],
        json!({ "type": "object", "properties": {}, "additionalProperties": false })
    );
}

#[tokio::test]
async fn scope_permissions_see_the_principal() {
    let server = only_tag("guarded").build().unwrap();
    let anonymous = TestClient::connect(&server).await;
    let denied = anonymous
        .call_tool("admin_report", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        (denied.code, denied.data.clone()),
        (-32006, Some(json!({ "requiredScopes": ["admin"] })))
    );
    let admin =
        TestClient::connect_as(&server, Some(Principal::new("ada").with_scopes(["admin"]))).await;
    assert_eq!(
        admin
            .call_tool("admin_report", json!({}))
            .await
            .unwrap()
            .text(),
        Some("secret numbers")
    );
}

#[tokio::test]
async fn return_shapes_render_as_declared() {
    let server = only_tag("shapes").build().unwrap();
    let client = TestClient::connect(&server).await;
    let points = client.call_tool("points", json!({})).await.unwrap();
    assert_eq!(points.text(), Some(r#"[{"x":1},{"x":2}]"#));
    assert!(
        points.structured_content.is_none(),
        "the 2025 era allows only object structured content"
    );
    let tools = client.list_tools().await.unwrap();
    let listed = tools.iter().find(|t| t["name"] == "points").unwrap();
    assert!(
        listed.get("outputSchema").is_none(),
        "a non-object output schema is not advertised: {listed}"
    );
    let blocks = client.call_tool("blocks", json!({})).await.unwrap();
    assert_eq!(
        serde_json::to_value(&blocks.content).unwrap()[1],
        json!({ "type": "image", "data": "AAE=", "mimeType": "image/png" })
    );
    let blob = client.read_resource("bytes://blob").await.unwrap();
    assert_eq!(
        serde_json::to_value(&blob.contents[0]).unwrap(),
        json!({ "uri": "bytes://blob", "mimeType": "application/octet-stream", "blob": "AJ//" })
    );
}

#[tokio::test]
async fn fixed_uris_win_over_templates_and_specific_templates_over_general_ones() {
    let server = only_tag("routing").build().unwrap();
    let client = TestClient::connect(&server).await;
    let text =
        |r: mcp_runtime::model::ReadResourceResult| r.contents[0].as_text().unwrap().to_owned();
    assert_eq!(
        text(client.read_resource("pages://home").await.unwrap()),
        "fixed"
    );
    assert_eq!(
        text(client.read_resource("pages://about").await.unwrap()),
        "page about"
    );
    assert_eq!(
        text(client.read_resource("pages://about/history").await.unwrap()),
        "history of about"
    );
    let templates = client.list_resource_templates().await.unwrap();
    let uris: Vec<&Value> = templates.iter().map(|t| &t["uriTemplate"]).collect();
    assert_eq!(
        uris,
        [&json!("pages://{slug}/history"), &json!("pages://{slug}")]
    );
    assert_eq!(
        client.list_resources().await.unwrap()[0]["uri"],
        "pages://home"
    );
}

#[tokio::test]
async fn binding_level_async_completion_covers_every_argument() {
    let server = only_tag("routing").build().unwrap();
    let client = TestClient::connect(&server).await;
    let values = client
        .complete_prompt_argument("paint", "colour", "g")
        .await
        .unwrap();
    assert_eq!(values.values, ["green"]);
    let values = client
        .complete_prompt_argument("paint", "thing", "")
        .await
        .unwrap();
    assert_eq!(values.values.len(), 3);
    let prompts = client.list_prompts().await.unwrap();
    assert_eq!(
        prompts[0]["arguments"][1],
        json!({ "name": "colour", "required": true })
    );
}

#[tokio::test]
async fn the_test_client_collects_progress_and_logs() {
    let server = only_tag("chatty").build().unwrap();
    let client = TestClient::connect(&server).await;
    client
        .request(
            "tools/call",
            json!({ "name": "steps", "_meta": { "progressToken": 1 } }),
        )
        .await
        .unwrap();
    let methods: Vec<Value> = client
        .take_notifications()
        .await
        .iter()
        .map(|n| n["method"].clone())
        .collect();
    assert_eq!(
        methods,
        [
            json!("notifications/progress"),
            json!("notifications/progress")
        ],
        "debug logs are below the default level"
    );
    client
        .request("logging/setLevel", json!({ "level": "debug" }))
        .await
        .unwrap();
    client
        .request("tools/call", json!({ "name": "steps" }))
        .await
        .unwrap();
    let notes = client.take_notifications().await;
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(
        notes[1]["params"],
        json!({ "level": "debug", "data": { "step": 2 } })
    );
    let uninitialized = TestClient::connect_uninitialized(&server, None);
    assert_eq!(uninitialized.list_tools().await.unwrap_err().code, -32600);
}

#[tokio::test]
async fn subscribed_sessions_hear_about_updates_and_others_do_not() {
    let server = only_tag("routing").build().unwrap();
    let watcher = TestClient::connect(&server).await;
    let bystander = TestClient::connect(&server).await;
    let subscribed = watcher
        .request("resources/subscribe", json!({ "uri": "pages://home" }))
        .await;
    assert_eq!(subscribed.unwrap(), json!({}));
    server
        .notify_resource_updated("pages://home")
        .await
        .unwrap();
    server
        .notify_resource_updated("pages://elsewhere")
        .await
        .unwrap();
    let heard = watcher.take_notifications().await;
    let expected = json!({ "jsonrpc": "2.0", "method": "notifications/resources/updated", "params": { "uri": "pages://home" } });
    assert_eq!(heard, [expected]);
    assert!(bystander.take_notifications().await.is_empty());
    watcher
        .request("resources/unsubscribe", json!({ "uri": "pages://home" }))
        .await
        .unwrap();
    server
        .notify_resource_updated("pages://home")
        .await
        .unwrap();
    assert!(watcher.take_notifications().await.is_empty());
}

#[tokio::test]
async fn disabled_bindings_leave_their_list_and_clients_hear_about_it() {
    let server = only_tag("money").build().unwrap();
    let client = TestClient::connect(&server).await;
    assert!(
        server
            .set_enabled(BindingKind::Tool, "refund", false)
            .await
            .unwrap()
    );
    assert_eq!(server.tool_names(), ["charge"]);
    let listed: Vec<Value> = client
        .list_tools()
        .await
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(listed, [json!("charge")]);
    let gone = client
        .call_tool("refund", json!({ "cents": 5 }))
        .await
        .unwrap_err();
    assert_eq!(gone.message, "Unknown tool: refund");
    let heard = client.take_notifications().await;
    assert_eq!(
        heard,
        [json!({ "jsonrpc": "2.0", "method": "notifications/tools/list_changed", "params": {} })]
    );

    assert!(
        !server
            .set_enabled(BindingKind::Tool, "no-such-tool", false)
            .await
            .unwrap()
    );
    assert!(
        server
            .set_enabled(BindingKind::Tool, "refund", false)
            .await
            .unwrap(),
        "disabling twice is fine"
    );
    assert!(
        client.take_notifications().await.is_empty(),
        "nothing changed, nothing sent"
    );
    server
        .set_enabled(BindingKind::Tool, "refund", true)
        .await
        .unwrap();
    assert_eq!(
        client
            .call_tool("refund", json!({ "cents": 5 }))
            .await
            .unwrap()
            .text(),
        Some("refunded 5")
    );
}

#[tokio::test]
async fn stateless_reads_carry_the_resources_own_cache_ttl() {
    let server = only_tag("cached")
        .cache_hint(std::time::Duration::from_secs(2), true)
        .build()
        .unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let meta = json!({ "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} });
    let send = |method: &str, params: Value| {
        let message = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let client = &client;
        async move {
            serde_json::from_str::<Value>(
                &client
                    .send_raw(message.to_string().as_bytes())
                    .await
                    .unwrap(),
            )
            .unwrap()
        }
    };
    let read = send(
        "resources/read",
        json!({ "uri": "docs://handbook", "_meta": meta }),
    )
    .await;
    assert_eq!(
        (
            read["result"]["ttlMs"].clone(),
            read["result"]["cacheScope"].clone()
        ),
        (json!(300_000), json!("public"))
    );
    let listed = send("resources/list", json!({ "_meta": meta })).await;
    assert_eq!(
        listed["result"]["ttlMs"], 2000,
        "lists use the server's hint"
    );
    assert_eq!(listed["result"]["resultType"], "complete");
}
