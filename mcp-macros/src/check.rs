//! Semantic checks on the model, after parsing and before expansion. Each mistake is
//! reported on the tokens that caused it, with what would be right.

use crate::ast::{Function, Param};
use crate::attr::{Kind, Settings};
use crate::ctxt::Ctxt;
use crate::grammar;
use mcp_uri_template::UriTemplate;
use proc_macro2::Span;

/// Where `complete` was written: the key of `#[arg(complete = ..)]`.
fn complete_span(param: &Param) -> Span {
    param.complete_key.unwrap_or_else(|| param.ident.span())
}

/// The binding's name: `name = "..."` or the function's name.
pub(crate) fn binding_name(function: &Function, settings: &Settings) -> String {
    settings
        .name
        .as_ref()
        .map_or_else(|| function.ident.to_string(), syn::LitStr::value)
}

pub(crate) fn run(
    cx: &Ctxt,
    kind: Kind,
    function: &Function,
    settings: &Settings,
) -> Option<UriTemplate> {
    let signature = &function.item.sig;
    if !signature.generics.params.is_empty() || signature.generics.where_clause.is_some() {
        cx.error_spanned_by(
            &signature.generics,
            format!("{} functions cannot be generic: the schema is generated for concrete types; use concrete types or write a wrapper per type", kind.attribute()),
        );
    }
    check_receiver(cx, kind, function);
    if function.docs.is_none() && settings.description.is_none() {
        cx.error_spanned_by(
            &function.ident,
            format!("{} `{}` has no description: add a doc comment (`/// What it does.`) or `description = \"...\"`", kind.attribute(), function.ident),
        );
    }
    if kind == Kind::Tool {
        check_tool(cx, function, settings);
    }
    if kind == Kind::Tool {
        for param in function.params.iter().filter(|p| p.complete.is_some()) {
            cx.syn_error(syn::Error::new(
                complete_span(param),
                format!("`complete` applies to prompt arguments and resource template variables, not tool arguments: remove it from `{}`", param.ident),
            ));
        }
    }
    if kind == Kind::Prompt {
        for param in function.params.iter() {
            if let Some(attr) = &param.whole_args {
                cx.error_spanned_by(
                    attr,
                    "`#[args]` applies to tools; a prompt's arguments are its own `String` / `Option<String>` parameters: remove `#[args]`",
                );
            }
        }
    }
    if kind == Kind::Resource {
        return check_resource(cx, function, settings);
    }
    None
}

/// A binding takes `&self` only as a method of a `#[mcp_bindings]` impl, where the glue
/// borrows it from the server's `State<Owner>`; that state is shared by every call, so
/// nothing else can be made from it.
fn check_receiver(cx: &Ctxt, kind: Kind, function: &Function) {
    let Some(receiver) = &function.receiver else {
        return;
    };
    let attribute = kind.attribute();
    let Some(owner) = &function.owner else {
        cx.error_spanned_by(
            receiver,
            format!("{attribute} on a method needs `#[mcp_bindings]` on its `impl` block: write `#[mcp_bindings] impl Type {{ ... }}`, and give the server the value the methods are called on with `.state(Type {{ .. }})`"),
        );
        return;
    };
    let owner = quote::ToTokens::to_token_stream(owner);
    let message = match &*receiver.ty {
        syn::Type::Reference(reference) if reference.mutability.is_none() => return,
        syn::Type::Reference(_) => format!(
            "{attribute} methods take `&self`, not `&mut self`: the server's `State<{owner}>` is shared by every call, and calls run at the same time; take `&self` and keep what changes behind a `Mutex`, an `RwLock` or an atomic"
        ),
        syn::Type::Path(path) if path.path.is_ident("Self") => format!(
            "{attribute} methods take `&self`, not `self`: the server's `State<{owner}>` is shared by every call and no call owns it; take `&self` (and clone what a call must own)"
        ),
        _ => format!(
            "{attribute} methods take `&self`: the glue borrows the method's receiver from the server's `State<{owner}>`, and cannot make this kind of `self` from it"
        ),
    };
    cx.error_spanned_by(receiver, message);
}

fn check_tool(cx: &Ctxt, function: &Function, settings: &Settings) {
    let name = binding_name(function, settings);
    if let Err(message) = grammar::check_tool_name(&name) {
        match &settings.name {
            Some(literal) => cx.error_spanned_by(literal, message),
            None => cx.error_spanned_by(&function.ident, message),
        }
    }
    if let (Some(span), true) = (settings.blocking, function.is_async) {
        cx.syn_error(syn::Error::new(span, "`blocking` runs a synchronous function on the blocking pool; remove it or make the function a plain `fn`"));
    }
    if let (Some((_, span)), false) = (settings.task, function.is_async) {
        cx.syn_error(syn::Error::new(span, "`task` needs an `async fn` that takes `ctx: Context` and calls `ctx.start_task().await` where its task begins; make the function `async`"));
    }
    let whole: Vec<_> = function
        .params
        .iter()
        .filter(|p| p.whole_args.is_some())
        .collect();
    for extra in whole.iter().skip(1) {
        cx.error_spanned_by(
            extra.whole_args.as_ref(),
            format!(
                "`#[args]` is given twice: only one parameter takes the whole argument object, and `{}` already does; remove this `#[args]` or merge the two types into one",
                whole[0].ident
            ),
        );
    }
}

fn check_resource(cx: &Ctxt, function: &Function, settings: &Settings) -> Option<UriTemplate> {
    for param in function.params.iter() {
        if let Some(attr) = &param.whole_args {
            cx.error_spanned_by(
                attr,
                "`#[args]` applies to tools; a resource's arguments are its URI template variables: remove `#[args]`",
            );
        }
    }
    let Some(uri) = &settings.uri else {
        // On the attribute itself: that is where the key goes.
        cx.syn_error(settings.attribute_error(
            "#[mcp_resource] needs `uri = \"...\"`: a fixed URI (\"config://app\") or an RFC 6570 template (\"invoices://{id}\")",
        ));
        return None;
    };
    let template = match UriTemplate::parse(&uri.value()) {
        Ok(template) => template,
        Err(e) => {
            cx.error_spanned_by(uri, format!("invalid URI template: {e}"));
            return None;
        }
    };
    for variable in template.variables() {
        if !function.params.iter().any(|p| p.key() == variable.name) {
            cx.error_spanned_by(
                uri,
                format!("URI template variable `{{{}}}` has no parameter of that name: add `{}: String` (or another type) to the function", variable.name, variable.name),
            );
        }
    }
    for param in function.params.iter().filter(|p| p.complete.is_some()) {
        if !template.variables().iter().any(|v| param.key() == v.name) {
            cx.syn_error(syn::Error::new(
                complete_span(param),
                format!(
                    "`complete` on `{}`, which is not a variable of the URI template `{}`: only template variables are completed; remove it, or put it on a parameter named after a variable",
                    param.ident,
                    uri.value()
                ),
            ));
        }
    }
    Some(template)
}
