//! Write [Model Context Protocol](https://modelcontextprotocol.io) servers by annotating
//! plain Rust functions.
//!
//! `#[mcp_tool]`, `#[mcp_resource]` and `#[mcp_prompt]` turn a function into a binding: its
//! parameters become the argument schema (validated on every call), its doc comment the
//! description, its return value the result. Every binding in the binary is collected at
//! link time; a server is built from them and served over stdio.
//!
//! ```no_run,standalone_crate
//! use mcp_runtime::prelude::*;
//!
//! /// Add two numbers.
//! #[mcp_tool(read_only)]
//! fn add(a: f64, b: f64) -> f64 {
//!     a + b
//! }
//!
//! /// Greet someone by name.
//! #[mcp_resource(uri = "greeting://{name}", mime_type = "text/plain")]
//! fn greeting(name: String) -> String {
//!     format!("Hello, {name}!")
//! }
//!
//! /// Ask for a code review.
//! #[mcp_prompt]
//! fn review(code: String, language: Option<String>) -> String {
//!     format!("Review this {} code:\n{code}", language.as_deref().unwrap_or("source"))
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), mcp_runtime::Error> {
//!     McpServer::builder("demo", env!("CARGO_PKG_VERSION")).build()?.serve_stdio().await
//! }
//! ```
//!
//! The attribute keys are listed on each attribute ([`mcp_tool`], [`mcp_resource`],
//! [`mcp_prompt`]; [`mcp_bindings`] makes the methods of a state type bindings); the error
//! model is on [`ServiceError`]; unit-test bindings with [`testing::TestClient`].

#![deny(missing_docs)]

#[cfg(feature = "http")]
mod auth;
mod background;
mod context;
mod dispatch;
mod error;
mod extract;
mod guard;
mod mrtr;
mod protocol;
mod registry;
mod render;
mod server;
mod service_error;
mod session;
mod shared;
pub mod store;
mod tasks;
mod telemetry;
pub mod testing;
mod transport;

#[cfg(feature = "jwt")]
pub use auth::JwtAuthenticator;
#[cfg(feature = "http")]
pub use auth::{AuthFuture, Authenticator, BearerTokens, ProtectedResource, Unauthorized};
pub use context::{
    CancellationToken, ClientRequestError, Context, ElicitAction, ElicitResult, Principal,
    RequestEnv, Root, SamplingMessage, SamplingRequest, SamplingResult, State, TransportKind,
};
pub use error::Error;
pub use extract::{
    Arguments, Injected, PromptArgsBuilder, PromptArguments, PromptParameter, RawArguments,
    Requirements, ResourceRequest, TemplateValue, ToolParameter,
};
pub use guard::{
    AllOf, AnyOf, FixedWindowLimiter, LimitFuture, Permission, PermissionDenied, RateLimit,
    RateLimitAlgorithm, RateLimitError, RateLimited, RateLimiter, SlidingWindowLimiter,
    TokenBucketLimiter, scopes,
};
pub use protocol::{
    Annotations, BlobResourceContents, CacheHint, CallToolResult, CompletionValues, Content,
    GetPromptResult, Icon, LogLevel, PromptArgumentInfo, PromptMessage, ProtocolVersion,
    ReadResourceResult, RequestId, ResourceContents, Role, RpcError, TextResourceContents,
    ToolAnnotations, codes,
};
pub use registry::{
    Binding, BindingInfo, BindingKind, Complete, CompletionRequest, InputSchemaBuilder,
    PromptBinding, ResourceBinding, ToolBinding,
};
pub use render::{IntoCallToolResult, IntoGetPromptResult, IntoReadResourceResult, Json};
pub use server::{McpServer, McpServerBuilder};
pub use service_error::{ServiceError, ServiceValidationError, ToolError};
pub use tasks::TaskSupport;
#[cfg(feature = "otel")]
pub use telemetry::SpanNames;

#[cfg(feature = "macros")]
pub use mcp_macros::{mcp_bindings, mcp_prompt, mcp_resource, mcp_tool};

/// Everything a file of bindings needs: `use mcp_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::{
        CallToolResult, Content, Context, GetPromptResult, Json, LogLevel, McpServer,
        PromptMessage, ResourceContents, Role, ServiceError, ServiceValidationError, State,
    };
    #[cfg(feature = "macros")]
    pub use crate::{mcp_bindings, mcp_prompt, mcp_resource, mcp_tool};
    pub use schemars::JsonSchema;
    pub use serde::{Deserialize, Serialize};
}

/// What generated code uses. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::dispatch::run_blocking;
    pub use crate::extract::{
        Arguments, Injected, PromptArgsBuilder, PromptArguments, PromptParameter, RawArguments,
        Requirements, ResourceRequest, TemplateValue, ToolParameter, method_state,
    };
    pub use crate::registry::{
        Binding, Complete, InputSchemaBuilder, PromptBinding, Registration, ResourceBinding,
        ToolBinding,
    };
    pub use crate::render::{
        IntoCallToolResult, IntoGetPromptResult, IntoReadResourceResult, ToolOutput,
    };
    pub use crate::{
        CallToolResult, Context, GetPromptResult, Icon, RateLimit, ReadResourceResult, TaskSupport,
        ToolError,
    };
    pub use core::time::Duration;
    pub use inventory;
    pub use schemars;
    pub use serde;
    pub use serde_json;

    /// Generated code asserts `#[args]` types through this, so errors name the requirement.
    pub fn args_schema<T: schemars::JsonSchema + serde::de::DeserializeOwned>() -> serde_json::Value
    {
        crate::registry::schema::root_schema_for::<T>().to_value()
    }
}
