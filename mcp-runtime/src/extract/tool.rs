use super::RawArguments;
use crate::context::{Context, State, StateRequirement};
use crate::registry::InputSchemaBuilder;
use crate::service_error::{ServiceError, ToolError};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// What a binding needs from the server, gathered from its parameters: the state types
/// (checked at `build()`), and whether it sees its `Context`.
#[derive(Debug, Default, Clone)]
pub struct Requirements {
    pub(crate) states: Vec<StateRequirement>,
    /// Every parameter was declared (a macro-built binding): `context` is then exact. A
    /// hand-built binding's handler always receives a `Context`.
    pub(crate) declared: bool,
    pub(crate) context: bool,
}

impl Requirements {
    /// Records that `State<T>` must be given to the builder.
    pub fn state<T: 'static>(&mut self) {
        self.states.push(StateRequirement::of::<T>());
    }

    /// Adds the requirements of a binding's declared parameters.
    pub(crate) fn declare(&mut self, parameters: Requirements) {
        self.states.extend(parameters.states);
        self.context |= parameters.context;
        self.declared = true;
    }

    /// Whether the binding may ask the client for input (elicitation, sampling, roots):
    /// only through its `Context`. A call of a binding that cannot skips the multi-round
    /// bookkeeping of the stateless era.
    pub(crate) fn may_ask_input(&self) -> bool {
        !self.declared || self.context
    }
}

/// A parameter the server provides rather than the client: `Context` and `State<T>`.
#[diagnostic::on_unimplemented(
    message = "a parameter of type `{Self}` is neither an argument nor provided by the server",
    label = "not a URI template variable or an argument, and not injected",
    note = "the server injects only `Context` and `State<T>`; every other parameter of a resource must be named after a variable of its URI template, and beside `#[args]` every other parameter of a tool must be injected"
)]
pub trait Injected: Sized + Send + 'static {
    /// Records what the parameter needs from the builder.
    fn require(requirements: &mut Requirements);
    /// Produces the value for one call.
    fn inject(ctx: &Context) -> Result<Self, ToolError>;
}

impl Injected for Context {
    fn require(requirements: &mut Requirements) {
        requirements.context = true;
    }

    fn inject(ctx: &Context) -> Result<Self, ToolError> {
        Ok(ctx.clone())
    }
}

impl<T: Send + Sync + 'static> Injected for State<T> {
    fn require(requirements: &mut Requirements) {
        requirements.state::<T>();
    }

    fn inject(ctx: &Context) -> Result<Self, ToolError> {
        ctx.state::<T>().ok_or_else(|| {
            let name = std::any::type_name::<T>();
            ServiceError::new(format!(
                "server misconfigured: no State<{name}> was given to the builder"
            ))
            .into()
        })
    }
}

/// A parameter of a `#[mcp_tool]` function: an argument (any `Deserialize + JsonSchema`
/// type, a property of the input schema) or an injected value (`Context`, `State<T>`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tool parameter",
    label = "derive `Deserialize` and `JsonSchema` for this type (or take `Context` / `State<T>`)",
    note = "an argument's type must implement `serde::Deserialize` and `schemars::JsonSchema` (derive both); injected parameters are `Context` and `State<T>`"
)]
pub trait ToolParameter: Sized + Send + 'static {
    /// Adds the parameter to the input schema (or records what it needs).
    fn describe(
        schema: &mut InputSchemaBuilder<'_>,
        name: &'static str,
        description: Option<&'static str>,
    );
    /// Produces the value for one call, from the call's arguments as sent (already checked
    /// against the input schema) or from the server.
    fn extract(
        args: &RawArguments<'_>,
        name: &'static str,
        ctx: &Context,
    ) -> Result<Self, ToolError>;
}

impl<T: DeserializeOwned + JsonSchema + Send + 'static> ToolParameter for T {
    fn describe(
        schema: &mut InputSchemaBuilder<'_>,
        name: &'static str,
        description: Option<&'static str>,
    ) {
        schema.property::<T>(name, description);
    }

    fn extract(
        args: &RawArguments<'_>,
        name: &'static str,
        _: &Context,
    ) -> Result<Self, ToolError> {
        args.take(name)
    }
}

impl ToolParameter for Context {
    fn describe(schema: &mut InputSchemaBuilder<'_>, _: &'static str, _: Option<&'static str>) {
        Self::require(schema.requirements());
    }

    fn extract(_: &RawArguments<'_>, _: &'static str, ctx: &Context) -> Result<Self, ToolError> {
        Self::inject(ctx)
    }
}

impl<S: Send + Sync + 'static> ToolParameter for State<S> {
    fn describe(schema: &mut InputSchemaBuilder<'_>, _: &'static str, _: Option<&'static str>) {
        Self::require(schema.requirements());
    }

    fn extract(_: &RawArguments<'_>, _: &'static str, ctx: &Context) -> Result<Self, ToolError> {
        Self::inject(ctx)
    }
}
