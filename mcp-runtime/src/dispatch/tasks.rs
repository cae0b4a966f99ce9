//! `tasks/get`, `tasks/update`, `tasks/cancel` (the tasks extension, stateless era): each
//! only for a request that declares the extension, and only on the caller's own tasks, on
//! whichever replica the call runs.

use super::{Reply, to_reply};
use crate::context::RequestEnv;
use crate::protocol::{RpcError, decode_params};
use crate::shared::{Message, Shared, is_hex_id};
use crate::store::Topic;
use crate::tasks;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TaskParams {
    task_id: String,
    /// `tasks/update` only: answers by request key. Anything but an object answers nothing.
    #[serde(default)]
    input_responses: Option<Value>,
}

/// The extension check comes before the lookup: an undeclared request learns nothing about
/// which tasks exist.
fn params(params: Option<&RawValue>, env: &RequestEnv) -> Result<TaskParams, RpcError> {
    if !tasks::declared(env) {
        return Err(tasks::extension_required());
    }
    let params: TaskParams = decode_params(params)?;
    if !is_hex_id(&params.task_id, 32) {
        // Not an id this server makes: no store is asked about it.
        return Err(unknown(&params.task_id));
    }
    Ok(params)
}

fn owner(env: &RequestEnv) -> Option<&str> {
    env.principal().map(|p| p.subject())
}

fn unknown(id: &str) -> RpcError {
    RpcError::invalid_params(format!(
        "invalid params: no task `{id}` (it never existed, expired, or is not yours)"
    ))
}

pub(super) async fn get(server: &Shared, params: Option<&RawValue>, env: &RequestEnv) -> Reply {
    let TaskParams { task_id, .. } = self::params(params, env)?;
    let task = server.task_store.get(&task_id, owner(env)).await?;
    to_reply(&tasks::view(&task.ok_or_else(|| unknown(&task_id))?, true))
}

pub(super) async fn update(server: &Shared, params: Option<&RawValue>, env: &RequestEnv) -> Reply {
    let TaskParams {
        task_id,
        input_responses,
    } = self::params(params, env)?;
    let responses = match input_responses {
        Some(Value::Object(responses)) => responses,
        _ => Default::default(),
    };
    let runner = server
        .task_store
        .answer(&task_id, owner(env), responses)
        .await?
        .ok_or_else(|| unknown(&task_id))?;
    server
        .tell(
            &Topic::Replica(runner.into()),
            &Message::TaskInput { task: task_id },
        )
        .await;
    to_reply(&json!({}))
}

pub(super) async fn cancel(server: &Shared, params: Option<&RawValue>, env: &RequestEnv) -> Reply {
    let TaskParams { task_id, .. } = self::params(params, env)?;
    let runner = server
        .task_store
        .cancel(&task_id, owner(env))
        .await?
        .ok_or_else(|| unknown(&task_id))?;
    server
        .tell(
            &Topic::Replica(runner.into()),
            &Message::TaskCancelled { task: task_id },
        )
        .await;
    to_reply(&json!({}))
}
