//! subscriptions/listen.

use super::*;

#[tokio::test]
async fn a_listener_hears_the_list_changes_it_asked_for_tagged_with_its_id() {
    let (server, addr) = start().await;
    let listen = request(
        json!("listen-1"),
        "subscriptions/listen",
        json!({ "notifications": { "toolsListChanged": true }, "_meta": meta(json!({})) }),
    );
    let mut stream = post_edited(addr, &listen, |_| {}).await;
    assert_eq!(stream.status, 200);
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    assert_eq!(stream.header("mcp-session-id"), None);
    let tag = json!({ SUBSCRIPTION_KEY: "listen-1" });
    assert_eq!(
        data(stream.next_event().await),
        json!({ "jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
            "params": { "notifications": { "toolsListChanged": true,
                "promptsListChanged": false, "resourcesListChanged": false,
                "resourceSubscriptions": [] }, "_meta": tag } })
    );

    // A prompt change first: not asked for, so the next event must be the tool change.
    let prompts = ok_result(
        call(
            addr,
            "tools/call",
            json!({ "name": "touch_prompts", "arguments": {} }),
        )
        .await,
    )
    .await;
    assert_eq!(prompts["content"], text_content("prompts touched"));
    let tools = ok_result(
        call(
            addr,
            "tools/call",
            json!({ "name": "touch_tools", "arguments": {} }),
        )
        .await,
    )
    .await;
    assert_eq!(tools["content"], text_content("tools touched"));
    let changed = json!({ "jsonrpc": "2.0", "method": "notifications/tools/list_changed",
        "params": { "_meta": tag } });
    assert_eq!(data(stream.next_event().await), changed);

    // Disabling a tool on the running server is heard too, and the list reflects it.
    assert!(
        server
            .set_enabled(BindingKind::Tool, "echo", false)
            .await
            .unwrap()
    );
    assert_eq!(data(stream.next_event().await), changed);
    let listed = ok_result(call(addr, "tools/list", json!({})).await).await;
    assert!(
        !listed["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "echo"),
        "{listed}"
    );
    // Changing nothing announces nothing; enabling it again does.
    assert!(
        server
            .set_enabled(BindingKind::Tool, "echo", false)
            .await
            .unwrap()
    );
    assert!(
        server
            .set_enabled(BindingKind::Tool, "echo", true)
            .await
            .unwrap()
    );
    assert_eq!(data(stream.next_event().await), changed);
    drop(stream);
}

#[tokio::test]
async fn a_listener_for_prompts_does_not_hear_tool_changes() {
    let (_server, addr) = start().await;
    let listen = request(
        json!(42),
        "subscriptions/listen",
        json!({ "notifications": { "promptsListChanged": true }, "_meta": meta(json!({})) }),
    );
    let mut stream = post_edited(addr, &listen, |_| {}).await;
    let ack = data(stream.next_event().await);
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(ack["params"]["_meta"][SUBSCRIPTION_KEY], 42);
    for tool in ["touch_tools", "touch_prompts"] {
        ok_result(call(addr, "tools/call", json!({ "name": tool, "arguments": {} })).await).await;
    }
    assert_eq!(
        data(stream.next_event().await),
        json!({ "jsonrpc": "2.0", "method": "notifications/prompts/list_changed",
            "params": { "_meta": { SUBSCRIPTION_KEY: 42 } } })
    );
}
