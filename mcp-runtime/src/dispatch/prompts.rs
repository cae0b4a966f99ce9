//! `prompts/get`: resolve, check required arguments, guard, render.

use super::invoke::invoke;
use super::resources::{binding_error, failure_error};
use super::stopped;
use super::{Reply, RequestMeta, to_reply};
use crate::context::{Context, RequestEnv};
use crate::extract::PromptArguments;
use crate::mrtr;
use crate::protocol::{RpcError, decode_params};
use crate::registry::PromptBinding;
use crate::shared::Shared;
use crate::telemetry::{BindingScope, DispatchSpan, Operation, Outcome};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Deserialize)]
struct GetParams {
    name: String,
    #[serde(default)]
    arguments: Option<HashMap<String, String>>,
    #[serde(rename = "_meta", default)]
    meta: Option<RequestMeta>,
    /// A multi-round retry's answers and state (2026 era).
    #[serde(rename = "inputResponses", default)]
    input_responses: Option<Value>,
    #[serde(rename = "requestState", default)]
    request_state: Option<String>,
}

pub(super) async fn get(
    server: &Shared,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let params: GetParams = decode_params(params)?;
    let prompt = server
        .registry
        .prompt(&params.name)
        .ok_or_else(|| RpcError::invalid_params(format!("Unknown prompt: {}", params.name)))?;
    let span = DispatchSpan::start(
        &server.config.telemetry,
        Operation::PromptsGet,
        &prompt.binding.common.name,
        env,
        params.meta.as_ref(),
    );
    let result = get_guarded(server, &prompt.binding, params, env, span.scope()).await;
    span.end(
        result
            .as_ref()
            .map_or_else(|e| Outcome::RpcError(e.code), |_| Outcome::Ok),
    );
    result
}

async fn get_guarded(
    server: &Shared,
    binding: &PromptBinding,
    params: GetParams,
    env: &Arc<RequestEnv>,
    scope: BindingScope,
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
    binding.common.guards.check(env).await?;
    let round = mrtr::round_for(
        &binding.common,
        env,
        "prompts/get",
        &params.name,
        || Ok(json!(arguments)),
        params.input_responses.as_ref(),
        params.request_state.as_deref(),
    )?;
    let progress_token = params.meta.and_then(|m| m.progress_token);
    let ctx = Context::new(Arc::clone(env), progress_token).with_input_round(round.clone());
    let pending = scope.run(|| (binding.handler)(PromptArguments::new(arguments), ctx));
    let call = invoke(
        pending,
        binding.common.timeout.or(server.config.default_timeout),
    );
    let outcome = match mrtr::run(server, env, round.as_deref(), call).await {
        Ok(outcome) => outcome,
        Err(stop) => return stopped(stop),
    };
    match outcome {
        Ok(Ok(result)) => to_reply(&result),
        Ok(Err(error)) => Err(binding_error(error, &params.name, env.protocol_version)),
        Err(failure) => Err(failure_error(failure, "prompt", &params.name)),
    }
}
