//! Semantic checks on the model, after parsing and before expansion. Each mistake is
//! reported on the tokens that caused it, with what would be right.

use crate::ast::Function;
use crate::attr::{Kind, Settings};
use crate::ctxt::Ctxt;
use crate::grammar;
use mcp_uri_template::UriTemplate;

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
    if let Some(span) = function.receiver {
        cx.syn_error(syn::Error::new(
            span,
            format!("{} cannot take `self`: bindings are free functions; move shared data into `State<T>`", kind.attribute()),
        ));
    }
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
            cx.error_spanned_by(&param.ident, "`complete` applies to prompt arguments and resource template variables, not tool arguments");
        }
    }
    if kind == Kind::Resource {
        return check_resource(cx, function, settings);
    }
    None
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
    let whole: Vec<_> = function
        .params
        .iter()
        .filter(|p| p.whole_args.is_some())
        .collect();
    if whole.len() > 1 {
        cx.error_spanned_by(
            &whole[1].ident,
            "only one parameter can take the whole argument object with `#[args]`",
        );
    }
}

fn check_resource(cx: &Ctxt, function: &Function, settings: &Settings) -> Option<UriTemplate> {
    let Some(uri) = &settings.uri else {
        cx.error_spanned_by(
            &function.ident,
            "#[mcp_resource] needs `uri = \"...\"`: a fixed URI (\"config://app\") or an RFC 6570 template (\"invoices://{id}\")",
        );
        return None;
    };
    for param in function.params.iter().filter(|p| p.whole_args.is_some()) {
        cx.error_spanned_by(
            &param.ident,
            "`#[args]` applies to tools; a resource's arguments are its URI template variables",
        );
    }
    let template = match UriTemplate::parse(&uri.value()) {
        Ok(template) => template,
        Err(e) => {
            cx.error_spanned_by(uri, format!("invalid URI template: {e}"));
            return None;
        }
    };
    for variable in template.variables() {
        if !function.params.iter().any(|p| p.ident == variable.name) {
            cx.error_spanned_by(
                uri,
                format!("URI template variable `{{{}}}` has no parameter of that name: add `{}: String` (or another type) to the function", variable.name, variable.name),
            );
        }
    }
    for param in function.params.iter().filter(|p| p.complete.is_some()) {
        if !template.variables().iter().any(|v| param.ident == v.name) {
            cx.error_spanned_by(
                &param.ident,
                format!(
                    "`complete` on `{}`, which is not a variable of the URI template",
                    param.ident
                ),
            );
        }
    }
    Some(template)
}
