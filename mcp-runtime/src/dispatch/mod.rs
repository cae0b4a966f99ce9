//! One handler per method family. Handlers see a request's params and its [`RequestEnv`],
//! never a transport.

mod arguments;
mod completion;
mod connection;
mod invoke;
pub(crate) mod lifecycle;
mod prompts;
mod resources;
mod response;
mod stateless;
mod subscriptions;
mod tasks;
mod tools;

pub(crate) use crate::protocol::RequestMeta;
pub(crate) use connection::{Connection, Received};
pub use invoke::run_blocking;

use crate::context::RequestEnv;
use crate::protocol::RpcError;
use crate::registry::{ListKind, PageRef};
use crate::shared::Shared;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A handler's result as JSON text: encoded for this request (by serde_json, so valid JSON;
/// kept as the `String` it was written into), or a list page encoded when the registry was
/// built.
#[derive(Debug)]
pub(crate) enum ReplyBody {
    Encoded(String),
    Page(PageRef),
}

impl std::ops::Deref for ReplyBody {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            ReplyBody::Encoded(json) => json,
            ReplyBody::Page(page) => page.get(),
        }
    }
}

impl ReplyBody {
    /// The success response carrying this result.
    pub(crate) fn into_response(self, id: &crate::protocol::RequestId) -> String {
        match self {
            ReplyBody::Encoded(json) => crate::protocol::response_ok_around(id, json),
            ReplyBody::Page(page) => crate::protocol::response_ok(id, page.get()),
        }
    }
}

pub(crate) type Reply = Result<ReplyBody, RpcError>;

#[derive(Deserialize)]
struct ListParams<'a> {
    #[serde(borrow, default)]
    cursor: Option<Cow<'a, str>>,
}

/// A routed request: its handler's future, boxed at the size of that handler's own state.
pub(crate) type Routed<'a> = Pin<Box<dyn Future<Output = Reply> + Send + 'a>>;

/// Routes one request to its handler (`tools/call` is started before, see
/// [`tools::start`]). Each handler's future gets a box of its own size,
/// rather than every request carrying the state of the largest handler inline; and what
/// answers at once (lists, ping) is never an async state machine at all.
pub(crate) fn route<'a>(
    server: &'a Shared,
    method: &'a str,
    params: Option<&'a RawValue>,
    env: &'a Arc<RequestEnv>,
) -> Routed<'a> {
    let list = |kind| -> Reply {
        let ListParams { cursor } = crate::protocol::decode_params(params)?;
        if server.config.filter_listings {
            let allowed = |guards: &crate::guard::Guards| guards.permits(env);
            return server
                .registry
                .filtered_page(kind, cursor.as_deref(), &allowed)
                .map(|page| ReplyBody::Encoded(Box::<str>::from(page).into()));
        }
        server
            .registry
            .page(kind, cursor.as_deref())
            .map(ReplyBody::Page)
    };
    let ready = |reply: Reply| -> Routed<'a> { Box::pin(std::future::ready(reply)) };
    match method {
        "ping" => ready(to_reply(&serde_json::json!({}))),
        "tools/list" => ready(list(ListKind::Tools)),
        "resources/list" => ready(list(ListKind::Resources)),
        "resources/templates/list" => ready(list(ListKind::ResourceTemplates)),
        "prompts/list" => ready(list(ListKind::Prompts)),
        "resources/read" => Box::pin(resources::read(server, params, env)),
        "prompts/get" => Box::pin(prompts::get(server, params, env)),
        "completion/complete" => Box::pin(completion::complete(server, params, env)),
        "logging/setLevel" => Box::pin(lifecycle::set_level(server, params, env)),
        "resources/subscribe" => Box::pin(resources::subscribe(server, params, env, true)),
        "resources/unsubscribe" => Box::pin(resources::subscribe(server, params, env, false)),
        other => ready(Err(RpcError::method_not_found(other))),
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
    encoded(serde_json::to_string(value))
}

/// The reply of a result's JSON text, or of the failure to write it.
pub(crate) fn encoded(json: Result<String, serde_json::Error>) -> Reply {
    json.map(ReplyBody::Encoded)
        .map_err(|e| RpcError::internal(format!("could not encode the result: {e}")))
}
