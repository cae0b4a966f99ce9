//! Wire types: the JSON-RPC envelope, MCP messages, error codes and protocol revisions.

mod content;
mod error;
mod jsonrpc;
mod messages;
pub(crate) mod stateless;

mod version;

pub use content::{
    Annotations, BlobResourceContents, Content, Icon, ResourceContents, Role, TextResourceContents,
};
pub use error::{RpcError, codes};
pub use jsonrpc::RequestId;
pub(crate) use jsonrpc::{
    Incoming, Method, decode_params, invalid_params, notification, parse_incoming, response_error,
    response_ok, response_ok_around,
};
pub use messages::{
    CallToolResult, CompletionValues, GetPromptResult, LogLevel, PromptArgumentInfo, PromptMessage,
    ReadResourceResult, ToolAnnotations,
};
pub use stateless::CacheHint;
pub use version::ProtocolVersion;
