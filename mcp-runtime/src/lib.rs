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
// docs.rs (`--cfg docsrs`, nightly) labels every item with the features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "http")]
pub mod auth;
mod background;
pub mod context;
mod dispatch;
mod error;
mod extract;
pub mod guard;
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

// The root holds what a server's own code names; the rest is grouped by what it is for.
pub use context::{Context, Principal, RequestEnv, State};
pub use error::Error;
pub use render::Json;
pub use server::{McpServer, McpServerBuilder};
pub use service_error::{ServiceError, ServiceValidationError};
#[cfg(feature = "otel")]
pub use telemetry::SpanNames;

#[cfg(feature = "macros")]
pub use mcp_macros::{mcp_bindings, mcp_prompt, mcp_resource, mcp_tool};

/// The protocol's messages and values: what bindings return (results, content), what
/// clients send (request ids, protocol versions), and JSON-RPC errors with their codes.
pub mod model {
    pub use crate::protocol::{
        Annotations, BlobResourceContents, CacheHint, CallToolResult, CompletionValues, Content,
        GetPromptResult, Icon, LogLevel, PromptArgumentInfo, PromptMessage, ProtocolVersion,
        ReadResourceResult, RequestId, ResourceContents, Role, RpcError, TextResourceContents,
        ToolAnnotations, codes,
    };
}

/// Bindings written by hand (no attribute) and the traits that decide what a bound
/// function may take and return. The attributes use the same types; a compile error about
/// a parameter or return type names one of these traits.
pub mod binding {
    pub use crate::extract::{
        Arguments, Injected, PromptArgsBuilder, PromptArguments, PromptParameter, RawArguments,
        Requirements, ResourceRequest, TemplateValue, ToolParameter,
    };
    pub use crate::registry::{
        Binding, BindingInfo, BindingKind, Complete, CompletionRequest, InputSchemaBuilder,
        PromptBinding, ResourceBinding, ToolBinding,
    };
    pub use crate::render::{IntoCallToolResult, IntoGetPromptResult, IntoReadResourceResult};
    pub use crate::service_error::ToolError;
    pub use crate::tasks::TaskSupport;
}

/// Everything a file of bindings needs: `use mcp_runtime::prelude::*;`.
pub mod prelude {
    pub use crate::model::{
        CallToolResult, Content, GetPromptResult, LogLevel, PromptMessage, ResourceContents, Role,
    };
    pub use crate::{
        Context, Json, McpServer, RequestEnv, ServiceError, ServiceValidationError, State,
    };
    #[cfg(feature = "macros")]
    pub use crate::{mcp_bindings, mcp_prompt, mcp_resource, mcp_tool};
    pub use schemars::JsonSchema;
    pub use serde::{Deserialize, Serialize};
}

/// What generated code uses. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::Context;
    pub use crate::dispatch::run_blocking;
    pub use crate::extract::{
        Arguments, Injected, PromptArgsBuilder, PromptArguments, PromptParameter, RawArguments,
        Requirements, ResourceRequest, TemplateValue, ToolParameter, method_state,
    };
    pub use crate::guard::RateLimit;
    pub use crate::model::{CallToolResult, GetPromptResult, Icon, ReadResourceResult};
    pub use crate::registry::{
        Binding, Complete, InputSchemaBuilder, PromptBinding, Registration, ResourceBinding,
        ToolBinding,
    };
    pub use crate::render::{
        IntoCallToolResult, IntoGetPromptResult, IntoReadResourceResult, ToolOutput,
    };
    pub use crate::service_error::ToolError;
    pub use crate::tasks::TaskSupport;
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

/// The crate's README (its crates.io page) is compiled with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
