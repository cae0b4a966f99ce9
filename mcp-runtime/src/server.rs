//! [`McpServer`] and its builder: configuration, wiring, entry points.

use crate::context::{Principal, StateMap};
use crate::error::Error;
use crate::registry::{
    Binding, BindingInfo, PromptBinding, Registration, Registry, ResourceBinding, ToolBinding,
};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};

/// The server's name and version as `initialize` reports them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServerInfo {
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Settings that shape how requests are served.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub page_size: usize,
    pub default_timeout: Option<Duration>,
    pub echo_input: bool,
    pub max_request_bytes: usize,
    pub stdio_principal: Option<Arc<Principal>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            page_size: 100,
            default_timeout: None,
            echo_input: false,
            max_request_bytes: 4 * 1024 * 1024,
            stdio_principal: None,
        }
    }
}

/// Everything a running server shares between connections; immutable once built.
#[derive(Debug)]
pub(crate) struct ServerInner {
    pub info: ServerInfo,
    pub instructions: Option<String>,
    pub registry: Registry,
    pub states: Arc<StateMap>,
    pub config: Config,
    pub capabilities: Value,
}

/// An MCP server: the frozen registry of bindings plus configuration. Cheap to clone.
///
/// ```no_run,standalone_crate
/// use mcp_runtime::prelude::*;
///
/// /// Add two numbers.
/// #[mcp_tool(read_only)]
/// fn add(a: f64, b: f64) -> f64 { a + b }
///
/// #[tokio::main]
/// async fn main() -> Result<(), mcp_runtime::Error> {
///     McpServer::builder("calculator", env!("CARGO_PKG_VERSION"))
///         .build()?
///         .serve_stdio()
///         .await
/// }
/// ```
#[derive(Debug, Clone)]
pub struct McpServer {
    pub(crate) inner: Arc<ServerInner>,
}

impl McpServer {
    /// Starts configuring a server named `name` at `version`.
    pub fn builder(name: impl Into<String>, version: impl Into<String>) -> McpServerBuilder {
        McpServerBuilder {
            info: ServerInfo {
                name: name.into(),
                version: version.into(),
                title: None,
            },
            instructions: None,
            states: StateMap::default(),
            manual: Vec::new(),
            filter: None,
            config: Config::default(),
        }
    }

    /// Serves MCP over this process's stdin and stdout until stdin closes.
    /// Logs belong on stderr: nothing but protocol messages is written to stdout.
    pub async fn serve_stdio(self) -> Result<(), Error> {
        self.serve_io(tokio::io::stdin(), tokio::io::stdout()).await
    }

    /// Serves MCP as newline-delimited JSON over any byte streams (a pipe, a socket).
    pub async fn serve_io<R, W>(self, reader: R, writer: W) -> Result<(), Error>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        crate::transport::stdio::serve(self.inner, reader, writer)
            .await
            .map_err(Error::Io)
    }

    /// The names of the tools served, sorted.
    pub fn tool_names(&self) -> Vec<String> {
        self.inner.registry.tool_names()
    }
}

type Filter = Box<dyn Fn(&BindingInfo<'_>) -> bool>;

/// Configures and builds an [`McpServer`].
pub struct McpServerBuilder {
    info: ServerInfo,
    instructions: Option<String>,
    states: StateMap,
    manual: Vec<Binding>,
    filter: Option<Filter>,
    config: Config,
}

impl std::fmt::Debug for McpServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpServerBuilder")
            .field("info", &self.info)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl McpServerBuilder {
    /// A human-readable title for clients to show.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.info.title = Some(title.into());
        self
    }

    /// Instructions for the model on how to use this server (sent in `initialize`).
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// Shares `value` with every binding that takes a `State<T>` of its type.
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.states.insert(value);
        self
    }

    /// Adds a tool built by hand (see [`ToolBinding`]).
    pub fn tool(mut self, tool: ToolBinding) -> Self {
        self.manual.push(tool.into());
        self
    }

    /// Adds a resource built by hand (see [`ResourceBinding`]).
    pub fn resource(mut self, resource: ResourceBinding) -> Self {
        self.manual.push(resource.into());
        self
    }

    /// Adds a prompt built by hand (see [`PromptBinding`]).
    pub fn prompt(mut self, prompt: PromptBinding) -> Self {
        self.manual.push(prompt.into());
        self
    }

    /// Serves only the collected bindings `keep` accepts (by name, module or tag), so one
    /// binary can run several servers from one registry. Bindings added by hand with
    /// [`tool`](Self::tool), [`resource`](Self::resource) or [`prompt`](Self::prompt) are
    /// always served.
    pub fn filter(mut self, keep: impl Fn(&BindingInfo<'_>) -> bool + 'static) -> Self {
        self.filter = Some(Box::new(keep));
        self
    }

    /// How many items one list page holds (default 100).
    pub fn page_size(mut self, size: usize) -> Self {
        self.config.page_size = size.max(1);
        self
    }

    /// A time limit for bindings that set none (default: none).
    pub fn default_timeout(mut self, timeout: Duration) -> Self {
        self.config.default_timeout = Some(timeout);
        self
    }

    /// Whether argument-validation errors quote the client's values back (default off).
    pub fn echo_input_in_errors(mut self, echo: bool) -> Self {
        self.config.echo_input = echo;
        self
    }

    /// The largest message accepted, in bytes (default 4 MiB).
    pub fn max_request_bytes(mut self, bytes: usize) -> Self {
        self.config.max_request_bytes = bytes;
        self
    }

    /// The principal every stdio request runs as (stdio has no authentication).
    pub fn stdio_principal(mut self, principal: Principal) -> Self {
        self.config.stdio_principal = Some(Arc::new(principal));
        self
    }

    /// Collects every binding in the binary plus the hand-built ones, applies the filter,
    /// checks them and freezes the registry. Fails on two bindings of one name (naming
    /// both source locations), a missing `State<T>`, or an invalid hand-built binding.
    pub fn build(self) -> Result<McpServer, Error> {
        let mut bindings = Registration::collect();
        if let Some(keep) = &self.filter {
            bindings.retain(|b| keep(&b.info()));
        }
        bindings.extend(self.manual);
        let registry = Registry::freeze(bindings, &self.states, self.config.page_size)?;
        let capabilities = capabilities(&registry);
        Ok(McpServer {
            inner: Arc::new(ServerInner {
                info: self.info,
                instructions: self.instructions,
                registry,
                states: Arc::new(self.states),
                config: self.config,
                capabilities,
            }),
        })
    }
}

/// What `initialize` advertises: only what the registry really serves.
fn capabilities(registry: &Registry) -> Value {
    let mut capabilities = json!({ "logging": {} });
    if registry.has_tools() {
        capabilities["tools"] = json!({ "listChanged": false });
    }
    if registry.has_resources() {
        capabilities["resources"] = json!({ "subscribe": false, "listChanged": false });
    }
    if registry.has_prompts() {
        capabilities["prompts"] = json!({ "listChanged": false });
    }
    if registry.has_completions() {
        capabilities["completions"] = json!({});
    }
    capabilities
}
