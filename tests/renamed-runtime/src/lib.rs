//! Bindings written against a renamed runtime dependency with `crate = renamed_runtime`.
//! This crate does not depend on `mcp-runtime` under its own name, so it compiles only if
//! no generated code names `::mcp_runtime`; `tests/tests/crate_key.rs` serves the bindings.

use renamed_runtime::binding::CompletionRequest;
use renamed_runtime::prelude::*;

/// Tags every binding here, so a test can serve them alone.
pub const TAG: &str = "renamed-runtime";

#[derive(Deserialize, JsonSchema)]
pub struct Order {
    pub item: String,
    pub count: u32,
}

/// Place an order.
#[mcp_tool(crate = renamed_runtime, tags = ["renamed-runtime"])]
pub async fn order(#[args] order: Order) -> Json<String> {
    Json(format!("{} x {}", order.count, order.item))
}

fn items(request: CompletionRequest) -> Vec<String> {
    ["tea", "toast"]
        .iter()
        .filter(|item| item.starts_with(request.value()))
        .map(ToString::to_string)
        .collect()
}

/// One item of the menu.
#[mcp_resource(
    uri = "menu://{item}",
    complete = items,
    crate = "renamed_runtime",
    tags = ["renamed-runtime"]
)]
pub fn menu_item(item: String) -> String {
    format!("{item}: on the menu")
}

/// The kitchen: its methods are bindings, with the impl's `crate` key.
pub struct Kitchen {
    pub chef: String,
}

#[mcp_bindings(crate = renamed_runtime)]
impl Kitchen {
    /// Who cooks today.
    #[mcp_tool(tags = ["renamed-runtime"])]
    fn chef(&self) -> String {
        self.chef.clone()
    }

    /// Ask the chef for a dish.
    #[mcp_prompt(tags = ["renamed-runtime"])]
    fn ask(&self, #[arg(complete = items)] dish: String) -> String {
        format!("Ask {} for {dish}.", self.chef)
    }
}
