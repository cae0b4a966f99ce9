//! The conformance suite's tool fixtures.

use crate::media::{RED_PIXEL_PNG, SILENT_WAV};
use mcp_runtime::prelude::*;
use mcp_runtime::{context::ElicitResult, context::SamplingRequest};
use serde_json::json;
use std::time::Duration;

/// Tests simple text content response.
#[mcp_tool]
fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

/// Tests image content response.
#[mcp_tool]
fn test_image_content() -> Content {
    Content::image(RED_PIXEL_PNG, "image/png")
}

/// Tests audio content response.
#[mcp_tool]
fn test_audio_content() -> Content {
    Content::audio(SILENT_WAV, "audio/wav")
}

/// Tests embedded resource content response.
#[mcp_tool]
fn test_embedded_resource() -> Content {
    let resource = ResourceContents::text(
        "test://embedded-resource",
        "This is an embedded resource content.",
    );
    Content::resource(resource.with_mime_type("text/plain"))
}

/// Tests response with multiple content types (text, image, resource).
#[mcp_tool]
fn test_multiple_content_types() -> Vec<Content> {
    let resource = ResourceContents::text(
        "test://mixed-content-resource",
        r#"{"test":"data","value":123}"#,
    );
    vec![
        Content::text("Multiple content types test:"),
        Content::image(RED_PIXEL_PNG, "image/png"),
        Content::resource(resource.with_mime_type("application/json")),
    ]
}

/// Tests tool that emits log messages during execution.
#[mcp_tool]
async fn test_tool_with_logging(ctx: Context) -> &'static str {
    for (step, message) in [
        "Tool execution started",
        "Tool processing data",
        "Tool execution completed",
    ]
    .iter()
    .enumerate()
    {
        if step > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ctx.log(LogLevel::Info, message).await;
    }
    "Tool with logging executed successfully"
}

/// Tests tool that reports progress notifications.
#[mcp_tool]
async fn test_tool_with_progress(ctx: Context) -> &'static str {
    for (step, progress) in [0.0, 50.0, 100.0].into_iter().enumerate() {
        if step > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ctx.progress_with_message(
            progress,
            Some(100.0),
            &format!("Completed step {step} of 2"),
        )
        .await;
    }
    "Progress test completed"
}

/// Tests error response handling.
#[mcp_tool]
fn test_error_handling() -> CallToolResult {
    CallToolResult::error("This tool intentionally returns an error for testing")
}

/// Tests server-initiated sampling (LLM completion request).
#[mcp_tool]
async fn test_sampling(
    #[arg(description = "The prompt to send to the LLM")] prompt: String,
    ctx: Context,
) -> Result<String, ServiceError> {
    let answer = ctx.sample(SamplingRequest::new(100).user(prompt)).await?;
    Ok(format!(
        "LLM response: {}",
        answer.content.as_text().unwrap_or("(non-text content)")
    ))
}

/// Tests server-initiated elicitation (user input request).
#[mcp_tool]
async fn test_elicitation(
    #[arg(description = "The message to show the user")] message: String,
    ctx: Context,
) -> Result<String, ServiceError> {
    let schema = json!({
        "type": "object",
        "properties": {
            "username": { "type": "string", "description": "User's response" },
            "email": { "type": "string", "description": "User's email address" }
        },
        "required": ["username", "email"]
    });
    let answer = ctx.elicit(&message, schema).await?;
    Ok(summary("User response", &answer))
}

/// Tests elicitation with default values (SEP-1034).
#[mcp_tool]
async fn test_elicitation_sep1034_defaults(ctx: Context) -> Result<String, ServiceError> {
    let schema = json!({
        "type": "object",
        "properties": {
            "name": { "type": "string", "description": "User name", "default": "John Doe" },
            "age": { "type": "integer", "description": "User age", "default": 30 },
            "score": { "type": "number", "description": "User score", "default": 95.5 },
            "status": {
                "type": "string",
                "description": "User status",
                "enum": ["active", "inactive", "pending"],
                "default": "active"
            },
            "verified": { "type": "boolean", "description": "Verification status", "default": true }
        },
        "required": []
    });
    let answer = ctx
        .elicit(
            "Please review and update the form fields with defaults",
            schema,
        )
        .await?;
    Ok(summary("Elicitation completed", &answer))
}

/// Tests every enum form of elicitation (SEP-1330).
#[mcp_tool]
async fn test_elicitation_sep1330_enums(ctx: Context) -> Result<String, ServiceError> {
    let titled = |prefix: &str, titles: [&str; 3]| -> Vec<serde_json::Value> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| json!({ "const": format!("{prefix}{}", i + 1), "title": t }))
            .collect()
    };
    let schema = json!({
        "type": "object",
        "properties": {
            "untitledSingle": {
                "type": "string", "description": "Select one option", "enum": ["option1", "option2", "option3"]
            },
            "titledSingle": {
                "type": "string", "description": "Select one option with titles",
                "oneOf": titled("value", ["First Option", "Second Option", "Third Option"])
            },
            "legacyEnum": {
                "type": "string", "description": "Select one option (legacy)",
                "enum": ["opt1", "opt2", "opt3"], "enumNames": ["Option One", "Option Two", "Option Three"]
            },
            "untitledMulti": {
                "type": "array", "description": "Select multiple options", "minItems": 1, "maxItems": 3,
                "items": { "type": "string", "enum": ["option1", "option2", "option3"] }
            },
            "titledMulti": {
                "type": "array", "description": "Select multiple options with titles", "minItems": 1, "maxItems": 3,
                "items": { "anyOf": titled("value", ["First Choice", "Second Choice", "Third Choice"]) }
            }
        },
        "required": []
    });
    let answer = ctx
        .elicit("Please select options from the enum fields", schema)
        .await?;
    Ok(summary("Elicitation completed", &answer))
}

/// How the elicitation fixtures report what the user did.
fn summary(prefix: &str, answer: &ElicitResult) -> String {
    format!(
        "{prefix}: action={}, content={}",
        json!(answer.action),
        json!(answer.content)
    )
}

/// Tests SSE stream disconnection and client reconnection (SEP-1699): the server closes the
/// stream mid-call and sends the result after the client reconnects.
#[mcp_tool]
async fn test_reconnection(ctx: Context) -> &'static str {
    ctx.close_sse_stream().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    "Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure."
}

/// The arguments of `json_schema_2020_12_tool`, with a hand-written JSON Schema 2020-12
/// that uses `$defs`, `$anchor`, composition and conditionals.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct ContactInput {
    name: Option<String>,
    address: Option<serde_json::Value>,
    contact_method: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

impl JsonSchema for ContactInput {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ContactInput".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "$defs": {
                "address": {
                    "$anchor": "addressDef",
                    "type": "object",
                    "properties": { "street": { "type": "string" }, "city": { "type": "string" } }
                }
            },
            "properties": {
                "name": { "type": "string" },
                "address": { "$ref": "#/$defs/address" },
                "contactMethod": { "type": "string", "enum": ["phone", "email"] },
                "phone": { "type": "string" },
                "email": { "type": "string" }
            },
            "allOf": [ { "anyOf": [ { "required": ["phone"] }, { "required": ["email"] } ] } ],
            "if": { "properties": { "contactMethod": { "const": "phone" } }, "required": ["contactMethod"] },
            "then": { "required": ["phone"] },
            "else": { "required": ["email"] },
            "additionalProperties": false
        })
    }
}

/// Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613).
#[mcp_tool]
fn json_schema_2020_12_tool(#[args] input: ContactInput) -> String {
    format!("JSON Schema 2020-12 tool called with: {}", json!(input))
}
