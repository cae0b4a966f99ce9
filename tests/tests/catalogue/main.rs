//! The catalogue page (`McpServerBuilder::catalogue`): what it lists and for whom, over real
//! HTTP (`page.rs`), and the page driven in headless Chromium (`browser.rs`).

mod browser;
mod page;

use mcp_runtime::auth::BearerTokens;
use mcp_runtime::binding::{PromptArguments, PromptBinding, ResourceBinding, ResourceRequest};
use mcp_runtime::guard::scopes;
use mcp_runtime::prelude::*;
use mcp_runtime::{McpServerBuilder, Principal};
use mcp_tests::http;
use std::net::SocketAddr;

/// What the forecast takes.
#[derive(Deserialize, JsonSchema)]
struct ForecastInput {
    /// The city, capitalised.
    #[schemars(length(min = 2), regex(pattern = r"^[A-Z]"))]
    city: String,
    /// How many days ahead.
    #[schemars(range(min = 1, max = 14))]
    #[serde(default = "three")]
    days: u8,
    /// Which units to answer in.
    unit: Option<Unit>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Unit {
    Metric,
    Imperial,
}

fn three() -> u8 {
    3
}

#[derive(Serialize, JsonSchema)]
struct Forecast {
    /// Degrees in the unit asked for.
    temperature: f64,
    summary: String,
}

/// The weather for a city, some days ahead.
#[mcp_tool(
    title = "Weather forecast",
    read_only,
    idempotent,
    tags = ["weather"],
    rate_limit = "30/min",
    timeout = "5s"
)]
fn forecast(#[args] input: ForecastInput) -> Json<Forecast> {
    let fahrenheit = matches!(input.unit, Some(Unit::Imperial));
    Json(Forecast {
        temperature: if fahrenheit { 68.0 } else { 20.0 },
        summary: format!("{} in {} days: sunny", input.city, input.days),
    })
}

/// Divides a by b; dividing by zero is a tool error (`isError`), not a protocol error.
#[mcp_tool]
fn divide(a: f64, b: f64) -> Result<f64, ServiceError> {
    if b == 0.0 {
        return Err(ServiceError::new("cannot divide by zero"));
    }
    Ok(a / b)
}

/// <script>alert("tool")</script> & 'quotes' <img src=x onerror=alert(1)>
#[mcp_tool(title = "<b onmouseover=\"alert('title')\">bold</b>")]
fn hostile() -> &'static str {
    "harmless"
}

/// Wipes the archive; only for admins.
#[mcp_tool(permission = scopes(["admin"]), destructive)]
fn wipe() -> &'static str {
    "wiped"
}

/// A city's current conditions.
#[mcp_resource(uri = "weather://cities/{city}/now", mime_type = "text/plain")]
fn conditions(city: String) -> String {
    format!("{city}: clear")
}

/// Today's headline.
#[mcp_resource(uri = "weather://headline")]
fn headline() -> &'static str {
    "Sunshine everywhere"
}

/// A short forecast for one city.
#[mcp_prompt]
fn briefing(
    #[arg(description = "The city to brief on")] city: String,
    #[arg(description = "Tone: calm or dramatic")] tone: Option<String>,
) -> String {
    format!(
        "Give a {} weather briefing for {city}.",
        tone.as_deref().unwrap_or("calm")
    )
}

/// The credentials the authenticated servers accept.
fn tokens() -> BearerTokens {
    BearerTokens::new()
        .token("reader-token", Principal::new("reader"))
        .token("admin-token", Principal::new("root").with_scopes(["admin"]))
}

/// Bindings of this test and two built by hand whose names (free text for resources and
/// prompts) and descriptions try to inject markup.
fn builder() -> McpServerBuilder {
    let hostile_resource = ResourceBinding::new(
        "<script>alert('resource')</script>",
        "weather://\"><script>alert(1)</script>",
        |_: ResourceRequest, _: Context| async { "x".to_owned() },
    )
    .description("</pre></details><script>alert('escaped?')</script>");
    let hostile_prompt = PromptBinding::new(
        "say\"><img src=x onerror=alert(2)>",
        |_: PromptArguments, _: Context| async { "x".to_owned() },
    )
    .argument("x\"onfocus=\"alert(3)", Some("<i>argument</i>"), false);
    McpServer::builder("weather <&> desk", "1.0")
        .instructions("Ask about the <weather>.")
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("catalogue")))
        .resource(hostile_resource)
        .prompt(hostile_prompt)
        .catalogue("/catalogue")
}

async fn serve(builder: McpServerBuilder) -> SocketAddr {
    let server = builder.build().expect("the catalogue server builds");
    http::serve(server.router()).await
}

/// GETs `path` from `addr` with `headers`; the status and the body.
async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let response = http::send(addr, "GET", path, headers, "").await;
    let status = response.status;
    (status, response.text().await)
}
