use super::common::{Common, binding_builder};
use super::schema::{InputSchemaBuilder, generator};
use crate::context::Context;
use crate::extract::Arguments;
use crate::protocol::{CallToolResult, Icon, ToolAnnotations};
use crate::render::IntoCallToolResult;
use crate::service_error::ToolError;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub(crate) type ToolFuture =
    Pin<Box<dyn Future<Output = Result<CallToolResult, ToolError>> + Send>>;
pub(crate) type ToolHandler = Arc<dyn Fn(Arguments, Context) -> ToolFuture + Send + Sync>;

/// A tool: what `#[mcp_tool]` generates, or what you build by hand for tools only known at
/// run time and hand to [`McpServerBuilder::tool`](crate::McpServerBuilder::tool).
///
/// ```standalone_crate
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::{Arguments, ToolBinding};
/// use serde_json::json;
///
/// let echo = ToolBinding::new("echo", |mut args: Arguments, _ctx: Context| async move {
///     args.take::<String>("text")
/// })
/// .description("Echo the text back.")
/// .input_schema(json!({
///     "type": "object",
///     "properties": { "text": { "type": "string" } },
///     "required": ["text"]
/// }));
/// let server = McpServer::builder("demo", "1.0").tool(echo).build().unwrap();
/// ```
#[derive(Clone)]
pub struct ToolBinding {
    pub(crate) common: Common,
    pub(crate) input_schema: Value,
    pub(crate) output_schema: Option<Value>,
    pub(crate) annotations: ToolAnnotations,
    pub(crate) icons: Vec<Icon>,
    pub(crate) meta: Option<Value>,
    pub(crate) task_support: crate::tasks::TaskSupport,
    pub(crate) handler: ToolHandler,
}

impl std::fmt::Debug for ToolBinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolBinding")
            .field("name", &self.common.name)
            .finish_non_exhaustive()
    }
}

binding_builder!(ToolBinding);

impl ToolBinding {
    /// A tool named `name` whose calls run `handler`. Its input schema is `{"type":"object"}`
    /// until [`input_schema`](Self::input_schema) says more.
    pub fn new<F, Fut, R>(name: impl Into<Cow<'static, str>>, handler: F) -> Self
    where
        F: Fn(Arguments, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: IntoCallToolResult,
    {
        let handler: ToolHandler = Arc::new(move |args, ctx| {
            let pending = handler(args, ctx);
            Box::pin(async move { pending.await.into_call_tool_result() })
        });
        ToolBinding {
            common: Common::new(name),
            input_schema: json!({ "type": "object" }),
            output_schema: None,
            annotations: ToolAnnotations::default(),
            icons: Vec::new(),
            meta: None,
            task_support: crate::tasks::TaskSupport::None,
            handler,
        }
    }

    /// Sets the input schema; calls are validated against it. It must describe an object.
    pub fn input_schema(mut self, schema: Value) -> Self {
        self.input_schema = schema;
        self
    }

    /// Builds the input schema from parameter descriptions (what `#[mcp_tool]` uses).
    #[doc(hidden)]
    pub fn input_schema_with(mut self, describe: fn(&mut InputSchemaBuilder<'_>)) -> Self {
        let mut generator = generator();
        let mut builder = InputSchemaBuilder::new(&mut generator);
        describe(&mut builder);
        let (schema, requirements) = builder.finish();
        self.input_schema = schema;
        self.common.requirements.declare(requirements);
        self
    }

    /// Sets the output schema (what `structuredContent` conforms to).
    pub fn output_schema(mut self, schema: Option<Value>) -> Self {
        self.output_schema = schema;
        self
    }

    /// Sets every behaviour hint at once.
    pub fn annotations(mut self, annotations: ToolAnnotations) -> Self {
        self.annotations = annotations;
        self
    }

    /// Hints that the tool does not modify its environment.
    pub fn read_only(mut self, value: bool) -> Self {
        self.annotations.read_only_hint = Some(value);
        self
    }

    /// Hints that the tool may perform destructive updates.
    pub fn destructive(mut self, value: bool) -> Self {
        self.annotations.destructive_hint = Some(value);
        self
    }

    /// Hints that repeating a call has no further effect.
    pub fn idempotent(mut self, value: bool) -> Self {
        self.annotations.idempotent_hint = Some(value);
        self
    }

    /// Hints that the tool talks to an open world of external entities.
    pub fn open_world(mut self, value: bool) -> Self {
        self.annotations.open_world_hint = Some(value);
        self
    }

    /// Adds an icon.
    pub fn icon(mut self, icon: Icon) -> Self {
        self.icons.push(icon);
        self
    }

    /// Lets calls run as tasks (the tasks extension of the 2026 era), from where the
    /// binding calls [`Context::start_task`] on; what `#[mcp_tool(task)]` sets.
    pub fn task(mut self, support: crate::tasks::TaskSupport) -> Self {
        self.task_support = support;
        self
    }

    /// Sets `_meta` on the tool's listing.
    pub fn meta(mut self, meta: Value) -> Self {
        self.meta = Some(meta);
        self
    }
}
