//! `prompts/get`: resolve, check required arguments, guard, render.

use super::invoke::invoke;
use super::resources::{binding_error, failure_error};
use super::{Reply, RequestMeta, to_reply};
use crate::context::{Context, RequestEnv};
use crate::extract::PromptArguments;
use crate::protocol::{RpcError, decode_params};
use crate::registry::PromptBinding;
use crate::server::ServerInner;
use crate::telemetry::{DispatchSpan, Operation, Outcome};
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize)]
struct GetParams {
    name: String,
    #[serde(default)]
    arguments: Option<HashMap<String, String>>,
    #[serde(rename = "_meta", default)]
    meta: Option<RequestMeta>,
}

pub(super) async fn get(
    server: &ServerInner,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let params: GetParams = decode_params(params)?;
    let prompt = server
        .registry
        .prompt(&params.name)
        .ok_or_else(|| RpcError::invalid_params(format!("Unknown prompt: {}", params.name)))?;
    let span = DispatchSpan::start(
        server,
        Operation::PromptsGet,
        &prompt.binding.common.name,
        env,
        params.meta.as_ref(),
    );
    let result = get_guarded(server, &prompt.binding, params, env).await;
    span.end(
        result
            .as_ref()
            .map_or_else(|e| Outcome::RpcError(e.code), |_| Outcome::Ok),
    );
    result
}

async fn get_guarded(
    server: &ServerInner,
    binding: &PromptBinding,
    params: GetParams,
    env: &Arc<RequestEnv>,
) -> Reply {
    let arguments = params.arguments.unwrap_or_default();
    let missing: Vec<&str> = binding
        .arguments
        .iter()
        .filter(|a| a.required && !arguments.contains_key(&a.name))
        .map(|a| a.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(RpcError::invalid_params(format!(
            "missing required arguments: {}",
            missing.join(", ")
        ))
        .with_data(json!({ "missing": missing })));
    }
    binding.common.guards.check(env)?;
    let ctx = Context::new(
        Arc::clone(env),
        Arc::clone(&server.states),
        params.meta.and_then(|m| m.progress_token),
    );
    let pending = (binding.handler)(PromptArguments::new(arguments), ctx);
    let outcome = invoke(
        pending,
        binding.common.timeout.or(server.config.default_timeout),
    )
    .await;
    if let Some(error) = env.missing_capability_error() {
        return Err(error);
    }
    match outcome {
        Ok(Ok(result)) => to_reply(&result),
        Ok(Err(error)) => Err(binding_error(error, &params.name, env.protocol_version)),
        Err(failure) => Err(failure_error(failure, "prompt", &params.name)),
    }
}
