//! Multi-round requests (MRTR, 2026-07-28): a binding asks the client for input with
//! `ctx.elicit`, `ctx.sample` or `ctx.roots`, exactly as in the 2025 era; in the stateless
//! era there is no channel to the client, so the call answers `input_required` with the
//! requests and a signed `requestState`, and the client's retry runs the binding again
//! with the answers.

mod round;
pub(crate) mod state;

pub(crate) use round::InputRound;

use crate::protocol::RpcError;
use crate::shared::Shared;
use serde_json::{Map, Value, json};
use std::future::Future;

/// Why a binding call gives no outcome of its own.
pub(crate) enum Stop {
    /// It waits for input: answer with this `input_required` result.
    InputRequired(Value),
    /// The request itself is refused (a capability it did not declare, a malformed answer).
    Refused(RpcError),
}

/// The round of a request that may ask for input, in the stateless era; `None` in the
/// 2025 era, where bindings ask the client directly, and for a binding that cannot ask.
/// `arguments` is decoded only for a round.
pub(crate) fn round_for(
    binding: &crate::registry::Common,
    env: &crate::context::RequestEnv,
    method: &str,
    target: &str,
    arguments: impl FnOnce() -> Result<Value, RpcError>,
    input_responses: Option<&Value>,
    request_state: Option<&str>,
) -> Result<Option<std::sync::Arc<InputRound>>, RpcError> {
    // A binding that never sees its `Context` cannot ask for input: nothing to keep.
    if !env.protocol_version().is_stateless() || !binding.requirements.may_ask_input() {
        return Ok(None);
    }
    let round = open_round(
        env.server(),
        method,
        target,
        &arguments()?,
        input_responses,
        request_state,
    )?;
    Ok(Some(std::sync::Arc::new(round)))
}

/// Opens a round for a request that may ask for input: the answers of earlier rounds come
/// from `requestState` (checked), this round's from `inputResponses`.
fn open_round(
    server: &Shared,
    method: &str,
    target: &str,
    arguments: &Value,
    input_responses: Option<&Value>,
    request_state: Option<&str>,
) -> Result<InputRound, RpcError> {
    let round = InputRound::new(state::canonical_request(method, target, arguments));
    let mut answers = match request_state {
        Some(sealed) => state::open(&server.config.request_state_keys, round.digest(), sealed)?,
        None => Map::new(),
    };
    // Answers of earlier rounds are signed and cannot be replaced: only new keys are taken.
    if let Some(Value::Object(responses)) = input_responses {
        for (key, answer) in responses {
            answers.entry(key.clone()).or_insert_with(|| answer.clone());
        }
    }
    Ok(round.with_answers(answers))
}

/// Runs a binding call: with a round, stops it as soon as it waits for input it does not
/// have; then refuses the request if the call needed a capability the request did not
/// declare or met a malformed answer, however the binding handled that.
pub(crate) async fn run<T>(
    server: &Shared,
    env: &crate::context::RequestEnv,
    round: Option<&InputRound>,
    call: impl Future<Output = T>,
) -> Result<T, Stop> {
    let done = match round {
        None => call.await,
        Some(round) => tokio::select! {
            biased;
            done = call => done,
            () = round.input_needed() => {
                return Err(Stop::InputRequired(input_required(server, round)));
            }
        },
    };
    refused(env, round, done)
}

/// A call's outcome, unless the request must be refused however the call went (see
/// [`refusal`]).
pub(crate) fn refused<T>(
    env: &crate::context::RequestEnv,
    round: Option<&InputRound>,
    done: T,
) -> Result<T, Stop> {
    match refusal(env, round) {
        Some(error) => Err(Stop::Refused(error)),
        None => Ok(done),
    }
}

/// Why a call that ran must still be refused: it needed a capability the request did not
/// declare, or met a malformed answer, however the binding handled that.
pub(crate) fn refusal(
    env: &crate::context::RequestEnv,
    round: Option<&InputRound>,
) -> Option<RpcError> {
    env.missing_capability_error()
        .or_else(|| round.and_then(InputRound::invalid_answer))
}

/// The `input_required` result: the requests asked so far, and the answers so far sealed
/// for the retry.
pub(crate) fn input_required(server: &Shared, round: &InputRound) -> Value {
    let requests = round.take_requests();
    let sealed = state::seal(
        &server.config.request_state_keys,
        round.digest(),
        round.answers(),
    );
    json!({ "resultType": "input_required", "inputRequests": requests, "requestState": sealed })
}
