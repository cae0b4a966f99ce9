//! The attributes of `mcp-runtime`: `#[mcp_tool]`, `#[mcp_resource]` and `#[mcp_prompt]`.
//!
//! Use them through `mcp_runtime::prelude`; generated code refers only to
//! `::mcp_runtime::__private`. Each attribute is a small compiler: parse the attribute and
//! the function into a model, check the model (collecting every mistake, each spanned on
//! the tokens that caused it), then expand. The user's function is emitted unchanged.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod grammar;

use proc_macro::TokenStream;

/// Turns a function into an MCP tool.
///
/// The function's parameters are the tool's arguments: each becomes a property of the
/// input schema (`Option<T>` optional, other types required), and every call is validated
/// against that schema before the function runs. `#[args] x: T` takes the whole argument
/// object as one `T: Deserialize + JsonSchema` instead. `Context` and `State<T>` parameters
/// are injected. The doc comment is the description. `fn` and `async fn` both work, and
/// the function stays callable as plain Rust.
///
/// ```text
/// /// Create an invoice.
/// #[mcp_tool(name = "invoices.create", destructive, permission = can_write, rate_limit = "10/min", timeout = "5s")]
/// async fn create(#[args] input: NewInvoice, db: State<Db>) -> Result<Json<Invoice>, ServiceError> { ... }
/// ```
///
/// | key | meaning |
/// |---|---|
/// | `name = "..."` | the tool's name (default: the function's), 1–64 of `A-Z a-z 0-9 _ . -` |
/// | `title = "..."`, `description = "..."` | texts for people and models (default description: the doc comment) |
/// | `read_only`, `destructive`, `idempotent`, `open_world` | behaviour hints (`= false` to say the opposite) |
/// | `permission = f` | a `Permission` (`fn(&RequestEnv) -> bool`, `scopes([...])`, your type); repeat to require several |
/// | `rate_limit = "N/sec"` | calls per caller per `sec`, `min` or `hour` |
/// | `timeout = "30s"` | cancel the call after this long (`ms`, `s`, `m`, `h`) |
/// | `blocking` | run a synchronous function on the blocking pool |
/// | `output_schema = false` | do not advertise a `Json<T>` return's schema |
/// | `icons = ["https://..."]`, `meta = { ... }` | listing icons and `_meta` (JSON) |
/// | `tags = ["..."]` | labels for `McpServerBuilder::filter` |
///
/// On parameters: `#[arg(description = "...")]`, `#[arg(name = "wireName")]` (the argument's
/// name in the schema when it differs from the Rust name), and `#[args]` as above.
#[proc_macro_attribute]
pub fn mcp_tool(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::run(attr::Kind::Tool, args.into(), item.into()).into()
}

/// Turns a function into an MCP resource or resource template.
///
/// `uri` is required: a fixed URI (listed by `resources/list`) or an RFC 6570 template,
/// levels 1–3 (`{id}`, `{+path}`, `{?q,page}`; listed by `resources/templates/list`).
/// Each template variable must be a parameter of the same name; its value is decoded from
/// the URI into the parameter's type (`u64`, `String`, `Option<T>` for query variables).
/// Other parameters must be injected (`Context`, `State<T>`).
///
/// ```text
/// /// One invoice.
/// #[mcp_resource(uri = "invoices://{id}", mime_type = "application/json")]
/// async fn invoice(id: u64, db: State<Db>) -> Result<Json<Invoice>, ServiceError> { ... }
/// ```
///
/// | key | meaning |
/// |---|---|
/// | `uri = "..."` | required: the URI or template |
/// | `name`, `title`, `description` | as for tools (default name: the function's) |
/// | `mime_type = "..."` | the contents' MIME type |
/// | `permission`, `rate_limit`, `timeout`, `tags` | as for tools |
/// | `cache_ttl = "5m"` | how long clients may cache a read |
/// | `complete = path::to::fn` | completion for every template variable without its own |
///
/// On parameters: `#[arg(complete = path::to::fn)]` completes that template variable, and
/// `#[arg(name = "var")]` binds the parameter to a template variable of another name.
#[proc_macro_attribute]
pub fn mcp_resource(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::run(attr::Kind::Resource, args.into(), item.into()).into()
}

/// Turns a function into an MCP prompt.
///
/// Parameters are the prompt's arguments, which MCP sends as strings: `String` is a required
/// argument, `Option<String>` an optional one (`Context` and `State<T>` are injected).
/// Missing required arguments are refused with `-32602` naming each one.
///
/// ```text
/// /// Ask for a code review.
/// #[mcp_prompt]
/// fn code_review(code: String, #[arg(complete = languages)] language: Option<String>) -> Vec<PromptMessage> { ... }
/// ```
///
/// | key | meaning |
/// |---|---|
/// | `name`, `title`, `description` | as for tools (default name: the function's) |
/// | `permission`, `rate_limit`, `timeout`, `tags` | as for tools |
/// | `complete = path::to::fn` | completion for every argument without its own |
///
/// On parameters: `#[arg(description = "...")]`, `#[arg(name = "wireName")]` and
/// `#[arg(complete = path::to::fn)]`, where
/// a completion handler is a `fn(CompletionRequest) -> Vec<String>` or an `async fn`.
#[proc_macro_attribute]
pub fn mcp_prompt(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::run(attr::Kind::Prompt, args.into(), item.into()).into()
}
