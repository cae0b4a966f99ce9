//! The tasks extension (2026-07-28 era): a `task` tool's call becomes a task where its
//! binding calls `ctx.start_task()`; clients poll, answer and cancel it with `tasks/*`.
//! In process for the lifecycle and the guards, over a real socket for the routing headers.
//! The official suite's `tasks-*` scenarios run against the everything server in CI.

use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{McpServerBuilder, Principal, context::ElicitAction, model::codes};
use mcp_tests::http::{self, send};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const TASKS: &str = "io.modelcontextprotocol/tasks";

/// Counts down for `seconds`, as a task when the client supports tasks.
#[mcp_tool(task)]
async fn countdown(seconds: u64, ctx: Context) -> String {
    ctx.start_task().await;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    format!("counted {seconds}")
}

/// Whether a `stoppable` call was dropped before it finished.
static STOPPABLE_DROPPED: AtomicBool = AtomicBool::new(false);

struct MarkDropped;

impl Drop for MarkDropped {
    fn drop(&mut self) {
        STOPPABLE_DROPPED.store(true, Ordering::SeqCst);
    }
}

/// Runs for a minute as a task, noting when it is stopped.
#[mcp_tool(task = "required")]
async fn stoppable(ctx: Context) -> String {
    ctx.start_task().await;
    let guard = MarkDropped;
    tokio::time::sleep(Duration::from_secs(60)).await;
    std::mem::forget(guard);
    "finished".into()
}

/// Asks for a name before its task and a colour within it.
#[mcp_tool(task = "required")]
async fn two_questions(ctx: Context) -> Result<String, ServiceError> {
    let schema = json!({ "type": "object", "properties": { "v": { "type": "string" } } });
    let name = ctx
        .input_key("name")
        .elicit("Name?", schema.clone())
        .await?;
    ctx.start_task().await;
    let colour = ctx.input_key("colour").elicit("Colour?", schema).await?;
    let text = |answer: &mcp_runtime::context::ElicitResult| match answer.action {
        ElicitAction::Accept => answer
            .content
            .as_ref()
            .map_or(json!(null), |c| c["v"].clone()),
        _ => json!("declined"),
    };
    Ok(format!("{} likes {}", text(&name), text(&colour)))
}

/// Fails inside its task.
#[mcp_tool(task = "required")]
async fn broken(ctx: Context) -> String {
    ctx.start_task().await;
    panic!("broken on purpose")
}

fn builder() -> McpServerBuilder {
    McpServer::builder("tasks", "1.0")
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("tasks")))
}

fn meta(with_tasks: bool) -> Value {
    let mut capabilities = json!({ "elicitation": {} });
    if with_tasks {
        capabilities["extensions"] = json!({ TASKS: {} });
    }
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": capabilities,
    })
}

/// A stateless request declaring (or not) the tasks extension.
async fn request(
    client: &TestClient,
    method: &str,
    mut params: Value,
    with_tasks: bool,
) -> Result<Value, mcp_runtime::model::RpcError> {
    params["_meta"] = meta(with_tasks);
    client.request(method, params).await
}

async fn get(client: &TestClient, task_id: &str) -> Value {
    request(client, "tasks/get", json!({ "taskId": task_id }), true)
        .await
        .expect("the task exists")
}

/// Polls until the task's status is one of `statuses` (or fails after 10 s).
async fn wait_for(client: &TestClient, task_id: &str, statuses: &[&str]) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let task = get(client, task_id).await;
        if statuses.iter().any(|s| task["status"] == *s) {
            return task;
        }
        assert!(Instant::now() < deadline, "task stuck at {task}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_task_is_created_polled_and_completed() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let discover = request(&client, "server/discover", json!({}), true)
        .await
        .unwrap();
    assert_eq!(discover["capabilities"]["extensions"][TASKS], json!({}));
    assert!(discover["capabilities"].get("tasks").is_none());

    let created = request(
        &client,
        "tools/call",
        json!({ "name": "countdown", "arguments": { "seconds": 1 } }),
        true,
    )
    .await
    .unwrap();
    assert_eq!(created["resultType"], "task");
    assert_eq!(created["status"], "working");
    assert_eq!(created["ttlMs"], 3_600_000);
    for key in ["result", "error", "inputRequests", "requestState", "task"] {
        assert!(created.get(key).is_none(), "{key} in {created}");
    }
    let task_id = created["taskId"].as_str().unwrap();
    let working = get(&client, task_id).await;
    assert_eq!(
        (working["resultType"].as_str(), working["status"].as_str()),
        (Some("complete"), Some("working"))
    );

    let done = wait_for(&client, task_id, &["completed"]).await;
    assert_eq!(done["result"]["content"][0]["text"], "counted 1");
    assert_ne!(done["result"]["isError"], true);
    assert!(done["createdAt"].as_str().unwrap() <= done["lastUpdatedAt"].as_str().unwrap());
}

#[tokio::test]
async fn input_before_the_task_is_multi_round_and_input_within_it_goes_through_tasks_update() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let call = json!({ "name": "two_questions", "arguments": {} });
    let first = request(&client, "tools/call", call.clone(), true)
        .await
        .unwrap();
    assert_eq!(first["resultType"], "input_required");
    assert!(first.get("taskId").is_none());
    assert_eq!(
        first["inputRequests"]["name"]["method"],
        "elicitation/create"
    );

    let mut retry = call;
    retry["inputResponses"] = json!({ "name": { "action": "accept", "content": { "v": "Ada" } } });
    retry["requestState"] = first["requestState"].clone();
    let created = request(&client, "tools/call", retry, true).await.unwrap();
    assert_eq!(created["resultType"], "task");
    assert!(created.get("requestState").is_none());
    let task_id = created["taskId"].as_str().unwrap();

    let waiting = wait_for(&client, task_id, &["input_required"]).await;
    assert_eq!(
        waiting["inputRequests"]["colour"]["params"]["message"],
        "Colour?"
    );
    let stray =
        json!({ "taskId": task_id, "inputResponses": { "nobody-asked": { "ignored": true } } });
    let ack = request(&client, "tasks/update", stray, true).await.unwrap();
    assert_eq!(ack["resultType"], "complete");
    assert!(ack.get("taskId").is_none() && ack.get("status").is_none());
    assert_eq!(get(&client, task_id).await["status"], "input_required");

    let answer = json!({ "taskId": task_id, "inputResponses": { "colour": { "action": "accept", "content": { "v": "teal" } } } });
    request(&client, "tasks/update", answer, true)
        .await
        .unwrap();
    let after = get(&client, task_id).await;
    assert!(
        after.get("inputRequests").is_none(),
        "the answered request is gone at once: {after}"
    );
    let done = wait_for(&client, task_id, &["completed"]).await;
    assert_eq!(
        done["result"]["content"][0]["text"],
        "\"Ada\" likes \"teal\""
    );
}

#[tokio::test]
async fn cancelling_stops_the_call_and_the_outcome_stands() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let created = request(&client, "tools/call", json!({ "name": "stoppable" }), true)
        .await
        .unwrap();
    let task_id = created["taskId"].as_str().unwrap();
    assert!(!STOPPABLE_DROPPED.load(Ordering::SeqCst));
    let ack = request(&client, "tasks/cancel", json!({ "taskId": task_id }), true)
        .await
        .unwrap();
    assert_eq!(ack["resultType"], "complete");
    assert!(ack.get("status").is_none());
    assert_eq!(get(&client, task_id).await["status"], "cancelled");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !STOPPABLE_DROPPED.load(Ordering::SeqCst) {
        assert!(
            Instant::now() < deadline,
            "the cancelled call was never stopped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let again = request(&client, "tasks/cancel", json!({ "taskId": task_id }), true).await;
    assert!(again.is_ok(), "cancelling a finished task is acknowledged");
    assert_eq!(get(&client, task_id).await["status"], "cancelled");
}

#[tokio::test]
async fn a_panic_in_a_task_fails_it_with_an_internal_error() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let created = request(&client, "tools/call", json!({ "name": "broken" }), true)
        .await
        .unwrap();
    let failed = wait_for(&client, created["taskId"].as_str().unwrap(), &["failed"]).await;
    assert_eq!(failed["error"]["code"], codes::INTERNAL_ERROR);
    assert!(failed.get("result").is_none());
    // The server goes on serving.
    let other = request(&client, "tools/call", json!({ "name": "broken" }), true).await;
    assert!(other.is_ok());
}

#[tokio::test]
async fn without_the_extension_optional_tasks_run_in_the_request_and_required_ones_are_refused() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let inline = request(
        &client,
        "tools/call",
        json!({ "name": "countdown", "arguments": { "seconds": 0 } }),
        false,
    )
    .await
    .unwrap();
    assert_eq!(inline["resultType"], "complete");
    assert_eq!(inline["content"][0]["text"], "counted 0");

    let refused = request(&client, "tools/call", json!({ "name": "broken" }), false)
        .await
        .unwrap_err();
    assert_eq!(refused.code, codes::MISSING_CLIENT_CAPABILITY);
    assert_eq!(
        refused.data.unwrap()["requiredCapabilities"]["extensions"][TASKS],
        json!({})
    );
    for method in ["tasks/get", "tasks/update", "tasks/cancel"] {
        let error = request(&client, method, json!({ "taskId": "whatever" }), false)
            .await
            .unwrap_err();
        assert_eq!(error.code, codes::MISSING_CLIENT_CAPABILITY, "{method}");
    }
    let unknown = request(&client, "tasks/get", json!({ "taskId": "whatever" }), true)
        .await
        .unwrap_err();
    assert_eq!(unknown.code, codes::INVALID_PARAMS);
}

#[tokio::test]
async fn the_2025_era_has_no_tasks() {
    let server = builder().build().unwrap();
    let client = TestClient::connect(&server).await;
    let result = client
        .call_tool("countdown", json!({ "seconds": 0 }))
        .await
        .unwrap();
    assert_eq!(result.text(), Some("counted 0"));
    let error = client
        .request("tasks/get", json!({ "taskId": "x" }))
        .await
        .unwrap_err();
    assert_eq!(error.code, codes::METHOD_NOT_FOUND);
}

#[tokio::test]
async fn a_task_belongs_to_the_principal_that_created_it() {
    let server = builder().build().unwrap();
    let alice = TestClient::connect_uninitialized(&server, Some(Principal::new("alice")));
    let bob = TestClient::connect_uninitialized(&server, Some(Principal::new("bob")));
    let created = request(
        &alice,
        "tools/call",
        json!({ "name": "countdown", "arguments": { "seconds": 30 } }),
        true,
    )
    .await
    .unwrap();
    let task = json!({ "taskId": created["taskId"] });
    for method in ["tasks/get", "tasks/cancel"] {
        let error = request(&bob, method, task.clone(), true).await.unwrap_err();
        assert_eq!(error.code, codes::INVALID_PARAMS, "{method}");
    }
    assert_eq!(
        get(&alice, created["taskId"].as_str().unwrap()).await["status"],
        "working"
    );
    request(&alice, "tasks/cancel", task, true).await.unwrap();
}

#[tokio::test]
async fn with_no_room_for_a_task_the_call_runs_in_its_request() {
    let server = builder()
        .task_limits(1, Duration::from_secs(60))
        .build()
        .unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let call = json!({ "name": "countdown", "arguments": { "seconds": 1 } });
    let first = request(&client, "tools/call", call.clone(), true)
        .await
        .unwrap();
    assert_eq!(first["resultType"], "task");
    let second = request(&client, "tools/call", call, true).await.unwrap();
    assert_eq!(second["resultType"], "complete");
    assert_eq!(second["content"][0]["text"], "counted 1");
}

#[tokio::test]
async fn tasks_expire_after_their_time_to_live() {
    let server = builder()
        .task_limits(10, Duration::from_millis(200))
        .build()
        .unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let created = request(
        &client,
        "tools/call",
        json!({ "name": "countdown", "arguments": { "seconds": 30 } }),
        true,
    )
    .await
    .unwrap();
    assert_eq!(created["ttlMs"], 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let gone = request(
        &client,
        "tasks/get",
        json!({ "taskId": created["taskId"] }),
        true,
    )
    .await
    .unwrap_err();
    assert_eq!(gone.code, codes::INVALID_PARAMS);
}

#[tokio::test]
async fn over_http_tasks_get_is_routed_by_its_task_id() {
    let server = builder().build().unwrap();
    let addr = http::serve(server.router()).await;
    let post = |method: &'static str, params: Value, name: Option<String>| async move {
        let mut params = params;
        params["_meta"] = meta(true);
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let mut headers = vec![
            ("content-type", "application/json".to_owned()),
            ("accept", "application/json, text/event-stream".to_owned()),
            ("mcp-protocol-version", "2026-07-28".to_owned()),
            ("mcp-method", method.to_owned()),
        ];
        if let Some(name) = name {
            headers.push(("mcp-name", name));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        send(addr, "POST", "/mcp", &headers, body.to_string()).await
    };
    let created = post(
        "tools/call",
        json!({ "name": "countdown", "arguments": { "seconds": 30 } }),
        Some("countdown".into()),
    )
    .await;
    assert_eq!(created.status, 200);
    let created = created.json().await;
    let task_id = created["result"]["taskId"].as_str().unwrap().to_owned();

    let polled = post(
        "tasks/get",
        json!({ "taskId": task_id }),
        Some(task_id.clone()),
    )
    .await;
    assert_eq!(polled.status, 200);
    assert_eq!(polled.json().await["result"]["status"], "working");

    let wrong = post(
        "tasks/get",
        json!({ "taskId": task_id }),
        Some("another-task".into()),
    )
    .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.json().await["error"]["code"], codes::HEADER_MISMATCH);

    let removed = post("tasks/list", json!({}), None).await;
    assert_eq!(removed.status, 404);
    assert_eq!(
        removed.json().await["error"]["code"],
        codes::METHOD_NOT_FOUND
    );

    let cancelled = post(
        "tasks/cancel",
        json!({ "taskId": task_id }),
        Some(task_id.clone()),
    )
    .await;
    assert_eq!(cancelled.status, 200);
}
