//! Resumption.

use super::*;

#[tokio::test]
async fn a_dropped_stream_resumes_after_the_last_event_id() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 1, "two_then_wait", json!({})).await;
    let id = assert_priming(stream.next_event().await, 1000);
    assert_eq!(
        message(stream.next_event().await, &format!("{id}-1")),
        progress(1.0, None)
    );
    drop(stream); // the client goes away after one message; the call goes on

    let mut resumed = client.get(Some(&format!("{id}-1"))).await;
    assert_eq!(resumed.status, 200);
    assert_eq!(resumed.header("content-type"), Some("text/event-stream"));
    // Replayed (or live, if the tool had not sent it yet), without a priming event.
    assert_eq!(
        message(resumed.next_event().await, &format!("{id}-2")),
        progress(2.0, None)
    );
    server.gate.release.notify_one();
    assert_eq!(
        message(resumed.next_event().await, &format!("{id}-3")),
        response_to(1, "released")
    );
    assert_eq!(resumed.next_event().await, None);

    // The whole stream can be read again from its start.
    let mut again = client.get(Some(&format!("{id}-0"))).await;
    for (sequence, expected) in [
        (1, progress(1.0, None)),
        (2, progress(2.0, None)),
        (3, response_to(1, "released")),
    ] {
        assert_eq!(
            message(again.next_event().await, &format!("{id}-{sequence}")),
            expected
        );
    }
    assert_eq!(again.next_event().await, None);
}

#[tokio::test]
async fn resuming_a_stream_the_server_does_not_hold_gets_404() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    assert_rejected(
        client.get(Some("999-1")).await,
        404,
        -32600,
        "not found: that stream is no longer held; re-send the request",
    )
    .await;
}

#[tokio::test]
async fn close_sse_stream_ends_the_response_and_the_answer_comes_on_resumption() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 4, "poll_later", json!({})).await;
    let id = assert_priming(stream.next_event().await, 1000);
    assert_eq!(
        stream.next_event().await,
        None,
        "the response ends after the priming event"
    );

    let mut resumed = client.get(Some(&format!("{id}-0"))).await;
    assert_eq!(resumed.status, 200);
    server.gate.release.notify_one();
    assert_eq!(
        message(resumed.next_event().await, &format!("{id}-1")),
        response_to(4, "after the cut")
    );
    assert_eq!(resumed.next_event().await, None);
}

#[tokio::test]
async fn delete_cancels_calls_in_flight() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 2, "wait_or_cancel", json!({})).await;
    let id = assert_priming(stream.next_event().await, 1000);
    assert_eq!(
        message(stream.next_event().await, &format!("{id}-1")),
        progress(1.0, None)
    );
    assert_eq!(client.delete().await.status, 200);
    assert_eq!(
        stream.next_event().await,
        None,
        "a cancelled call is never answered"
    );
}
