//! The official SDK (`rmcp`) over stdio with the same tool, for `stdio_driver`.
//! Usage: `rmcp_stdio_server [--blocking]`: by default `stdio_pipes()`, rmcp's fastest stdio
//! transport (non-blocking pipes on the IO reactor); `--blocking` uses `stdio()`, which
//! goes through Tokio's blocking thread pool as the project's `serve_stdio` does.

use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, ServiceExt, tool, tool_handler, tool_router};

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct AddArgs {
    a: f64,
    b: f64,
}

#[derive(Clone)]
struct Bench {
    tool_router: ToolRouter<Self>,
}

#[tool_router]
impl Bench {
    /// Add two numbers.
    #[tool]
    fn add(&self, Parameters(AddArgs { a, b }): Parameters<AddArgs>) -> String {
        // serde_json's formatting ("5.0"), so both servers answer the same text.
        serde_json::to_string(&(a + b)).unwrap_or_default()
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Bench {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = Bench {
        tool_router: Bench::tool_router(),
    };
    let running = if std::env::args().any(|a| a == "--blocking") {
        server.serve(rmcp::transport::stdio()).await?
    } else {
        server.serve(rmcp::transport::stdio_pipes()).await?
    };
    running.waiting().await?;
    Ok(())
}
