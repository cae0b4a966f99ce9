//! `tools/call`: resolve, guard, validate, call, render.

use super::arguments::{Checked, check};
use super::invoke::{Failure, invoke};
use super::stopped;
use super::{Reply, RequestMeta, to_reply};
use crate::context::CancellationToken;
use crate::context::{Context, RequestEnv};
use crate::mrtr::{self, Stop};
use crate::protocol::{CallToolResult, ProtocolVersion, RpcError, decode_params};
use crate::registry::FrozenTool;
use crate::server::ServerInner;
use crate::service_error::ToolError;
use crate::tasks::{self, Launched, TaskLaunch, TaskSupport};
use crate::telemetry::{DispatchSpan, Operation, Outcome};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::future::Future;
use std::sync::Arc;

#[derive(Deserialize)]
struct CallParams<'a> {
    /// Borrowed from the request unless it holds escapes.
    #[serde(borrow)]
    name: std::borrow::Cow<'a, str>,
    /// Kept as sent: decoded by the parameters that take it (see `arguments::check`).
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
    #[serde(rename = "_meta", default)]
    meta: Option<RequestMeta>,
    /// A multi-round retry's answers and state (2026 era).
    #[serde(rename = "inputResponses", default)]
    input_responses: Option<Value>,
    #[serde(rename = "requestState", default)]
    request_state: Option<String>,
}

pub(super) async fn call(
    server: &ServerInner,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let params: CallParams<'_> = decode_params(params)?;
    let tool = server
        .registry
        .tool(&params.name)
        .ok_or_else(|| RpcError::invalid_params(format!("Unknown tool: {}", params.name)))?;
    let mut span = DispatchSpan::start(
        server,
        Operation::ToolsCall,
        &tool.binding.common.name,
        env,
        params.meta.as_ref(),
    );
    let may_be_task = match task_mode(tool, env) {
        Ok(may_be_task) => may_be_task,
        Err(error) => {
            span.end(Outcome::RpcError(error.code));
            return Err(error);
        }
    };
    if let Some(arguments) = params.arguments {
        span.record_arguments(arguments);
    }
    let round = match mrtr::round_for(
        &tool.binding.common,
        env,
        "tools/call",
        &params.name,
        || {
            params
                .arguments
                .map_or(Ok(Value::Null), |a| decode_params(Some(a)))
        },
        params.input_responses.as_ref(),
        params.request_state.as_deref(),
    ) {
        Ok(round) => round,
        Err(error) => {
            span.end(Outcome::RpcError(error.code));
            return Err(error);
        }
    };
    let progress_token = params.meta.and_then(|m| m.progress_token);
    if may_be_task {
        let name = tool.binding.common.name.clone();
        let launch = Arc::new(TaskLaunch::new(
            Arc::clone(&env.server),
            env.principal().map(|p| p.subject().to_owned()),
            CancellationToken::new(),
            round.clone(),
        ));
        let task_env = Arc::new(env.for_task(launch.cancellation()));
        let ctx = Context::new(
            Arc::clone(&task_env),
            Arc::clone(&server.states),
            progress_token,
        )
        .with_input_round(round.clone())
        .with_task_launch(Some(Arc::clone(&launch)));
        let call = match prepare(server, tool, params.arguments, ctx) {
            Ok(call) => call,
            Err(error) => {
                span.end(Outcome::RpcError(error.code));
                return Err(error);
            }
        };
        let version = env.protocol_version;
        let settle_task = async move {
            let outcome = call.await;
            let settled = match mrtr::refusal(&task_env, round.as_deref()) {
                Some(error) => {
                    span.end(Outcome::RpcError(error.code));
                    Err(error)
                }
                None => settle(outcome, &name, span),
            };
            Some(settled.and_then(|result| {
                serde_json::to_value(for_revision(result, version))
                    .map_err(|e| RpcError::internal(format!("could not encode the result: {e}")))
            }))
        };
        return match launch.drive(settle_task).await {
            Launched::Task(created) | Launched::InputRequired(created) => to_reply(&created),
            Launched::Finished(Some(settled)) => settled.and_then(|result| to_reply(&result)),
            Launched::Finished(None) => Err(RpcError::internal("internal error: call cancelled")),
        };
    }
    let ctx = Context::new(Arc::clone(env), Arc::clone(&server.states), progress_token)
        .with_input_round(round.clone());
    let call = match prepare(server, tool, params.arguments, ctx) {
        Ok(call) => call,
        Err(error) => {
            span.end(Outcome::RpcError(error.code));
            return Err(error);
        }
    };
    let outcome = match mrtr::run(server, env, round.as_deref(), call).await {
        Ok(outcome) => outcome,
        Err(stop) => {
            span.end(match &stop {
                Stop::InputRequired(_) => Outcome::Ok,
                Stop::Refused(error) => Outcome::RpcError(error.code),
            });
            return stopped(stop);
        }
    };
    let result = settle(outcome, &params.name, span)?;
    to_reply(&for_revision(result, env.protocol_version))
}

/// Runs the tool's guards, then decides whether its call may become a task: only in the
/// stateless era, for a `task` tool, on a request that declares the tasks extension; a
/// tool that requires tasks refuses a request that does not (`-32021`).
fn task_mode(tool: &FrozenTool, env: &RequestEnv) -> Result<bool, RpcError> {
    tool.binding.common.guards.check(env)?;
    if !env.protocol_version().is_stateless() {
        return Ok(false);
    }
    match (tool.binding.task_support, tasks::declared(env)) {
        (TaskSupport::None, _) => Ok(false),
        (TaskSupport::Required, false) => Err(tasks::extension_required()),
        (_, declared) => Ok(declared),
    }
}

/// What the call's outcome answers: its result, a tool error as an `isError` result, a
/// timeout as an `isError` result, a panic as `-32603`. Ends the span.
fn settle(
    outcome: Result<Result<CallToolResult, ToolError>, Failure>,
    tool_name: &str,
    mut span: DispatchSpan,
) -> Result<CallToolResult, RpcError> {
    let result = match outcome {
        Ok(result) => result,
        Err(Failure::Panicked(message)) => {
            tracing::error!(tool = %tool_name, panic = %message, "tool panicked");
            span.end(Outcome::RpcError(crate::protocol::codes::INTERNAL_ERROR));
            return Err(RpcError::internal(format!(
                "internal error: tool `{tool_name}` failed unexpectedly"
            )));
        }
        Err(Failure::TimedOut(limit)) => Ok(CallToolResult::error(format!(
            "tool `{tool_name}` timed out after {}s and was cancelled",
            limit.as_secs_f64()
        ))),
    };
    let result = match result {
        Ok(result) => result,
        Err(error) => {
            if let ToolError::Service(service) = &error {
                span.record_service_error(service);
            }
            CallToolResult::error(error.to_wire().to_string())
        }
    };
    span.record_result(&result);
    span.end(if result.is_error {
        Outcome::ToolError
    } else {
        Outcome::Ok
    });
    Ok(result)
}

/// Checks the arguments and returns the call, which owns everything it needs (panics
/// and timeouts become `Failure`); arguments that fail the check answer at once.
fn prepare(
    server: &ServerInner,
    tool: &FrozenTool,
    arguments: Option<&RawValue>,
    ctx: Context,
) -> Result<
    impl Future<Output = Result<Result<CallToolResult, ToolError>, Failure>> + Send + 'static,
    RpcError,
> {
    let timeout = tool
        .binding
        .common
        .timeout
        .or(server.config.default_timeout);
    let checked = check(tool, arguments, ctx, server.config.echo_input)?;
    Ok(async move {
        match checked {
            Checked::Call(call) => invoke(call, timeout).await,
            Checked::Invalid(report) => Ok(Ok(CallToolResult::error(report))),
            Checked::Unextracted(error) => Ok(Err(error)),
            Checked::Panicked(message) => Err(Failure::Panicked(message)),
        }
    })
}

/// Structured output exists from 2025-06-18 on, and in the 2025 era must be an object.
fn for_revision(mut result: CallToolResult, version: ProtocolVersion) -> CallToolResult {
    // The 2025 era allows only objects; the stateless era any JSON value.
    let keep = version.has_structured_output()
        && result
            .structured_content
            .as_ref()
            .is_some_and(|v| v.is_object() || version.is_stateless());
    if !keep {
        result.structured_content = None;
    }
    result
}
