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

/// Turns a function into an MCP tool. See the `mcp_runtime` crate docs for the keys.
#[proc_macro_attribute]
pub fn mcp_tool(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::run(attr::Kind::Tool, args.into(), item.into()).into()
}

/// Turns a function into an MCP resource or resource template (`uri = "..."`).
#[proc_macro_attribute]
pub fn mcp_resource(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::run(attr::Kind::Resource, args.into(), item.into()).into()
}

/// Turns a function into an MCP prompt.
#[proc_macro_attribute]
pub fn mcp_prompt(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::run(attr::Kind::Prompt, args.into(), item.into()).into()
}
