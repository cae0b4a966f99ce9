//! Sessions, JSON and SSE answers.

use super::*;

#[tokio::test]
async fn session_ids_are_64_visible_ascii_characters_and_differ() {
    let server = start().await;
    let mut ids = std::collections::HashSet::new();
    for _ in 0..20 {
        let client = session(&server, json!({})).await;
        let id = client.session.expect("a session id");
        assert_eq!(id.len(), 64, "{id}");
        assert!(id.bytes().all(|b| (0x21..=0x7e).contains(&b)), "{id}");
        assert!(ids.insert(id), "session ids are unique");
    }
}

#[tokio::test]
async fn a_call_that_sends_nothing_first_answers_json() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let response = client
        .post(&tool_call(7, "echo", json!({ "text": "héllo" })))
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.json().await, response_to(7, "héllo"));
}

#[tokio::test]
async fn a_call_reporting_progress_answers_an_sse_stream() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 8, "count", json!({ "n": 3 })).await;
    let id = assert_priming(stream.next_event().await, 1000);
    for i in 1..=3 {
        assert_eq!(
            message(stream.next_event().await, &format!("{id}-{i}")),
            progress(f64::from(i), Some(3.0))
        );
    }
    assert_eq!(
        message(stream.next_event().await, &format!("{id}-4")),
        response_to(8, "counted to 3")
    );
    assert_eq!(
        stream.next_event().await,
        None,
        "the stream ends after the answer"
    );

    // A later call in the same session gets a different stream.
    let mut next = open_call(&client, 9, "count", json!({ "n": 1 })).await;
    let next_id = assert_priming(next.next_event().await, 1000);
    assert_ne!(next_id, id);
}

#[tokio::test]
async fn the_sse_retry_interval_is_configurable() {
    let server = start_with(|b| b.sse_retry(std::time::Duration::from_millis(250))).await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 1, "count", json!({ "n": 1 })).await;
    assert_priming(stream.next_event().await, 250);
}

#[tokio::test]
async fn sessions_before_2025_11_25_get_no_priming_event_on_post() {
    let server = start().await;
    let mut client = McpHttp::new(server.addr);
    client.version = "2025-06-18".into();
    client.initialize(json!({})).await;
    let mut stream = open_call(&client, 1, "count", json!({ "n": 1 })).await;
    let first = stream.next_event().await.expect("an event");
    assert_eq!(first.event.as_deref(), Some("message"));
    assert_eq!(first.json(), progress(1.0, Some(1.0)));
    let id = first.id.expect("an id");
    let stream_id = id
        .strip_suffix("-1")
        .expect("the first message is <stream>-1");
    assert_eq!(
        message(stream.next_event().await, &format!("{stream_id}-2")),
        response_to(1, "counted to 1")
    );
}
