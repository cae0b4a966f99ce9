//! The tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28 era): a tool call that
//! takes long answers at once with a task the client polls (`tasks/get`), feeds input to
//! (`tasks/update`) and may stop (`tasks/cancel`).
//!
//! A tool opts in with `#[mcp_tool(task)]` (or `task = "required"`), and its binding says
//! where the task begins with [`Context::start_task`](crate::Context::start_task): what
//! comes before runs within the request (and may ask for input in multi-round fashion), what
//! comes after runs on its own, asking for input through the task. The server alone
//! decides to create a task, and only for a request that declares the extension.

mod launch;
mod running;
mod time;
mod view;

pub(crate) use launch::{Launched, Settled, TaskLaunch};
pub(crate) use running::{RunningTask, RunningTasks};
pub(crate) use view::view;

use crate::context::RequestEnv;
use crate::protocol::{RpcError, codes};
use serde_json::json;
use std::time::Duration;

/// How many tasks a server keeps, and for how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TaskLimits {
    /// At most this many tasks at once; finished ones make room for new ones first.
    pub max_tasks: usize,
    /// Of those, at most this many of one owner running on this replica.
    pub max_tasks_per_owner: usize,
    /// How long a task is kept after it was created (`ttlMs`).
    pub ttl: Duration,
    /// How often clients are told to poll (`pollIntervalMs`).
    pub poll_interval: Duration,
}

impl Default for TaskLimits {
    fn default() -> Self {
        TaskLimits {
            max_tasks: 1_000,
            max_tasks_per_owner: 100,
            ttl: Duration::from_secs(3600),
            poll_interval: Duration::from_millis(500),
        }
    }
}

/// The extension's identifier, in capabilities and `_meta`.
pub(crate) const EXTENSION: &str = "io.modelcontextprotocol/tasks";

/// Whether a tool's calls may run as tasks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskSupport {
    /// Never: calls always run within their request.
    #[default]
    None,
    /// When the request declares the tasks extension; otherwise within the request.
    Optional,
    /// Always: a request that does not declare the extension is refused with `-32021`.
    Required,
}

/// Whether this request declared the tasks extension in its own `_meta` (the stateless era
/// has no session to remember it from).
pub(crate) fn declared(env: &RequestEnv) -> bool {
    env.protocol_version().is_stateless()
        && env.client_capabilities()["extensions"][EXTENSION].is_object()
}

/// `-32021` for a request that needs the extension and did not declare it.
pub(crate) fn extension_required() -> RpcError {
    RpcError::new(
        codes::MISSING_CLIENT_CAPABILITY,
        format!(
            "missing client capability: this request needs the `{EXTENSION}` extension; \
             declare it in _meta[\"io.modelcontextprotocol/clientCapabilities\"].extensions"
        ),
    )
    .with_data(json!({ "requiredCapabilities": { "extensions": { EXTENSION: {} } } }))
}
