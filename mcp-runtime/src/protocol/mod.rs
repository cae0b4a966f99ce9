//! Wire types: the JSON-RPC envelope, MCP messages, error codes and protocol revisions.

mod content;
mod encode;
mod error;
mod jsonrpc;
mod messages;
mod meta;
mod one_pass;
mod result_text;
pub(crate) mod stateless;

mod version;

pub use content::{
    Annotations, BlobResourceContents, Content, Icon, ResourceContents, Role, TextResourceContents,
};
#[cfg(feature = "http")]
pub(crate) use encode::error_code_of;
pub(crate) use encode::{notification, response_error, response_ok, response_ok_around};
pub use error::{RpcError, codes};
pub use jsonrpc::RequestId;
pub(crate) use jsonrpc::{Incoming, Method, decode_params, invalid_params, parse_incoming};
pub use messages::{
    CallToolResult, CompletionValues, GetPromptResult, LogLevel, PromptArgumentInfo, PromptMessage,
    ReadResourceResult, ToolAnnotations,
};
pub(crate) use meta::RequestMeta;
pub(crate) use one_pass::decode as decode_one_pass;
#[cfg(feature = "http")]
pub(crate) use one_pass::decode_message;
pub(crate) use one_pass::{Decoded, ToolCallParams};
pub(crate) use result_text::{call_tool_result as call_tool_result_text, one_text_block};
pub use stateless::CacheHint;
pub use version::ProtocolVersion;
