//! One handler per method family. Handlers see a request's params and its [`RequestEnv`],
//! never a transport.

mod completion;
mod connection;
mod invoke;
pub(crate) mod lifecycle;
mod prompts;
mod resources;
mod stateless;
mod subscriptions;
mod tasks;
mod tools;

#[cfg(feature = "http")]
pub(crate) use connection::PendingResponse;
pub(crate) use connection::{Connection, Received};
pub use invoke::run_blocking;

use crate::context::RequestEnv;
use crate::protocol::RpcError;
use crate::registry::{ListKind, PageRef};
use crate::server::ServerInner;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::sync::Arc;

/// A handler's result: JSON serialised for this request, or a list page serialised when
/// the registry was built.
#[derive(Debug)]
pub(crate) enum ReplyBody {
    Owned(Box<RawValue>),
    Page(PageRef),
}

impl std::ops::Deref for ReplyBody {
    type Target = RawValue;
    fn deref(&self) -> &RawValue {
        match self {
            ReplyBody::Owned(raw) => raw,
            ReplyBody::Page(page) => page,
        }
    }
}

pub(crate) type Reply = Result<ReplyBody, RpcError>;

/// `_meta` of a request's params, as far as dispatch reads it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RequestMeta {
    #[serde(rename = "progressToken", default)]
    pub progress_token: Option<Value>,
    /// W3C trace context of the caller (SEP-414).
    #[cfg(feature = "otel")]
    #[serde(default)]
    pub traceparent: Option<String>,
    #[cfg(feature = "otel")]
    #[serde(default)]
    pub tracestate: Option<String>,
}

#[derive(Deserialize)]
struct ListParams<'a> {
    #[serde(borrow, default)]
    cursor: Option<Cow<'a, str>>,
}

/// Routes one request to its handler.
pub(crate) async fn route(
    server: &ServerInner,
    method: &str,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
) -> Reply {
    let list = |kind| -> Reply {
        let ListParams { cursor } = crate::protocol::decode_params(params)?;
        if server.config.filter_listings {
            let allowed = |guards: &crate::guard::Guards| guards.permits(env);
            return server
                .registry
                .filtered_page(kind, cursor.as_deref(), &allowed)
                .map(ReplyBody::Owned);
        }
        server
            .registry
            .page(kind, cursor.as_deref())
            .map(ReplyBody::Page)
    };
    match method {
        "ping" => to_reply(&serde_json::json!({})),
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

/// The reply of a binding call stopped before its own outcome.
pub(crate) fn stopped(stop: crate::mrtr::Stop) -> Reply {
    match stop {
        crate::mrtr::Stop::InputRequired(result) => to_reply(&result),
        crate::mrtr::Stop::Refused(error) => Err(error),
    }
}

pub(crate) fn to_reply(value: &impl serde::Serialize) -> Reply {
    serde_json::value::to_raw_value(value)
        .map(ReplyBody::Owned)
        .map_err(|e| RpcError::internal(format!("could not encode the result: {e}")))
}
