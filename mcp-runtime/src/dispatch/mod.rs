//! One handler per method family. Handlers see a request's params and its [`RequestEnv`],
//! never a transport.

mod completion;
mod connection;
mod invoke;
pub(crate) mod lifecycle;
mod prompts;
mod resources;
mod tools;

pub(crate) use connection::{Connection, Received};
pub use invoke::run_blocking;

use crate::context::RequestEnv;
use crate::protocol::RpcError;
use crate::registry::ListKind;
use crate::server::ServerInner;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::sync::Arc;

/// A handler's result: borrowed when it was serialised at `build()` (list pages).
pub(crate) type Reply<'s> = Result<Cow<'s, RawValue>, RpcError>;

/// `_meta` of a request's params, as far as dispatch reads it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RequestMeta {
    #[serde(rename = "progressToken", default)]
    pub progress_token: Option<Value>,
}

#[derive(Deserialize)]
struct ListParams<'a> {
    #[serde(borrow, default)]
    cursor: Option<Cow<'a, str>>,
}

/// Routes one request to its handler.
pub(crate) async fn route<'s>(
    server: &'s ServerInner,
    method: &str,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply<'s> {
    let list = |kind| -> Reply<'s> {
        let ListParams { cursor } = crate::protocol::decode_params(params)?;
        server
            .registry
            .page(kind, cursor.as_deref())
            .map(Cow::Borrowed)
    };
    match method {
        "ping" => Ok(Cow::Owned(
            RawValue::from_string("{}".into()).expect("valid JSON"),
        )),
        "tools/list" => list(ListKind::Tools),
        "resources/list" => list(ListKind::Resources),
        "resources/templates/list" => list(ListKind::ResourceTemplates),
        "prompts/list" => list(ListKind::Prompts),
        "tools/call" => tools::call(server, params, env).await,
        "resources/read" => resources::read(server, params, env).await,
        "prompts/get" => prompts::get(server, params, env).await,
        "completion/complete" => completion::complete(server, params, env).await,
        "logging/setLevel" => lifecycle::set_level(params, env),
        "resources/subscribe" => resources::subscribe(params, env, true),
        "resources/unsubscribe" => resources::subscribe(params, env, false),
        other => Err(RpcError::method_not_found(other)),
    }
}

pub(crate) fn to_reply<'s>(value: &impl serde::Serialize) -> Reply<'s> {
    serde_json::value::to_raw_value(value)
        .map(Cow::Owned)
        .map_err(|e| RpcError::internal(format!("could not encode the result: {e}")))
}
