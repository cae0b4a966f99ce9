use super::common::{Common, binding_builder, completion_builder};
use crate::context::Context;
use crate::extract::{PromptArgsBuilder, PromptArguments};
use crate::protocol::{GetPromptResult, PromptArgumentInfo};
use crate::render::IntoGetPromptResult;
use crate::service_error::ToolError;
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub(crate) type PromptFuture =
    Pin<Box<dyn Future<Output = Result<GetPromptResult, ToolError>> + Send>>;
pub(crate) type PromptHandler = Arc<dyn Fn(PromptArguments, Context) -> PromptFuture + Send + Sync>;

/// A prompt: what `#[mcp_prompt]` generates, or what you build by hand.
///
/// ```standalone_crate
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::{binding::PromptArguments, binding::PromptBinding};
///
/// let greet = PromptBinding::new("greet", |mut args: PromptArguments, _ctx: Context| async move {
///     format!("Say hello to {}", args.take("name").unwrap_or_default())
/// })
/// .argument("name", Some("who to greet"), true);
/// let server = McpServer::builder("demo", "1.0").prompt(greet).build().unwrap();
/// ```
#[derive(Clone)]
pub struct PromptBinding {
    pub(crate) common: Common,
    pub(crate) arguments: Vec<PromptArgumentInfo>,
    pub(crate) handler: PromptHandler,
}

impl std::fmt::Debug for PromptBinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PromptBinding")
            .field("name", &self.common.name)
            .finish_non_exhaustive()
    }
}

binding_builder!(PromptBinding);
completion_builder!(PromptBinding);

impl PromptBinding {
    /// A prompt named `name` rendered by `handler`.
    pub fn new<F, Fut, R>(name: impl Into<Cow<'static, str>>, handler: F) -> Self
    where
        F: Fn(PromptArguments, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: IntoGetPromptResult,
    {
        let handler: PromptHandler = Arc::new(move |args, ctx| {
            let pending = handler(args, ctx);
            Box::pin(async move { pending.await.into_prompt_result() })
        });
        PromptBinding {
            common: Common::new(name),
            arguments: Vec::new(),
            handler,
        }
    }

    /// Declares an argument; required ones are checked before the prompt runs.
    pub fn argument(
        mut self,
        name: impl Into<String>,
        description: Option<&str>,
        required: bool,
    ) -> Self {
        self.arguments.push(PromptArgumentInfo {
            name: name.into(),
            description: description.map(Into::into),
            required,
        });
        self
    }

    /// Builds the argument list from parameter descriptions (what `#[mcp_prompt]` uses).
    #[doc(hidden)]
    pub fn arguments_with(mut self, describe: fn(&mut PromptArgsBuilder)) -> Self {
        let mut builder = PromptArgsBuilder::default();
        describe(&mut builder);
        self.arguments.extend(builder.arguments);
        self.common.requirements.declare(builder.requirements);
        self
    }
}
