//! The benchmarks' `add` tool written with the official SDK's (`rmcp`) macros, for its
//! stdio and HTTP servers.

use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, tool, tool_handler, tool_router};
use std::sync::Arc;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct AddArgs {
    a: f64,
    b: f64,
}

/// An rmcp server with one tool, `add`.
#[derive(Clone)]
pub struct RmcpAdd {
    // Stateless HTTP makes a service per request; sharing the router avoids rebuilding it.
    tool_router: Arc<ToolRouter<Self>>,
}

impl Default for RmcpAdd {
    fn default() -> Self {
        RmcpAdd {
            tool_router: Arc::new(Self::tool_router()),
        }
    }
}

#[tool_router]
impl RmcpAdd {
    /// Add two numbers.
    #[tool]
    fn add(&self, Parameters(AddArgs { a, b }): Parameters<AddArgs>) -> String {
        // serde_json's formatting ("5.0"), so every server answers the same text.
        serde_json::to_string(&(a + b)).unwrap_or_default()
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for RmcpAdd {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }
}
