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
mod record;
mod store;
mod time;

pub(crate) use launch::{Launched, TaskLaunch};
pub(crate) use record::{Settled, TaskRecord};
pub(crate) use store::{TaskLimits, TaskStore};

use crate::context::RequestEnv;
use crate::protocol::{RpcError, codes};
use serde_json::json;

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
