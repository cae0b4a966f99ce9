//! Code generation from the checked model: the user's function unchanged, then an anonymous
//! `const _: () = { ... };` holding the shim and its `inventory` registration, so helper
//! names never reach the user's namespace.

mod common;
pub(crate) mod methods;
mod prompt;
mod resource;
mod tool;

use crate::attr::{self, Kind};
use crate::ctxt::Ctxt;
use crate::{ast, check};
use mcp_uri_template::UriTemplate;
use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

pub(crate) fn run(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let item_fn: ItemFn = match syn::parse2(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(error) => {
            let error = not_a_function(kind, &item, error).to_compile_error();
            return quote! { #error #item };
        }
    };
    let cx = Ctxt::new();
    let settings = attr::parse(&cx, kind, args);
    let function = ast::parse(&cx, item_fn, None);
    let template = check::run(&cx, kind, &function, &settings);
    let user_fn = &function.item;
    if let Err(errors) = cx.check() {
        // Emit the function too, so its own uses do not add unrelated errors.
        return quote! { #errors #user_fn };
    }
    let registration = registration(kind, &function, &settings, template.as_ref());
    quote! {
        #user_fn

        #registration
    }
}

/// One checked binding's glue and its `inventory` registration, in an anonymous const.
pub(crate) fn registration(
    kind: Kind,
    function: &ast::Function,
    settings: &attr::Settings,
    template: Option<&UriTemplate>,
) -> TokenStream {
    let binding = match kind {
        Kind::Tool => tool::expand(function, settings),
        Kind::Resource => resource::expand(function, settings, template.expect("checked")),
        Kind::Prompt => prompt::expand(function, settings),
    };
    // Every generated path goes through `__mcp`, so `crate = path` moves all of them.
    let runtime = match &settings.krate {
        Some(path) => quote! { #path },
        None => quote! { ::mcp_runtime },
    };
    quote! {
        #[doc(hidden)]
        const _: () = {
            use #runtime::__private as __mcp;
            #binding
            __mcp::inventory::submit! { __mcp::Registration::new(__mcp_binding) }
        };
    }
}

/// The error for an attribute put on something that does not parse as a function: on the
/// attribute, naming what it was put on; or syn's own error if it was a function after all.
fn not_a_function(kind: Kind, item: &TokenStream, error: syn::Error) -> syn::Error {
    let what = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Fn(_)) | Err(_) => return error,
        Ok(syn::Item::Struct(_)) => "a struct",
        Ok(syn::Item::Enum(_)) => "an enum",
        Ok(syn::Item::Union(_)) => "a union",
        Ok(syn::Item::Trait(_)) => "a trait",
        Ok(syn::Item::Impl(_)) => {
            "an `impl` block: put `#[mcp_bindings]` on the `impl` block and this attribute on each method that is a binding"
        }
        Ok(syn::Item::Mod(_)) => "a module",
        Ok(syn::Item::Const(_)) => "a const",
        Ok(syn::Item::Static(_)) => "a static",
        Ok(syn::Item::Type(_)) => "a type alias",
        Ok(syn::Item::Use(_)) => "a `use`",
        Ok(_) => "this item",
    };
    syn::Error::new(
        proc_macro2::Span::call_site(),
        format!(
            "{} applies to functions (`fn` or `async fn`), not to {what}",
            kind.attribute()
        ),
    )
}
