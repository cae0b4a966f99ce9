//! The conformance suite's prompt fixtures.

use crate::media::RED_PIXEL_PNG;
use mcp_runtime::binding::CompletionRequest;
use mcp_runtime::prelude::*;

/// A simple prompt without arguments.
#[mcp_prompt]
fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

/// A prompt with required arguments.
#[mcp_prompt]
fn test_prompt_with_arguments(
    #[arg(description = "First test argument", complete = suggest)] arg1: String,
    #[arg(description = "Second test argument")] arg2: String,
) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

fn suggest(request: CompletionRequest) -> Vec<String> {
    ["test-value-1", "test-value-2", "other"]
        .into_iter()
        .filter(|v| v.starts_with(request.value()))
        .map(str::to_owned)
        .collect()
}

/// A prompt with an embedded resource.
#[mcp_prompt]
fn test_prompt_with_embedded_resource(
    #[arg(name = "resourceUri", description = "URI of the resource to embed")] resource_uri: String,
) -> Vec<PromptMessage> {
    let resource = ResourceContents::text(resource_uri, "Embedded resource content for testing.");
    vec![
        PromptMessage {
            role: Role::User,
            content: Content::resource(resource.with_mime_type("text/plain")),
        },
        PromptMessage::user("Please process the embedded resource above."),
    ]
}

/// A prompt with an image.
#[mcp_prompt]
fn test_prompt_with_image() -> Vec<PromptMessage> {
    vec![
        PromptMessage {
            role: Role::User,
            content: Content::image(RED_PIXEL_PNG, "image/png"),
        },
        PromptMessage::user("Please analyze the image above."),
    ]
}
