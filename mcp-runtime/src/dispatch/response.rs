//! Turning a request's outcome into its response line: the era's routing, cancellation,
//! panics, and results over `max_result_bytes`.

use super::invoke::CatchPanic;
use super::{Routed, route};
use crate::context::{Cancel, RequestEnv};
use crate::protocol::{RequestId, RpcError, response_error, response_ok};
use crate::shared::Shared;
use serde_json::value::RawValue;
use std::sync::Arc;

/// Which era a request is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Era {
    /// 2025: after `initialize`, within a session.
    Session,
    /// 2026-07-28 on: each request on its own.
    Stateless,
}

pub(super) async fn respond(
    server: &Shared,
    id: &RequestId,
    method: &str,
    params: Option<&RawValue>,
    started: Option<Routed<'static>>,
    env: &Arc<RequestEnv>,
    era: Era,
) -> Option<String> {
    let cancellation = &env.cancellation;
    let routed: Routed<'_> = match era {
        Era::Session => started.unwrap_or_else(|| route(server, method, params, env)),
        Era::Stateless => Box::pin(super::stateless::route_stateless(
            server, method, params, started, env,
        )),
    };
    let outcome = unless_cancelled(cancellation, routed).await?;
    if cancellation.is_cancelled() {
        return None;
    }
    Some(response_line(server, id, method, env, outcome))
}

/// The response line of a handler's outcome.
pub(super) fn response_line(
    server: &Shared,
    id: &RequestId,
    method: &str,
    env: &RequestEnv,
    outcome: Result<super::Reply, super::invoke::Failure>,
) -> String {
    match outcome {
        Ok(Ok(result)) if result.len() > server.config.max_result_bytes => {
            let stateless = env.protocol_version().is_stateless();
            oversized(
                id,
                method,
                stateless,
                result.len(),
                server.config.max_result_bytes,
            )
        }
        Ok(Ok(result)) => result.into_response(id),
        Ok(Err(error)) => response_error(Some(id), &error),
        Err(failure) => {
            tracing::error!(method, ?failure, "request handler panicked");
            response_error(Some(id), &RpcError::internal("internal error"))
        }
    }
}

/// Runs a router to its reply (a panic becomes `Failure`), or to nothing when the request
/// is cancelled first: a cancelled request is never answered, even when its binding noticed
/// the cancellation and returned in the same instant.
async fn unless_cancelled(
    cancellation: &Cancel,
    routed: super::Routed<'_>,
) -> Option<Result<super::Reply, super::invoke::Failure>> {
    // The router is polled first: most requests finish on their first poll, and then never
    // register as a waiter on the cancellation. A cancellation that lands while the router
    // runs is caught on the next wake-up, or by the caller's check after.
    tokio::select! {
        biased;
        outcome = CatchPanic(routed) => Some(outcome),
        () = cancellation.cancelled() => None,
    }
}

/// The answer for a result over `max_result_bytes`: a tool error the model can read, or
/// `-32603` elsewhere; never a truncated result.
fn oversized(id: &RequestId, method: &str, stateless: bool, size: usize, max: usize) -> String {
    let message =
        format!("result too large: {size} bytes is over the server's max_result_bytes ({max})");
    tracing::warn!(method, size, max, "result over max_result_bytes");
    if method == "tools/call" {
        let mut result = serde_json::json!(crate::protocol::CallToolResult::error(message));
        if stateless {
            result["resultType"] = "complete".into();
        }
        match serde_json::to_string(&result) {
            Ok(json) => response_ok(id, &json),
            Err(_) => response_error(Some(id), &RpcError::internal("internal error")),
        }
    } else {
        response_error(Some(id), &RpcError::internal(message))
    }
}
