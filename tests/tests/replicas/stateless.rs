//! Tasks (2026-07-28): created on one replica, read, fed and cancelled from others; failed
//! when their replica dies and its lease lapses.

use super::*;

const TASKS: &str = "io.modelcontextprotocol/tasks";

fn with_tasks() -> Value {
    json!({ "extensions": { TASKS: {} }, "elicitation": {} })
}

/// Starts `tool` as a task on `addr`; its id.
async fn start_task(addr: SocketAddr, tool: &str, arguments: Value) -> String {
    let params = json!({ "name": tool, "arguments": arguments });
    let created = stateless(addr, "tools/call", params, with_tasks())
        .await
        .json()
        .await;
    assert_eq!(created["result"]["resultType"], "task", "{created}");
    created["result"]["taskId"]
        .as_str()
        .expect("a task id")
        .to_owned()
}

async fn task(addr: SocketAddr, method: &str, id: &str, extra: Value) -> Value {
    let mut params = json!({ "taskId": id });
    if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
        params.extend(extra.clone());
    }
    stateless(addr, method, params, with_tasks())
        .await
        .json()
        .await
}

async fn status(addr: SocketAddr, id: &str) -> Value {
    task(addr, "tasks/get", id, json!({})).await["result"].clone()
}

#[tokio::test]
async fn a_task_created_on_one_replica_is_read_fed_and_cancelled_from_the_others() {
    let cluster = cluster(&[]).await;
    let (a, b, c) = (cluster.addr("a"), cluster.addr("b"), cluster.addr("c"));
    let id = start_task(a, "task_with_input", json!({})).await;
    let first = task(b, "tasks/get", &id, json!({})).await;
    assert!(
        first["result"]["status"].is_string(),
        "readable on b at once: {first}"
    );
    eventually(|| async { status(b, &id).await["status"] == "input_required" }).await;
    let waiting = status(b, &id).await;
    assert_eq!(
        waiting["inputRequests"]["word"]["method"],
        "elicitation/create"
    );

    let answer = json!({ "inputResponses": { "word": { "action": "accept", "content": { "word": "blue" } } } });
    let updated = task(c, "tasks/update", &id, answer).await;
    assert_eq!(updated["result"]["resultType"], "complete", "{updated}");
    eventually(|| async { status(b, &id).await["status"] == "completed" }).await;
    assert_eq!(
        text(&status(c, &id).await["result"]),
        r#""blue" on a"#,
        "ran on a, fed through c"
    );

    let id = start_task(a, "long_task", json!({ "ms": 60_000 })).await;
    assert_eq!(
        task(c, "tasks/cancel", &id, json!({})).await["result"]["resultType"],
        "complete"
    );
    assert_eq!(status(b, &id).await["status"], "cancelled");
}

#[tokio::test]
async fn a_task_whose_replica_dies_is_failed_once_its_lease_lapses() {
    let mut cluster = cluster(&[("TASK_LEASE_MS", "1500")]).await;
    let (a, b) = (cluster.addr("a"), cluster.addr("b"));
    let id = start_task(a, "long_task", json!({ "ms": 60_000 })).await;
    // Renewed while a lives.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(status(b, &id).await["status"], "working");
    cluster.replica("a").kill().await;
    let killed = Instant::now();
    eventually(|| async { status(b, &id).await["status"] == "failed" }).await;
    assert!(
        killed.elapsed() < Duration::from_secs(4),
        "failed within a lease or so"
    );
    let failed = status(b, &id).await;
    assert_eq!(failed["error"]["code"], -32603);
    assert!(
        failed["statusMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("stopped"),
        "{failed}"
    );
}

#[tokio::test]
async fn a_multi_round_request_continues_on_another_replica() {
    let cluster = cluster(&[]).await;
    let capabilities = json!({ "elicitation": {} });
    let call = json!({ "name": "ask_name", "arguments": {} });
    let first = stateless(
        cluster.addr("a"),
        "tools/call",
        call.clone(),
        capabilities.clone(),
    )
    .await
    .json()
    .await;
    let round = &first["result"];
    assert_eq!(round["resultType"], "input_required", "{first}");
    let (key, request) = round["inputRequests"]
        .as_object()
        .and_then(|requests| requests.iter().next())
        .expect("one request for input");
    assert_eq!(request["method"], "elicitation/create");
    let mut retry = call;
    retry["inputResponses"] = json!({ key: { "action": "accept", "content": { "name": "Ada" } } });
    retry["requestState"] = round["requestState"].clone();
    let second = stateless(cluster.addr("b"), "tools/call", retry, capabilities)
        .await
        .json()
        .await;
    assert_eq!(text(&second["result"]), r#"hello "Ada" from b"#, "{second}");
}
