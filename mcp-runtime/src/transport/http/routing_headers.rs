//! The stateless era's routing headers: `Mcp-Method` on every request, `Mcp-Name` on named
//! methods, `Mcp-Param-{Name}` for tool arguments marked `x-mcp-header`. Each must agree
//! with the body (`-32020` otherwise), so intermediaries can route on headers safely.

use super::header_names::{MCP_METHOD, MCP_NAME};
use crate::extract::RawArguments;
use crate::protocol::{Decoded, Incoming, RpcError, codes};
use crate::shared::Shared;
use axum::http::HeaderMap;
use axum::http::header::AsHeaderName;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

fn mismatch(message: String) -> RpcError {
    RpcError::new(
        codes::HEADER_MISMATCH,
        format!("header mismatch: {message}"),
    )
}

/// A header's value with optional whitespace trimmed; `None` when absent.
fn header(headers: &HeaderMap, name: impl AsHeaderName) -> Option<&str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_matches([' ', '\t']))
}

/// A header value as the client meant it: `=?base64?...?=` is strict standard base64 of
/// UTF-8 (padding required); anything else is literal.
fn decoded(value: &str) -> Result<String, RpcError> {
    let Some(encoded) = value
        .strip_prefix("=?base64?")
        .and_then(|v| v.strip_suffix("?="))
    else {
        return Ok(value.to_owned());
    };
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| mismatch(format!("`{value}` is not valid =?base64?...?= encoding")))
}

/// The body field `Mcp-Name` mirrors, for the methods that have one.
fn named_field(method: &str) -> Option<&'static str> {
    match method {
        "tools/call" | "prompts/get" => Some("name"),
        "resources/read" => Some("uri"),
        "tasks/get" | "tasks/update" | "tasks/cancel" => Some("taskId"),
        _ => None,
    }
}

pub(crate) fn check(
    server: &Shared,
    headers: &HeaderMap,
    message: &Decoded<'_>,
) -> Result<(), RpcError> {
    let method = message.method().unwrap_or_default();
    let mcp_method = header(headers, &MCP_METHOD)
        .ok_or_else(|| mismatch("the Mcp-Method header is required".into()))?;
    if mcp_method != method {
        return Err(mismatch(format!(
            "Mcp-Method is `{mcp_method}` but the body's method is `{method}`"
        )));
    }
    let Some(field) = named_field(method) else {
        return Ok(());
    };
    let check = |named: &str, arguments: Option<&RawArguments<'_>>| {
        check_name(headers, method, field, named)?;
        match arguments {
            Some(arguments) if method == "tools/call" => {
                check_parameters(server, headers, named, arguments)
            }
            _ => Ok(()),
        }
    };
    match message {
        // Decoded with the envelope: nothing is read twice.
        Decoded::ToolCall { params, .. } => check(&params.name, params.arguments.as_ref()),
        Decoded::Incoming(Incoming::Request {
            params: Some(params),
            ..
        }) => {
            let mirrored = Mirrored::of(params);
            let arguments = mirrored
                .arguments
                .and_then(|raw| serde_json::from_str::<RawArguments<'_>>(raw.get()).ok());
            check(&mirrored.named(field), arguments.as_ref())
        }
        Decoded::Incoming(_) => check("", None),
    }
}

/// What the routing headers mirror of params that were not decoded with the envelope.
#[derive(Deserialize, Default)]
struct Mirrored<'a> {
    #[serde(borrow, default)]
    name: Option<&'a RawValue>,
    #[serde(borrow, default)]
    uri: Option<&'a RawValue>,
    #[serde(rename = "taskId", borrow, default)]
    task_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
}

impl<'a> Mirrored<'a> {
    /// Params that are no object, or that hold a member twice, mirror nothing.
    fn of(params: &'a RawValue) -> Self {
        serde_json::from_str(params.get()).unwrap_or_default()
    }

    /// The named field's value; empty when it is absent or no string.
    fn named(&self, field: &str) -> String {
        let raw = match field {
            "name" => self.name,
            "uri" => self.uri,
            _ => self.task_id,
        };
        raw.and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or_default()
    }
}

/// `Mcp-Name` must be present and equal the body's named field.
fn check_name(
    headers: &HeaderMap,
    method: &str,
    field: &str,
    expected: &str,
) -> Result<(), RpcError> {
    let name = header(headers, &MCP_NAME)
        .ok_or_else(|| mismatch(format!("the Mcp-Name header is required for {method}")))?;
    if decoded(name)? != expected {
        return Err(mismatch(format!(
            "Mcp-Name `{name}` does not match the body's {field} `{expected}`"
        )));
    }
    Ok(())
}

/// Every argument of the tool marked `x-mcp-header` that the call sets must be mirrored in
/// its `Mcp-Param-{Name}` header, with the same value.
fn check_parameters(
    server: &Shared,
    headers: &HeaderMap,
    tool: &str,
    arguments: &RawArguments<'_>,
) -> Result<(), RpcError> {
    let Some(tool) = server.registry.tool(tool) else {
        return Ok(());
    };
    for (property, header_name) in &tool.header_parameters {
        // Absent, `null`, or no JSON value at all: nothing to mirror.
        let Some(value) = arguments.take::<Option<Value>>(property).ok().flatten() else {
            continue;
        };
        let name = format!("mcp-param-{header_name}");
        let given = header(headers, &name)
            .ok_or_else(|| mismatch(format!("the Mcp-Param-{header_name} header is required")))?;
        let given = decoded(given)?;
        let agrees = match value {
            Value::String(s) => s == given,
            Value::Bool(b) => given == b.to_string(),
            Value::Number(n) => given.parse::<f64>().ok() == n.as_f64(),
            _ => false,
        };
        if !agrees {
            return Err(mismatch(format!(
                "Mcp-Param-{header_name} does not match the argument `{property}`"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_values_decode_strictly_and_other_values_are_literal() {
        assert_eq!(decoded("=?base64?SGVsbG8=?=").unwrap(), "Hello");
        assert!(
            decoded("=?base64?SGVsbG8?=").is_err(),
            "padding is required"
        );
        assert!(decoded("=?base64?SGVs!!!bG8=?=").is_err());
        assert_eq!(decoded("SGVsbG8=").unwrap(), "SGVsbG8=");
        assert_eq!(decoded("=?base64?SGVsbG8=").unwrap(), "=?base64?SGVsbG8=");
    }
}
