//! A tool call's arguments, from the request's text to the handler's parameters.
//!
//! Every call is checked against the tool's input schema. When each parameter's type
//! accepts only what its schema does (`Declared::Parameters { exact: true }`), decoding
//! the parameters is that check: the arguments go straight from the request's text into
//! them. Only when one does not decode is the schema consulted, for the report it gives.
//! Otherwise the arguments are decoded into a `Value`, validated, and then extracted.

use super::invoke::panic_message;
use crate::context::Context;
use crate::extract::{Arguments, RawArguments};
use crate::protocol::{RpcError, invalid_params};
use crate::registry::{Declared, FrozenTool, ToolCall, ToolFuture, ToolHandler};
use crate::render::ToolOutput;
use crate::service_error::ToolError;
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Where a call stands once its arguments are checked.
pub(super) enum Checked {
    /// The call, with its parameters.
    Call(ToolFuture),
    /// The call of a synchronous function, made already: its result.
    Made(Result<ToolOutput, ToolError>),
    /// The arguments fail the input schema: the report, one line per failing path.
    Invalid(String),
    /// The schema accepts the arguments, a parameter's type does not (or an injected
    /// parameter is missing): answered as the tool's own error would be.
    Unextracted(ToolError),
    /// Extracting a parameter panicked (a `Deserialize` of the application's).
    Panicked(String),
}

/// Checks `arguments` against `tool`'s input schema and extracts its parameters. Arguments
/// that are JSON but no `Value` (a number beyond `f64`) are invalid params, as they are
/// anywhere in a request. With `now`, a synchronous function's call is made here too.
pub(super) fn check(
    tool: &FrozenTool,
    arguments: &RawArguments<'_>,
    ctx: Context,
    echo_input: bool,
    now: bool,
) -> Result<Checked, RpcError> {
    let validate = || -> Result<Result<Value, String>, RpcError> {
        let value = arguments.to_value().map_err(invalid_params)?;
        Ok(tool.validator.validate(&value, echo_input).map(|()| value))
    };
    let prepare = match &tool.binding.handler {
        ToolHandler::Map(handler) => {
            return Ok(match validate()? {
                Ok(Value::Object(map)) => Checked::Call(handler(Arguments::new(map), ctx)),
                Err(report) => Checked::Invalid(report),
                // Input schemas are object schemas (checked at build): this only guards odd ones.
                Ok(_) => Checked::Invalid("invalid arguments:\n- expected an object at /".into()),
            });
        }
        ToolHandler::Declared(prepare) => prepare,
    };
    // Decoding checks exactly what the schema would only for members it declares.
    let exact = tool.binding.declared == Declared::Parameters { exact: true }
        && arguments.only_declared(&tool.properties);
    if !exact && let Err(report) = validate()? {
        return Ok(Checked::Invalid(report));
    }
    let extracted = match catch_unwind(AssertUnwindSafe(|| prepare(arguments, &ctx, now))) {
        Ok(Ok(ToolCall::Future(call))) => return Ok(Checked::Call(call)),
        Ok(Ok(ToolCall::Made(result))) => return Ok(Checked::Made(result)),
        Ok(Err(error)) => error,
        Err(payload) => return Ok(Checked::Panicked(panic_message(payload.as_ref()))),
    };
    // Only now was nothing checked but the types: the schema's report names every failing
    // path, where decoding stopped at the first.
    if exact && let Err(report) = validate()? {
        return Ok(Checked::Invalid(report));
    }
    Ok(Checked::Unextracted(extracted))
}
