//! Fixtures of the multi-round (input_required) scenarios: bindings that ask the client for
//! input with the same calls as in the 2025 era, keyed so clients can answer by name.

use mcp_runtime::prelude::*;
use mcp_runtime::{context::ElicitAction, context::SamplingRequest};
use serde_json::{Value, json};

fn form(field: &str, kind: &str) -> Value {
    json!({ "type": "object", "properties": { field: { "type": kind } }, "required": [field] })
}

/// The value of `field` in an accepted form, or what the user did instead.
fn field(answer: &mcp_runtime::context::ElicitResult, field: &str) -> String {
    match (
        answer.action,
        answer.content.as_ref().and_then(|c| c.get(field)),
    ) {
        (ElicitAction::Accept, Some(Value::String(text))) => text.clone(),
        (ElicitAction::Accept, Some(other)) => other.to_string(),
        (action, _) => format!("({})", json!(action)),
    }
}

/// Asks the user's name, then greets them.
#[mcp_tool]
async fn test_input_required_result_elicitation(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx
        .input_key("user_name")
        .elicit("What is your name?", form("name", "string"))
        .await?;
    Ok(format!("Hello, {}!", field(&answer, "name")))
}

/// Asks the client's model a question.
#[mcp_tool]
async fn test_input_required_result_sampling(ctx: Context) -> Result<String, ServiceError> {
    let request = SamplingRequest::new(100).user("What is the capital of France?");
    let answer = ctx.input_key("capital_question").sample(request).await?;
    Ok(format!(
        "The model said: {}",
        answer.content.as_text().unwrap_or("(no text)")
    ))
}

/// Asks for the client's roots.
#[mcp_tool]
async fn test_input_required_result_list_roots(ctx: Context) -> Result<String, ServiceError> {
    let roots = ctx.input_key("client_roots").roots().await?;
    Ok(format!(
        "Roots: {}",
        roots
            .iter()
            .map(|r| r.uri.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Asks for a confirmation; the answer comes back with the signed request state.
#[mcp_tool]
async fn test_input_required_result_request_state(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx
        .input_key("confirm")
        .elicit("Please confirm", form("ok", "boolean"))
        .await?;
    Ok(format!("state-ok: {}", field(&answer, "ok")))
}

/// Asks for three things at once: a form, a model's answer and the roots.
#[mcp_tool]
async fn test_input_required_result_multiple_inputs(ctx: Context) -> Result<String, ServiceError> {
    let name = ctx.input_key("user_name");
    let greeting = ctx.input_key("greeting");
    let roots = ctx.input_key("client_roots");
    let (name, greeting, roots) = tokio::join!(
        name.elicit("What is your name?", form("name", "string")),
        greeting.sample(SamplingRequest::new(50).user("Generate a greeting")),
        roots.roots(),
    );
    let (name, greeting, roots) = (name?, greeting?, roots?);
    Ok(format!(
        "{} {} ({} roots)",
        greeting.content.as_text().unwrap_or("Hello"),
        field(&name, "name"),
        roots.len()
    ))
}

/// Asks two questions, one after the other (two rounds).
#[mcp_tool]
async fn test_input_required_result_multi_round(ctx: Context) -> Result<String, ServiceError> {
    let name = ctx
        .input_key("step1")
        .elicit("Step 1: What is your name?", form("name", "string"))
        .await?;
    let color = ctx
        .input_key("step2")
        .elicit(
            "Step 2: What is your favorite color?",
            form("color", "string"),
        )
        .await?;
    Ok(format!(
        "{} likes {}",
        field(&name, "name"),
        field(&color, "color")
    ))
}

/// Asks for a confirmation; a changed request state is refused.
#[mcp_tool]
async fn test_input_required_result_tampered_state(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx
        .input_key("confirm")
        .elicit("Please confirm", form("ok", "boolean"))
        .await?;
    Ok(format!("confirmed: {}", field(&answer, "ok")))
}

/// Asks only for what the client declared it can do.
#[mcp_tool]
async fn test_input_required_result_capabilities(ctx: Context) -> Result<String, ServiceError> {
    if ctx.client_supports("elicitation") {
        let answer = ctx
            .input_key("user_name")
            .elicit("What is your name?", form("name", "string"))
            .await?;
        return Ok(format!("Hello, {}!", field(&answer, "name")));
    }
    if ctx.client_supports("sampling") {
        let answer = ctx
            .input_key("greeting")
            .sample(SamplingRequest::new(50).user("Generate a greeting"))
            .await?;
        return Ok(answer.content.as_text().unwrap_or("(no text)").to_owned());
    }
    Ok("The client can answer nothing; nothing was asked.".into())
}

/// A prompt that asks the user for context first.
#[mcp_prompt]
async fn test_input_required_result_prompt(ctx: Context) -> Result<String, ServiceError> {
    let schema = form("context", "string");
    let answer = ctx
        .input_key("user_context")
        .elicit("What context should the prompt use?", schema)
        .await?;
    Ok(format!(
        "Prompt with context: {}",
        field(&answer, "context")
    ))
}
