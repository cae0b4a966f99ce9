//! `#[mcp_bindings]`: an inherent `impl` block whose methods marked `#[mcp_tool]`,
//! `#[mcp_resource]` or `#[mcp_prompt]` become bindings.
//!
//! The impl is emitted with those attributes (and the parameters' `#[arg]`) removed, so
//! the methods stay ordinary methods, callable from the user's own code and tests. Each
//! binding's glue and registration follow the impl, in the same module, so they see the
//! methods whatever their privacy. A method's attribute goes through the same parsing,
//! checks and expansion as a free function's; only the call differs: on the server's
//! `State<Owner>` for `&self`, or as `Owner::f` for an associated function.

use super::registration;
use crate::attr::{self, Kind, Settings};
use crate::ctxt::Ctxt;
use crate::{ast, check, self_type};
use mcp_uri_template::UriTemplate;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, ImplItem, ImplItemFn, ItemFn, ItemImpl, Type};

/// One binding attribute of a method, checked.
struct Checked {
    kind: Kind,
    settings: Settings,
    template: Option<UriTemplate>,
}

/// A method with binding attributes, its model and each of its attributes checked.
struct Method {
    function: ast::Function,
    /// `#[cfg(...)]` of the method: its registrations exist only where it does.
    cfgs: Vec<Attribute>,
    bindings: Vec<Checked>,
}

pub(crate) fn run(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut item_impl: ItemImpl = match syn::parse2(item.clone()) {
        Ok(item_impl) => item_impl,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "#[mcp_bindings] applies to an `impl` block (`impl Type { ... }`) whose methods carry #[mcp_tool], #[mcp_resource] or #[mcp_prompt]; on a free function, use those attributes alone",
            )
            .to_compile_error();
            return quote! { #error #item };
        }
    };
    let cx = Ctxt::new();
    let defaults = attr::parse_bindings(&cx, args);
    check_impl(&cx, &item_impl);
    let owner = (*item_impl.self_ty).clone();
    let mut methods = Vec::new();
    for impl_item in &mut item_impl.items {
        if let ImplItem::Fn(method) = impl_item
            && let Some(method) = binding_method(&cx, method, &owner, &defaults)
        {
            methods.push(method);
        }
    }
    if let Err(errors) = cx.check() {
        // Emit the impl too, so uses of its methods do not add unrelated errors.
        return quote! { #errors #item_impl };
    }
    let registrations = methods.iter().flat_map(|method| {
        let cfgs = &method.cfgs;
        method.bindings.iter().map(move |checked| {
            let registration = registration(
                checked.kind,
                &method.function,
                &checked.settings,
                checked.template.as_ref(),
            );
            quote! { #(#cfgs)* #registration }
        })
    });
    quote! {
        #item_impl

        #(#registrations)*
    }
}

/// Takes the binding attributes off `method` and checks each; `None` for a method
/// without any, which is left as it is.
fn binding_method(
    cx: &Ctxt,
    method: &mut ImplItemFn,
    owner: &Type,
    defaults: &Settings,
) -> Option<Method> {
    let (attributes, kept): (Vec<Attribute>, Vec<Attribute>) = std::mem::take(&mut method.attrs)
        .into_iter()
        .partition(|attribute| Kind::of(attribute).is_some());
    method.attrs = kept;
    if attributes.is_empty() {
        return None;
    }
    let function = ast::parse(
        cx,
        ItemFn {
            attrs: method.attrs.clone(),
            vis: method.vis.clone(),
            sig: method.sig.clone(),
            block: Box::new(method.block.clone()),
        },
        Some(owner),
    );
    // The model's signature has the parameters' `#[arg]` attributes taken off.
    method.sig = function.item.sig.clone();
    let bindings = attributes
        .iter()
        .map(|attribute| {
            let kind = Kind::of(attribute).expect("partitioned by kind");
            let mut settings = attr::parse_attribute(cx, kind, attribute);
            for permission in &mut settings.permissions {
                self_type::in_expr(permission, owner);
            }
            if let Some(handler) = &mut settings.complete {
                self_type::in_expr(handler, owner);
            }
            // The impl's `crate = path`, unless the method names its own.
            if settings.krate.is_none() {
                settings.krate.clone_from(&defaults.krate);
            }
            let template = check::run(cx, kind, &function, &settings);
            Checked {
                kind,
                settings,
                template,
            }
        })
        .collect();
    let cfgs = method
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("cfg"))
        .cloned()
        .collect();
    Some(Method {
        function,
        cfgs,
        bindings,
    })
}

/// The impl must name one concrete type the glue can call: no trait impls (whose methods
/// the trait already fixes) and no generics (a binding is registered once, with schemas
/// for concrete types).
fn check_impl(cx: &Ctxt, item_impl: &ItemImpl) {
    if let Some((_, trait_path, _)) = &item_impl.trait_ {
        cx.error_spanned_by(
            trait_path,
            "#[mcp_bindings] goes on an inherent `impl` block (`impl Type { ... }`), not on a trait's impl: put the binding methods in an `impl Type` block of their own (they may call the trait's methods)",
        );
    }
    let generics = &item_impl.generics;
    let generic = if !generics.params.is_empty() {
        Some(quote! { #generics })
    } else {
        generics.where_clause.as_ref().map(|w| quote! { #w })
    };
    if let Some(tokens) = generic {
        cx.error_spanned_by(
            tokens,
            "#[mcp_bindings] cannot be on a generic `impl`: each binding is registered once, on one concrete state type, with schemas for concrete types; write an `impl` block for each concrete type you serve (`impl Store<Postgres> { ... }`)",
        );
    }
}
