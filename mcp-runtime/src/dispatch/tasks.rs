//! `tasks/get`, `tasks/update`, `tasks/cancel` (the tasks extension, stateless era): each
//! only for a request that declares the extension, and only on the caller's own tasks.

use super::{Reply, to_reply};
use crate::context::RequestEnv;
use crate::protocol::{RpcError, decode_params};
use crate::shared::Shared;
use crate::tasks::{self, TaskRecord};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::sync::Arc;

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
fn task(
    server: &Shared,
    params: Option<&RawValue>,
    env: &RequestEnv,
) -> Result<(Arc<TaskRecord>, TaskParams), RpcError> {
    if !tasks::declared(env) {
        return Err(tasks::extension_required());
    }
    let params: TaskParams = decode_params(params)?;
    let owner = env.principal().map(|p| p.subject());
    let task = server.tasks.find(&params.task_id, owner).ok_or_else(|| {
        RpcError::invalid_params(format!(
            "invalid params: no task `{}` (it never existed, expired, or is not yours)",
            params.task_id
        ))
    })?;
    Ok((task, params))
}

pub(super) fn get(server: &Shared, params: Option<&RawValue>, env: &RequestEnv) -> Reply {
    let (task, _) = task(server, params, env)?;
    to_reply(&task.view(true))
}

pub(super) fn update(server: &Shared, params: Option<&RawValue>, env: &RequestEnv) -> Reply {
    let (task, params) = task(server, params, env)?;
    if let Some(Value::Object(responses)) = &params.input_responses {
        task.answer(responses);
    }
    to_reply(&json!({}))
}

pub(super) fn cancel(server: &Shared, params: Option<&RawValue>, env: &RequestEnv) -> Reply {
    let (task, _) = task(server, params, env)?;
    task.cancel();
    to_reply(&json!({}))
}
