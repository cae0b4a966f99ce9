//! Code generation from the checked model: the user's function unchanged, then an anonymous
//! `const _: () = { ... };` holding the shim and its `inventory` registration, so helper
//! names never reach the user's namespace.

mod common;
mod prompt;
mod resource;
mod tool;

use crate::attr::{self, Kind};
use crate::ctxt::Ctxt;
use crate::{ast, check};
use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

pub(crate) fn run(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let item_fn: ItemFn = match syn::parse2(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(_) => {
            let message = format!(
                "{} applies to functions (`fn` or `async fn`)",
                kind.attribute()
            );
            let error = syn::Error::new_spanned(&item, message).to_compile_error();
            return quote! { #error #item };
        }
    };
    let cx = Ctxt::new();
    let settings = attr::parse(&cx, kind, args);
    let function = ast::parse(&cx, item_fn);
    let template = check::run(&cx, kind, &function, &settings);
    let user_fn = &function.item;
    if let Err(errors) = cx.check() {
        // Emit the function too, so its own uses do not add unrelated errors.
        return quote! { #errors #user_fn };
    }
    let binding = match kind {
        Kind::Tool => tool::expand(&function, &settings),
        Kind::Resource => resource::expand(&function, &settings, &template.expect("checked")),
        Kind::Prompt => prompt::expand(&function, &settings),
    };
    quote! {
        #user_fn

        #[doc(hidden)]
        const _: () = {
            use ::mcp_runtime::__private as __mcp;
            #binding
            __mcp::inventory::submit! { __mcp::Registration::new(__mcp_binding) }
        };
    }
}
