//! An invoicing server: shared state (`State<T>`), structured output (`Json<T>`), `#[args]`
//! structs, guards and errors. Run it with `cargo run -p mcp-examples --bin invoices`.

use mcp_runtime::RequestEnv;
use mcp_runtime::prelude::*;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The "database": invoices by id.
#[derive(Default)]
struct Ledger {
    invoices: Mutex<BTreeMap<u64, Invoice>>,
}

#[derive(Clone, Serialize, JsonSchema)]
struct Invoice {
    id: u64,
    customer: String,
    cents: u64,
}

#[derive(Deserialize, JsonSchema)]
struct NewInvoice {
    /// Who pays.
    customer: String,
    /// The amount, in cents.
    #[schemars(range(min = 1))]
    cents: u64,
}

#[derive(Serialize, JsonSchema)]
struct Summary {
    count: usize,
    total_cents: u64,
}

fn can_write(env: &RequestEnv) -> bool {
    // Over stdio there is no authentication; a deployment would check env.principal().
    env.principal()
        .is_none_or(|p| p.has_scope("invoices:write"))
}

/// Create an invoice.
#[mcp_tool(name = "invoices.create", permission = can_write, rate_limit = "10/min")]
fn create_invoice(
    #[args] input: NewInvoice,
    ledger: State<Ledger>,
) -> Result<Json<Invoice>, ServiceError> {
    let mut invoices = ledger
        .invoices
        .lock()
        .map_err(|_| ServiceError::new("the ledger is unavailable"))?;
    let id = invoices.keys().next_back().map_or(1, |last| last + 1);
    let invoice = Invoice {
        id,
        customer: input.customer,
        cents: input.cents,
    };
    invoices.insert(id, invoice.clone());
    Ok(Json(invoice))
}

/// Count the invoices and add up their amounts.
#[mcp_tool(name = "invoices.summary", read_only)]
fn summary(ledger: State<Ledger>) -> Json<Summary> {
    let invoices = ledger.invoices.lock().unwrap_or_else(|e| e.into_inner());
    Json(Summary {
        count: invoices.len(),
        total_cents: invoices.values().map(|i| i.cents).sum(),
    })
}

/// One invoice, as JSON.
#[mcp_resource(uri = "invoices://{id}", mime_type = "application/json")]
fn invoice(id: u64, ledger: State<Ledger>) -> Result<Json<Invoice>, ServiceError> {
    let invoices = ledger.invoices.lock().unwrap_or_else(|e| e.into_inner());
    invoices
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ServiceError::not_found(format!("no invoice {id}")))
}

#[tokio::main]
async fn main() -> Result<(), mcp_runtime::Error> {
    let server = McpServer::builder("invoicing", env!("CARGO_PKG_VERSION"))
        .filter(|binding| {
            binding
                .module_path()
                .is_some_and(|m| m.starts_with("invoices"))
        })
        .state(Ledger::default())
        .build()?;
    eprintln!(
        "invoicing MCP server: serving tools {} over stdio.",
        server.tool_names().join(", ")
    );
    server.serve_stdio().await
}
