use super::tool::{Injected, Requirements};
use crate::context::{Context, State};
use crate::protocol::PromptArgumentInfo;
use crate::service_error::{ServiceValidationError, ToolError};
use std::collections::HashMap;

/// A `prompts/get` call's arguments (MCP prompt arguments are strings).
#[derive(Debug, Default, Clone)]
pub struct PromptArguments {
    values: HashMap<String, String>,
}

impl PromptArguments {
    pub(crate) fn new(values: HashMap<String, String>) -> Self {
        PromptArguments { values }
    }

    /// Takes one argument out.
    pub fn take(&mut self, name: &str) -> Option<String> {
        self.values.remove(name)
    }

    /// Reads one argument.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// Collects a prompt's argument list from its parameters.
#[derive(Debug, Default)]
pub struct PromptArgsBuilder {
    pub(crate) arguments: Vec<PromptArgumentInfo>,
    pub(crate) requirements: Requirements,
}

impl PromptArgsBuilder {
    /// Adds an argument.
    pub fn argument(&mut self, name: &str, description: Option<&str>, required: bool) {
        self.arguments.push(PromptArgumentInfo {
            name: name.into(),
            description: description.map(Into::into),
            required,
        });
    }

    /// What the prompt needs from the builder.
    pub fn requirements(&mut self) -> &mut Requirements {
        &mut self.requirements
    }
}

/// A parameter of a `#[mcp_prompt]` function: `String` (a required argument),
/// `Option<String>` (an optional one), or an injected `Context` / `State<T>`.
#[diagnostic::on_unimplemented(
    message = "prompt argument of type `{Self}` is not string-like",
    label = "MCP prompt arguments are strings",
    note = "use `String` for a required argument or `Option<String>` for an optional one, and parse it in the function; `Context` and `State<T>` are injected"
)]
pub trait PromptParameter: Sized + Send + 'static {
    /// Adds the parameter to the prompt's argument list (or records what it needs).
    fn describe(
        args: &mut PromptArgsBuilder,
        name: &'static str,
        description: Option<&'static str>,
    );
    /// Produces the value for one call.
    fn extract(
        args: &mut PromptArguments,
        name: &'static str,
        ctx: &Context,
    ) -> Result<Self, ToolError>;
}

impl PromptParameter for String {
    fn describe(
        args: &mut PromptArgsBuilder,
        name: &'static str,
        description: Option<&'static str>,
    ) {
        args.argument(name, description, true);
    }

    fn extract(
        args: &mut PromptArguments,
        name: &'static str,
        _: &Context,
    ) -> Result<Self, ToolError> {
        args.take(name).ok_or_else(|| {
            ServiceValidationError::new(format!("missing required argument: {name}")).into()
        })
    }
}

impl PromptParameter for Option<String> {
    fn describe(
        args: &mut PromptArgsBuilder,
        name: &'static str,
        description: Option<&'static str>,
    ) {
        args.argument(name, description, false);
    }

    fn extract(
        args: &mut PromptArguments,
        name: &'static str,
        _: &Context,
    ) -> Result<Self, ToolError> {
        Ok(args.take(name))
    }
}

impl PromptParameter for Context {
    fn describe(args: &mut PromptArgsBuilder, _: &'static str, _: Option<&'static str>) {
        Self::require(args.requirements());
    }

    fn extract(_: &mut PromptArguments, _: &'static str, ctx: &Context) -> Result<Self, ToolError> {
        Self::inject(ctx)
    }
}

impl<S: Send + Sync + 'static> PromptParameter for State<S> {
    fn describe(args: &mut PromptArgsBuilder, _: &'static str, _: Option<&'static str>) {
        Self::require(args.requirements());
    }

    fn extract(_: &mut PromptArguments, _: &'static str, ctx: &Context) -> Result<Self, ToolError> {
        Self::inject(ctx)
    }
}
