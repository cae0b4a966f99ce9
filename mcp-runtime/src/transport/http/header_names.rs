//! The names of the headers MCP adds to HTTP, made once: a lookup by `&str` checks and
//! lowercases the name on every call, and every POST looks up several of them.

use axum::http::HeaderName;

pub(super) static MCP_SESSION_ID: HeaderName = HeaderName::from_static("mcp-session-id");
pub(super) static MCP_PROTOCOL_VERSION: HeaderName =
    HeaderName::from_static("mcp-protocol-version");
pub(super) static MCP_METHOD: HeaderName = HeaderName::from_static("mcp-method");
pub(super) static MCP_NAME: HeaderName = HeaderName::from_static("mcp-name");
pub(super) static LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");
