//! Sessions: made on one replica, served on all, ended from any; notices reach clients on
//! whichever replica they listen.

use super::*;

#[tokio::test]
async fn a_session_initialized_on_one_replica_serves_on_every_other() {
    let cluster = cluster(&[]).await;
    let mut client = session_on(cluster.addr("a"), json!({})).await;
    for name in ["b", "c", "a"] {
        let mut on = through(&client, cluster.addr(name));
        assert_eq!(text(&on.call_tool("whoami", json!({})).await), name);
    }
    // Behind the proxy each request goes to the next replica: all of them serve it.
    client.addr = cluster.proxy;
    let mut answered = std::collections::BTreeSet::new();
    for _ in 0..6 {
        answered.insert(text(&client.call_tool("whoami", json!({})).await).to_owned());
    }
    assert_eq!(answered.into_iter().collect::<Vec<_>>(), ["a", "b", "c"]);
}

#[tokio::test]
async fn delete_on_any_replica_ends_the_session_everywhere_and_cancels_its_calls() {
    let cluster = cluster(&[]).await;
    let client = session_on(cluster.addr("a"), json!({})).await;
    let (mut call, id) = open_call(&client, 7, "wait_for_cancel", json!({})).await;
    assert_eq!(
        message(call.next_event().await, &format!("{id}-1"))["method"],
        "notifications/progress"
    );
    let mut standalone = through(&client, cluster.addr("c")).get(None).await;
    assert_eq!(standalone.status, 200);
    standalone
        .next_event()
        .await
        .expect("the standalone stream's priming event");

    assert_eq!(
        through(&client, cluster.addr("b")).delete().await.status,
        200
    );
    assert_eq!(
        call.next_event().await,
        None,
        "a's call was cancelled: never answered"
    );
    assert_eq!(
        standalone.next_event().await,
        None,
        "c's stream of the session ended"
    );
    for name in ["a", "b", "c"] {
        let mut on = through(&client, cluster.addr(name));
        assert_eq!(
            on.request("ping", json!({})).await.status,
            404,
            "gone on {name}"
        );
    }
}

#[tokio::test]
async fn a_list_change_on_one_replica_reaches_clients_on_the_others() {
    let cluster = cluster(&[]).await;
    let client = session_on(cluster.addr("a"), json!({})).await;
    let mut standalone = through(&client, cluster.addr("b")).get(None).await;
    assert_eq!(standalone.status, 200);
    standalone.next_event().await.expect("a priming event");
    let listen = json!({ "notifications": { "toolsListChanged": true } });
    let mut listener =
        stateless(cluster.addr("c"), "subscriptions/listen", listen, json!({})).await;
    assert_eq!(listener.status, 200);
    let acknowledged = listener
        .next_event()
        .await
        .expect("an acknowledgement")
        .json();
    assert_eq!(
        acknowledged["method"],
        "notifications/subscriptions/acknowledged"
    );

    let mut on_a = through(&client, cluster.addr("a"));
    assert_eq!(
        text(
            &on_a
                .call_tool("toggle_feature", json!({ "enabled": false }))
                .await
        ),
        "feature false from a"
    );
    let changed = standalone
        .next_event()
        .await
        .expect("the 2025-era client hears it on b")
        .json();
    assert_eq!(changed["method"], "notifications/tools/list_changed");
    let heard = listener
        .next_event()
        .await
        .expect("the 2026-era listener hears it on c")
        .json();
    assert_eq!(heard["method"], "notifications/tools/list_changed");
    assert_eq!(
        heard["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        1
    );

    // Every replica serves the same list.
    for name in ["a", "b", "c"] {
        let mut on = through(&client, cluster.addr(name));
        let listed = on.request("tools/list", json!({})).await.json().await;
        let names: Vec<&str> = listed["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert!(
            !names.contains(&"feature"),
            "{name} still lists it: {names:?}"
        );
    }
}

#[tokio::test]
async fn resource_updates_reach_subscribers_wherever_they_read_and_resume() {
    let cluster = cluster(&[]).await;
    let client = session_on(cluster.addr("a"), json!({})).await;
    let mut on_c = through(&client, cluster.addr("c"));
    let subscribed = on_c
        .request("resources/subscribe", json!({ "uri": "item://1" }))
        .await;
    assert_eq!(subscribed.json().await["result"], json!({}));
    let on_b = through(&client, cluster.addr("b"));
    let mut standalone = on_b.get(None).await;
    standalone.next_event().await.expect("a priming event");

    let mut on_a = through(&client, cluster.addr("a"));
    on_a.call_tool("touch_item", json!({ "uri": "item://1" }))
        .await;
    on_a.call_tool("touch_item", json!({ "uri": "item://2" }))
        .await;
    let updated = |uri: &str| json!({ "jsonrpc": "2.0", "method": "notifications/resources/updated", "params": { "uri": uri } });
    assert_eq!(
        message(standalone.next_event().await, "0-1"),
        updated("item://1")
    );
    drop(standalone);

    // Sent while no stream is open: kept, and read back on another replica.
    on_a.call_tool("touch_item", json!({ "uri": "item://1" }))
        .await;
    let on_c = through(&client, cluster.addr("c"));
    let mut resumed = loop {
        // The claim on the stream ends when b sees the connection closed.
        let resumed = on_c.get(Some("0-1")).await;
        if resumed.status != 409 {
            break resumed;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(resumed.status, 200);
    assert_eq!(
        message(resumed.next_event().await, "0-2"),
        updated("item://1")
    );
}
