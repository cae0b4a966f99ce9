//! Requests of the stateless era (2026-07-28): no handshake, no session; each request
//! carries its revision and capabilities, and each result says what it is.

use super::{Reply, ReplyBody, Routed, route, to_reply};
use crate::context::RequestEnv;
use crate::protocol::stateless::{CacheHint, decorate};
use crate::protocol::{ProtocolVersion, RpcError};
use crate::shared::Shared;
use serde_json::json;
use serde_json::value::RawValue;
use std::sync::Arc;

/// Methods of the 2025 era that the stateless era removed: `-32601` (HTTP 404).
const REMOVED: [&str; 7] = [
    "initialize",
    "ping",
    "logging/setLevel",
    "resources/subscribe",
    "resources/unsubscribe",
    "tasks/result",
    "tasks/list",
];

pub(crate) async fn route_stateless(
    server: &Shared,
    method: &str,
    params: Option<&RawValue>,
    started: Option<Routed<'static>>,
    env: &Arc<RequestEnv>,
) -> Reply {
    if REMOVED.contains(&method) {
        return Err(RpcError::method_not_found(method));
    }
    let body = match method {
        "server/discover" => discover(server)?,
        "subscriptions/listen" => super::subscriptions::listen(server, params, env).await?,
        "tasks/get" => super::tasks::get(server, params, env).await?,
        "tasks/update" => super::tasks::update(server, params, env).await?,
        "tasks/cancel" => super::tasks::cancel(server, params, env).await?,
        _ => match started {
            Some(started) => started.await?,
            None => route(server, method, params, env).await?,
        },
    };
    Ok(complete(server, method, env, &body))
}

/// A result of the stateless era as sent: marked `complete`, with the server's identity
/// and, where they apply, caching hints.
pub(crate) fn complete(
    server: &Shared,
    method: &str,
    env: &RequestEnv,
    body: &ReplyBody,
) -> ReplyBody {
    let cache = cache_hint(server, method, env);
    ReplyBody::Encoded(decorate(body, "complete", &server.server_info_json, cache))
}

/// `server/discover`: the revisions, capabilities and identity of this server.
fn discover(server: &Shared) -> Reply {
    let versions: Vec<&str> = ProtocolVersion::SUPPORTED
        .iter()
        .map(|v| v.as_str())
        .collect();
    let mut result =
        json!({ "supportedVersions": versions, "capabilities": server.stateless_capabilities });
    if let Some(instructions) = &server.instructions {
        result["instructions"] = json!(instructions);
    }
    to_reply(&result)
}

/// The caching hints of the results that carry them: the server's, or for a read the
/// resource's own `cache_ttl`.
fn cache_hint(server: &Shared, method: &str, env: &RequestEnv) -> Option<CacheHint> {
    let mut hint = server.config.cache_hint;
    match method {
        "server/discover"
        | "tools/list"
        | "prompts/list"
        | "resources/list"
        | "resources/templates/list" => Some(hint),
        "resources/read" => {
            if let Some(ttl) = *env.cache_ttl.lock().unwrap_or_else(|e| e.into_inner()) {
                hint.ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
            }
            Some(hint)
        }
        _ => None,
    }
}
