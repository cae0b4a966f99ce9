//! The stateless era's routing headers: `Mcp-Method` on every request, `Mcp-Name` on named
//! methods, `Mcp-Param-{Name}` for tool arguments marked `x-mcp-header`. Each must agree
//! with the body (`-32020` otherwise), so intermediaries can route on headers safely.

use crate::protocol::{RpcError, codes};
use crate::server::ServerInner;
use axum::http::HeaderMap;
use base64::Engine as _;
use serde_json::Value;
use serde_json::value::RawValue;

fn mismatch(message: String) -> RpcError {
    RpcError::new(
        codes::HEADER_MISMATCH,
        format!("header mismatch: {message}"),
    )
}

/// A header's value with optional whitespace trimmed; `None` when absent.
fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
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
    server: &ServerInner,
    headers: &HeaderMap,
    method: &str,
    params: Option<&RawValue>,
) -> Result<(), RpcError> {
    let mcp_method = header(headers, "mcp-method")
        .ok_or_else(|| mismatch("the Mcp-Method header is required".into()))?;
    if mcp_method != method {
        return Err(mismatch(format!(
            "Mcp-Method is `{mcp_method}` but the body's method is `{method}`"
        )));
    }
    let Some(field) = named_field(method) else {
        return Ok(());
    };
    let body: Value = params
        .and_then(|p| serde_json::from_str(p.get()).ok())
        .unwrap_or(Value::Null);
    let expected = body[field].as_str().unwrap_or_default();
    let name = header(headers, "mcp-name")
        .ok_or_else(|| mismatch(format!("the Mcp-Name header is required for {method}")))?;
    if decoded(name)? != expected {
        return Err(mismatch(format!(
            "Mcp-Name `{name}` does not match the body's {field} `{expected}`"
        )));
    }
    if method == "tools/call" {
        check_parameters(server, headers, expected, &body["arguments"])?;
    }
    Ok(())
}

/// Every argument of the tool marked `x-mcp-header` that the call sets must be mirrored in
/// its `Mcp-Param-{Name}` header, with the same value.
fn check_parameters(
    server: &ServerInner,
    headers: &HeaderMap,
    tool: &str,
    arguments: &Value,
) -> Result<(), RpcError> {
    let Some(tool) = server.registry.tool(tool) else {
        return Ok(());
    };
    for (property, header_name) in &tool.header_parameters {
        let value = &arguments[property.as_str()];
        if value.is_null() {
            continue;
        }
        let name = format!("mcp-param-{header_name}");
        let given = header(headers, &name)
            .ok_or_else(|| mismatch(format!("the Mcp-Param-{header_name} header is required")))?;
        let given = decoded(given)?;
        let agrees = match value {
            Value::String(s) => *s == given,
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
