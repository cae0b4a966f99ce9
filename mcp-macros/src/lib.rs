//! The attributes of `mcp-runtime`: `#[mcp_tool]`, `#[mcp_resource]` and `#[mcp_prompt]`
//! on functions, and `#[mcp_bindings]` on an `impl` block whose methods carry them.
//!
//! Use them through `mcp_runtime::prelude`; generated code refers only to
//! `::mcp_runtime::__private` (or `<path>::__private` with `crate = path`). Each attribute is a small compiler: parse the attribute and
//! the function into a model, check the model (collecting every mistake, each spanned on
//! the tokens that caused it), then expand. The user's function is emitted unchanged.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod grammar;
mod self_type;

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
/// | `crate = path` | where generated code finds the runtime when the `mcp-runtime` dependency is renamed (`crate = my_runtime` or `crate = "my_runtime"`; default `::mcp_runtime`) |
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
/// | `crate = path` | as for tools |
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
/// | `crate = path` | as for tools |
///
/// On parameters: `#[arg(description = "...")]`, `#[arg(name = "wireName")]` and
/// `#[arg(complete = path::to::fn)]`, where
/// a completion handler is a `fn(CompletionRequest) -> Vec<String>` or an `async fn`.
#[proc_macro_attribute]
pub fn mcp_prompt(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::run(attr::Kind::Prompt, args.into(), item.into()).into()
}

/// Makes the methods of an `impl` block bindings, called on the server's state.
///
/// Put `#[mcp_bindings]` on an inherent `impl Type { ... }` and `#[mcp_tool]`,
/// `#[mcp_resource]` or `#[mcp_prompt]` on the methods to serve. A method that takes `&self`
/// is called on the value given to the builder with `.state(Type { .. })`, the same value
/// a function's `State<Type>` parameter receives, so methods and functions share it.
/// Everything else is as for functions: the same keys, the same parameters (arguments,
/// `#[args]`, `Context`, `State<T>` of other types), `fn` and `async fn`. The methods stay
/// ordinary methods, callable from your own code and tests; methods without a binding
/// attribute are left alone.
///
/// ```no_run
/// use mcp_runtime::prelude::*;
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// struct Calculator {
///     calls: AtomicU64,
/// }
///
/// #[mcp_bindings]
/// impl Calculator {
///     /// Add two numbers.
///     #[mcp_tool(read_only)]
///     fn add(&self, a: f64, b: f64) -> f64 {
///         self.calls.fetch_add(1, Ordering::Relaxed);
///         a + b
///     }
///
///     /// How many additions were made.
///     #[mcp_resource(uri = "calculator://calls")]
///     async fn calls(&self) -> String {
///         self.calls.load(Ordering::Relaxed).to_string()
///     }
///
///     /// Explain a sum.
///     #[mcp_prompt]
///     fn explain(&self, sum: String) -> String {
///         format!("Explain how to compute {sum}.")
///     }
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), mcp_runtime::Error> {
///     McpServer::builder("calculator", "1.0")
///         .state(Calculator { calls: AtomicU64::new(0) })
///         .build()? // refused if no `Calculator` state was given
///         .serve_stdio()
///         .await
/// }
/// ```
///
/// - **`&self` only.** The state is shared by every call, and calls run at the same time:
///   `&mut self` and `self` are compile errors. Keep what changes behind a `Mutex`, an
///   `RwLock` or an atomic. The type must be `Send + Sync + 'static`.
/// - **Associated functions** (no `self`) with a binding attribute are bindings like free
///   functions, called as `Type::f`, and need no state.
/// - **`Self`** may be used in parameter and return types and in keys
///   (`complete = Self::units`, `permission = Self::allowed`).
/// - **The state is required:** `build()` fails, naming the type, when a `&self` binding's
///   type was not given with `.state(...)`.
/// - Not on trait impls or generic impls: a binding is registered once, for one concrete
///   type. Write an `impl` block for each concrete type you serve.
/// - The binding attributes are recognised by name (`mcp_tool`, `mcp_runtime::mcp_tool`,
///   ...), so do not import them under another name for use inside the block.
/// - `#[cfg(...)]` on a method applies to its registration too.
///
/// The one key, `#[mcp_bindings(crate = my_runtime)]`, is the `crate = path` key of the
/// other attributes (where generated code finds a renamed `mcp-runtime`), for every method
/// of the block that does not give its own.
#[proc_macro_attribute]
pub fn mcp_bindings(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::methods::run(args.into(), item.into()).into()
}
