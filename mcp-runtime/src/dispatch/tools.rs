//! `tools/call`: resolve, guard, validate, call, render.

use super::invoke::{Failure, invoke};
use super::stopped;
use super::{Reply, RequestMeta, to_reply};
use crate::context::{Context, RequestEnv};
use crate::extract::Arguments;
use crate::mrtr::{self, Stop};
use crate::protocol::{CallToolResult, ProtocolVersion, RpcError, decode_params};
use crate::registry::FrozenTool;
use crate::server::ServerInner;
use crate::service_error::ToolError;
use crate::telemetry::{DispatchSpan, Operation, Outcome};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Deserialize)]
struct CallParams {
    name: String,
    #[serde(default)]
    arguments: Option<Value>,
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
    let params: CallParams = decode_params(params)?;
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
    if let Err(error) = tool.binding.common.guards.check(env) {
        span.end(Outcome::RpcError(error.code));
        return Err(error);
    }
    if let Some(arguments) = &params.arguments {
        span.record_arguments(arguments);
    }
    let arguments = params.arguments.as_ref().unwrap_or(&Value::Null);
    let round = match mrtr::round_for(
        server,
        env,
        "tools/call",
        &params.name,
        arguments,
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
    let ctx = Context::new(Arc::clone(env), Arc::clone(&server.states), progress_token)
        .with_input_round(round.clone());
    let call = run(server, tool, params.arguments, ctx);
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
    let result = match outcome {
        Ok(result) => result,
        Err(Failure::Panicked(message)) => {
            tracing::error!(tool = %params.name, panic = %message, "tool panicked");
            span.end(Outcome::RpcError(crate::protocol::codes::INTERNAL_ERROR));
            return Err(RpcError::internal(format!(
                "internal error: tool `{}` failed unexpectedly",
                params.name
            )));
        }
        Err(Failure::TimedOut(limit)) => Ok(CallToolResult::error(format!(
            "tool `{}` timed out after {}s and was cancelled",
            params.name,
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
    to_reply(&for_revision(result, env.protocol_version))
}

/// Validates the arguments and runs the tool (panics and timeouts become `Failure`).
async fn run(
    server: &ServerInner,
    tool: &FrozenTool,
    arguments: Option<Value>,
    ctx: Context,
) -> Result<Result<CallToolResult, ToolError>, Failure> {
    let arguments = arguments.unwrap_or_else(|| Value::Object(Map::new()));
    if let Err(report) = tool
        .validator
        .validate(&arguments, server.config.echo_input)
    {
        return Ok(Ok(CallToolResult::error(report)));
    }
    // Input schemas are object schemas (checked at build), so this only guards odd schemas.
    let Value::Object(map) = arguments else {
        return Ok(Ok(CallToolResult::error(
            "invalid arguments:\n- expected an object at /",
        )));
    };
    let timeout = tool
        .binding
        .common
        .timeout
        .or(server.config.default_timeout);
    invoke((tool.binding.handler)(Arguments::new(map), ctx), timeout).await
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
