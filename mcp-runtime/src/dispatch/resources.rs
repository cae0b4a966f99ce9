//! `resources/read`: match the URI, guard, call, serialise.

use super::invoke::{Failure, invoke};
use super::stopped;
use super::{Reply, RequestMeta, to_reply};
use crate::context::{Context, RequestEnv};
use crate::extract::ResourceRequest;
use crate::mrtr;
use crate::protocol::{ProtocolVersion, RpcError, decode_params};
use crate::registry::ResourceBinding;
use crate::service_error::ToolError;
use crate::shared::Shared;
use crate::store::SessionPatch;
use crate::telemetry::{BindingScope, DispatchSpan, Operation, Outcome};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;

#[derive(Deserialize)]
struct ReadParams {
    uri: String,
    #[serde(rename = "_meta", default)]
    meta: Option<RequestMeta>,
    /// A multi-round retry's answers and state (2026 era).
    #[serde(rename = "inputResponses", default)]
    input_responses: Option<serde_json::Value>,
    #[serde(rename = "requestState", default)]
    request_state: Option<String>,
}

pub(super) async fn read(
    server: &Shared,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let params: ReadParams = decode_params(params)?;
    let found = server
        .registry
        .match_resource(&params.uri)
        .ok_or_else(|| RpcError::resource_not_found(&params.uri, env.protocol_version))?;
    let binding = &found.resource.binding;
    let mut span = DispatchSpan::start(
        &server.config.telemetry,
        Operation::ResourcesRead,
        &binding.common.name,
        env,
        params.meta.as_ref(),
    );
    span.set_resource_uri(&params.uri);
    let result = read_guarded(server, binding, found.values, params, env, span.scope()).await;
    span.end(
        result
            .as_ref()
            .map_or_else(|e| Outcome::RpcError(e.code), |_| Outcome::Ok),
    );
    result
}

async fn read_guarded(
    server: &Shared,
    binding: &ResourceBinding,
    values: Vec<Option<String>>,
    params: ReadParams,
    env: &Arc<RequestEnv>,
    scope: BindingScope,
) -> Reply {
    binding.common.guards.check(env).await?;
    *env.cache_ttl.lock().unwrap_or_else(|e| e.into_inner()) = binding.cache_ttl;
    let round = mrtr::round_for(
        &binding.common,
        env,
        "resources/read",
        &params.uri,
        || Ok(serde_json::Value::Null),
        params.input_responses.as_ref(),
        params.request_state.as_deref(),
    )?;
    let progress_token = params.meta.and_then(|m| m.progress_token);
    let ctx = Context::new(Arc::clone(env), progress_token).with_input_round(round.clone());
    let request = ResourceRequest::new(params.uri.clone(), values);
    let timeout = binding.common.timeout.or(server.config.default_timeout);
    let call = invoke(scope.run(|| (binding.handler)(request, ctx)), timeout);
    let outcome = match mrtr::run(server, env, round.as_deref(), call).await {
        Ok(outcome) => outcome,
        Err(stop) => return stopped(stop),
    };
    let mut result = match outcome {
        Ok(Ok(result)) => result,
        Ok(Err(error)) => return Err(binding_error(error, &params.uri, env.protocol_version)),
        Err(failure) => return Err(failure_error(failure, "resource", &binding.common.name)),
    };
    if let Some(mime_type) = &binding.mime_type {
        for contents in &mut result.contents {
            contents
                .mime_type_mut()
                .get_or_insert_with(|| mime_type.to_string());
        }
    }
    to_reply(&result)
}

#[derive(Deserialize)]
struct SubscribeParams {
    uri: String,
}

/// `resources/subscribe` and `resources/unsubscribe`: updates then come from
/// `McpServer::notify_resource_updated`. An HTTP session's subscriptions are kept in the
/// store, so updates reach it on whichever replica it reads its stream.
pub(super) async fn subscribe(
    server: &Shared,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
    on: bool,
) -> Reply {
    let SubscribeParams { uri } = decode_params(params)?;
    let session = env.session();
    let max = session.limits().subscriptions;
    let max_bytes = session.limits().subscription_bytes;
    let subscribed = match session.id() {
        Some(id) => {
            let patch = if on {
                SessionPatch::Subscribe {
                    uri,
                    max,
                    max_bytes,
                }
            } else {
                SessionPatch::Unsubscribe { uri }
            };
            super::lifecycle::patched(server.sessions.patch(id, patch).await?)?
        }
        None if on => session.subscribe(&uri),
        None => {
            session.unsubscribe(&uri);
            true
        }
    };
    if !subscribed {
        return Err(RpcError::invalid_request(
            "invalid request: this session holds as many subscriptions (or URI bytes) as max_subscriptions allows; unsubscribe from one first",
        ));
    }
    to_reply(&serde_json::json!({}))
}

/// How a resource's or prompt's own error reaches the client.
pub(super) fn binding_error(error: ToolError, uri: &str, version: ProtocolVersion) -> RpcError {
    match error {
        ToolError::Service(e) if e.is_not_found() => RpcError::resource_not_found(uri, version),
        ToolError::Service(e) => {
            with_detail(RpcError::internal(e.message().to_owned()), e.detail())
        }
        ToolError::Validation(e) => {
            with_detail(RpcError::invalid_params(e.message().to_owned()), e.detail())
        }
    }
}

fn with_detail(error: RpcError, detail: Option<&serde_json::Value>) -> RpcError {
    match detail {
        Some(detail) => error.with_data(serde_json::json!({ "detail": detail })),
        None => error,
    }
}

/// A panic or timeout in a resource or prompt: `-32603`, logged, details kept server-side.
pub(super) fn failure_error(failure: Failure, kind: &str, name: &str) -> RpcError {
    match failure {
        Failure::Panicked(message) => {
            tracing::error!(binding = %name, panic = %message, "{kind} panicked");
            RpcError::internal(format!(
                "internal error: {kind} `{name}` failed unexpectedly"
            ))
        }
        Failure::TimedOut(limit) => RpcError::internal(format!(
            "{kind} `{name}` timed out after {}s",
            limit.as_secs_f64()
        )),
    }
}
