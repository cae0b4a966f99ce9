//! Streams: dropped on one replica, resumed on another; requests to the client answered
//! through another replica; cancellations through a third.

use super::*;

#[tokio::test]
async fn a_stream_dropped_on_one_replica_resumes_on_another_with_exactly_what_it_missed() {
    let cluster = cluster(&[]).await;
    let client = session_on(cluster.addr("a"), json!({})).await;
    let (mut call, id) = open_call(&client, 3, "steps", json!({ "steps": 4, "ms": 150 })).await;
    assert_eq!(
        message(call.next_event().await, &format!("{id}-1")),
        progress(1.0, 4.0)
    );
    drop(call);

    let mut resumed = through(&client, cluster.addr("b"))
        .get(Some(&format!("{id}-1")))
        .await;
    assert_eq!(resumed.status, 200);
    for step in 2..=4 {
        let sequence = format!("{id}-{step}");
        assert_eq!(
            message(resumed.next_event().await, &sequence),
            progress(f64::from(step), 4.0)
        );
    }
    let response = message(resumed.next_event().await, &format!("{id}-5"));
    assert_eq!(response["id"], 3);
    assert_eq!(
        text(&response["result"]),
        "4 steps on a",
        "the call ran on a"
    );
    assert_eq!(resumed.next_event().await, None);

    // And the whole stream again, from a third replica.
    let mut again = through(&client, cluster.addr("c"))
        .get(Some(&format!("{id}-0")))
        .await;
    for sequence in 1..=5 {
        let event = again.next_event().await.expect("an event");
        assert_eq!(
            event.id.as_deref(),
            Some(format!("{id}-{sequence}").as_str())
        );
    }
    assert_eq!(again.next_event().await, None);
}

#[tokio::test]
async fn an_elicitation_sent_from_one_replica_is_answered_through_another() {
    let cluster = cluster(&[]).await;
    let client = session_on(cluster.addr("a"), json!({ "elicitation": {} })).await;
    let (mut call, id) = open_call(&client, 5, "ask_name", json!({})).await;
    let request = message(call.next_event().await, &format!("{id}-1"));
    assert_eq!(request["method"], "elicitation/create");
    let answer = json!({ "jsonrpc": "2.0", "id": request["id"],
        "result": { "action": "accept", "content": { "name": "Ada" } } });
    let accepted = through(&client, cluster.addr("b")).post(&answer).await;
    assert_eq!(accepted.status, 202);
    let response = message(call.next_event().await, &format!("{id}-2"));
    assert_eq!(text(&response["result"]), r#"hello "Ada" from a"#);
}

#[tokio::test]
async fn a_cancellation_through_a_third_replica_stops_the_call() {
    let cluster = cluster(&[]).await;
    let client = session_on(cluster.addr("a"), json!({})).await;
    let (mut call, id) = open_call(&client, 9, "wait_for_cancel", json!({})).await;
    assert_eq!(
        message(call.next_event().await, &format!("{id}-1"))["method"],
        "notifications/progress"
    );
    let cancel = json!({ "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 9, "reason": "changed my mind" } });
    assert_eq!(
        through(&client, cluster.addr("c"))
            .post(&cancel)
            .await
            .status,
        202
    );
    assert_eq!(
        call.next_event().await,
        None,
        "stopped on a, and never answered"
    );
}
