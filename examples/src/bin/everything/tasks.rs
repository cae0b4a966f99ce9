//! Fixtures of the tasks extension's scenarios: tools whose calls become tasks where the
//! binding calls `ctx.start_task()`, asking for input through the task afterwards.

use mcp_runtime::prelude::*;
use mcp_runtime::{context::ElicitAction, context::ElicitResult};
use serde_json::{Value, json};
use std::time::Duration;

fn form(field: &str, kind: &str) -> Value {
    json!({ "type": "object", "properties": { field: { "type": kind } }, "required": [field] })
}

/// `content[field]` of an accepted form, else `None`.
fn accepted<'a>(answer: &'a ElicitResult, field: &str) -> Option<&'a Value> {
    match answer.action {
        ElicitAction::Accept => answer.content.as_ref()?.get(field),
        _ => None,
    }
}

/// Greets someone at once: never a task, whatever the client supports.
#[mcp_tool]
fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

/// Computes for a while: a task when the client supports tasks and there is work to do,
/// within the request otherwise.
#[mcp_tool(task)]
async fn slow_compute(
    #[arg(description = "how long to compute (default 3)")] seconds: Option<u64>,
    #[arg(description = "a label for the result")] label: Option<String>,
    ctx: Context,
) -> String {
    let seconds = seconds.unwrap_or(3);
    let label = label.unwrap_or_else(|| "default".into());
    if seconds > 0 {
        ctx.start_task().await;
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    format!("Computation \"{label}\" completed after {seconds} seconds. Result: 42.")
}

/// A job that fails after a second: the task completes with a tool error.
#[mcp_tool(task = "required")]
async fn failing_job(ctx: Context) -> Result<String, ServiceError> {
    ctx.start_task().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    Err(ServiceError::new("simulated failure: job crashed"))
}

/// A job that breaks after half a second: the task fails with an internal error.
#[mcp_tool(task = "required")]
async fn protocol_error_job(ctx: Context) -> String {
    ctx.start_task().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    panic!("simulated protocol error: server internal failure")
}

/// Asks the user to confirm a deletion, from within its task.
#[mcp_tool(task = "required")]
async fn confirm_delete(
    #[arg(description = "the file to delete (default important.txt)")] filename: Option<String>,
    ctx: Context,
) -> Result<String, ServiceError> {
    let filename = filename.unwrap_or_else(|| "important.txt".into());
    ctx.start_task().await;
    let answer = ctx
        .input_key("confirm")
        .elicit(&format!("Delete '{filename}'?"), form("confirm", "boolean"))
        .await?;
    Ok(match accepted(&answer, "confirm") {
        Some(Value::Bool(true)) => format!("deleted '{filename}'"),
        _ => format!("kept '{filename}'"),
    })
}

/// Asks two questions at once, from within its task, and waits for both answers.
#[mcp_tool(task = "required")]
async fn multi_input(ctx: Context) -> Result<String, ServiceError> {
    ctx.start_task().await;
    let name = ctx.input_key("name");
    let confirm = ctx.input_key("confirm");
    let (name, confirm) = tokio::join!(
        name.elicit("What is your name?", form("name", "string")),
        confirm.elicit("Do you confirm?", form("confirm", "boolean")),
    );
    let (name, confirm) = (name?, confirm?);
    Ok(format!(
        "name={} confirmed={}",
        accepted(&name, "name").unwrap_or(&Value::Null),
        accepted(&confirm, "confirm").unwrap_or(&Value::Null)
    ))
}

/// Asks the user's name within the request (a multi-round reply), then becomes a task.
#[mcp_tool(task = "required")]
async fn test_tool_with_task(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx
        .input_key("user_name")
        .elicit("What is your name?", form("name", "string"))
        .await?;
    let name = accepted(&answer, "name")
        .and_then(Value::as_str)
        .unwrap_or("stranger")
        .to_owned();
    ctx.start_task().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(format!("Hello, {name}! (computed in task)"))
}
