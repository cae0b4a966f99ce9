//! `completion/complete` for prompt arguments and resource template variables.

use super::invoke::invoke;
use super::resources::failure_error;
use super::{Reply, RequestMeta, to_reply};
use crate::context::RequestEnv;
use crate::protocol::{CompletionValues, RpcError, decode_params};
use crate::registry::{Common, Completer, CompletionRequest};
use crate::shared::Shared;
use crate::telemetry::{DispatchSpan, Operation, Outcome};
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::Arc;

/// The most values one completion result may carry.
const MAX_VALUES: usize = 100;

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Reference {
    #[serde(rename = "ref/prompt")]
    Prompt { name: String },
    #[serde(rename = "ref/resource")]
    Resource { uri: String },
}

#[derive(Deserialize)]
struct ArgumentParams {
    name: String,
    value: String,
}

#[derive(Deserialize, Default)]
struct ContextParams {
    #[serde(default)]
    arguments: HashMap<String, String>,
}

#[derive(Deserialize)]
struct CompleteParams {
    #[serde(rename = "ref")]
    reference: Reference,
    argument: ArgumentParams,
    #[serde(default)]
    context: Option<ContextParams>,
    #[serde(rename = "_meta", default)]
    meta: Option<RequestMeta>,
}

pub(super) async fn complete(
    server: &Shared,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let params: CompleteParams = decode_params(params)?;
    let (common, completer) = resolve(server, &params)?;
    let binding_name = &common.name;
    let mut span = DispatchSpan::start(
        &server.config.telemetry,
        Operation::CompletionComplete,
        binding_name,
        env,
        params.meta.as_ref(),
    );
    span.set_completion_argument(&params.argument.name);
    if let Err(error) = common.guards.check_completion(env).await {
        span.end(Outcome::RpcError(error.code));
        return Err(error);
    }
    let request = CompletionRequest {
        argument: params.argument.name,
        value: params.argument.value,
        context: params.context.unwrap_or_default().arguments,
    };
    let values = match completer {
        None => CompletionValues::default(),
        Some(completer) => match invoke(
            span.scope().run(|| completer(request)),
            server.config.default_timeout,
        )
        .await
        {
            Ok(values) => values,
            Err(failure) => {
                let error = failure_error(failure, "completion", binding_name);
                span.end(Outcome::RpcError(error.code));
                return Err(error);
            }
        },
    };
    span.end(Outcome::Ok);
    to_reply(&json!({ "completion": capped(values) }))
}

/// Finds the binding and the handler for the argument; an argument nobody completes gets
/// an empty list, an argument the binding does not have is `-32602`.
fn resolve<'s>(
    server: &'s Shared,
    params: &CompleteParams,
) -> Result<(&'s Common, Option<&'s Completer>), RpcError> {
    let argument = params.argument.name.as_str();
    let (common, known) = match &params.reference {
        Reference::Prompt { name } => {
            let prompt = server
                .registry
                .prompt(name)
                .ok_or_else(|| RpcError::invalid_params(format!("Unknown prompt: {name}")))?;
            let known = prompt.binding.arguments.iter().any(|a| a.name == argument);
            (&prompt.binding.common, known)
        }
        Reference::Resource { uri } => {
            let resource = server.registry.resource_by_template(uri).ok_or_else(|| {
                RpcError::invalid_params(format!("Unknown resource template: {uri}"))
            })?;
            let known = resource
                .template
                .variables()
                .iter()
                .any(|v| v.name == argument);
            (&resource.binding.common, known)
        }
    };
    if !known {
        return Err(RpcError::invalid_params(format!(
            "`{}` has no argument named `{argument}`",
            common.name
        )));
    }
    Ok((common, common.completions.for_argument(argument)))
}

fn capped(mut values: CompletionValues) -> CompletionValues {
    if values.values.len() > MAX_VALUES {
        values.total = Some(values.total.unwrap_or(values.values.len() as u64));
        values.values.truncate(MAX_VALUES);
        values.has_more = true;
    }
    values
}
