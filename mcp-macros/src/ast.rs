//! The annotated function as plain data: parameters with their attributes, docs, return type.

use crate::ctxt::Ctxt;
use crate::self_type;
use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, FnArg, Ident, ItemFn, LitStr, Pat, Receiver, ReturnType, Type};

pub(crate) struct Function {
    /// The function as written, minus the parameter attributes this crate consumes.
    pub item: ItemFn,
    pub ident: Ident,
    pub is_async: bool,
    pub docs: Option<String>,
    pub params: Vec<Param>,
    /// `None` for `()`.
    pub output: Option<Type>,
    /// `self`, `&self`, `&mut self`, ... as written.
    pub receiver: Option<Receiver>,
    /// For a method of a `#[mcp_bindings]` impl: the impl's type, which the glue calls the
    /// method on (through `State<Owner>` when it takes `&self`).
    pub owner: Option<Type>,
}

pub(crate) struct Param {
    pub ident: Ident,
    pub ty: Type,
    /// `#[args]`: the whole argument object (the attribute, to point at it).
    pub whole_args: Option<Attribute>,
    pub description: Option<LitStr>,
    /// `#[arg(name = "...")]`: the argument's name on the wire, when not the Rust name.
    pub rename: Option<LitStr>,
    /// `#[arg(header)]` or `#[arg(header = "Name")]`: mirrored in an `Mcp-Param-{Name}` header.
    pub header: Option<String>,
    pub complete: Option<Expr>,
    /// The `complete` key of `#[arg(complete = ..)]`, to point at it.
    pub complete_key: Option<Span>,
}

impl Param {
    /// The argument's name on the wire: `#[arg(name = "...")]`, else the parameter's name.
    pub(crate) fn key(&self) -> String {
        self.rename
            .as_ref()
            .map_or_else(|| self.ident.to_string(), LitStr::value)
    }

    /// The variable the generated code holds the parameter's value in: never the
    /// parameter's own name, which may be the function's (`fn steps(steps: u32)`), and
    /// would then hide the function from its own call.
    pub(crate) fn local(&self) -> proc_macro2::Ident {
        use syn::ext::IdentExt;
        quote::format_ident!("__mcp_arg_{}", self.ident.unraw())
    }
}

/// The model of `item`; `owner` is the impl's type for a method of a `#[mcp_bindings]`
/// impl, whose types then have `Self` spelt out.
pub(crate) fn parse(cx: &Ctxt, mut item: ItemFn, owner: Option<&Type>) -> Function {
    let mut params = Vec::new();
    let mut receiver = None;
    for input in &mut item.sig.inputs {
        match input {
            FnArg::Receiver(r) => receiver = Some(r.clone()),
            FnArg::Typed(typed) => {
                let attrs = std::mem::take(&mut typed.attrs);
                let (consumed, kept): (Vec<Attribute>, Vec<Attribute>) = attrs
                    .into_iter()
                    .partition(|a| a.path().is_ident("arg") || a.path().is_ident("args"));
                typed.attrs = kept;
                let Pat::Ident(pat) = &*typed.pat else {
                    cx.error_spanned_by(
                        &typed.pat,
                        "binding parameters must be plain names (`name: Type`), not patterns",
                    );
                    continue;
                };
                let mut param = Param {
                    ident: pat.ident.clone(),
                    ty: (*typed.ty).clone(),
                    whole_args: None,
                    description: None,
                    rename: None,
                    header: None,
                    complete: None,
                    complete_key: None,
                };
                for attr in consumed {
                    parse_param_attr(cx, &attr, &mut param);
                }
                params.push(param);
            }
        }
    }
    let mut output = match &item.sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    if let Some(owner) = owner {
        for param in &mut params {
            self_type::in_type(&mut param.ty, owner);
            if let Some(handler) = &mut param.complete {
                self_type::in_expr(handler, owner);
            }
        }
        if let Some(output) = &mut output {
            self_type::in_type(output, owner);
        }
    }
    Function {
        ident: item.sig.ident.clone(),
        is_async: item.sig.asyncness.is_some(),
        docs: doc_text(&item.attrs),
        params,
        output,
        receiver,
        owner: owner.cloned(),
        item,
    }
}

fn parse_param_attr(cx: &Ctxt, attr: &Attribute, param: &mut Param) {
    if attr.path().is_ident("args") {
        if let Err(e) = attr.meta.require_path_only() {
            cx.syn_error(syn::Error::new(e.span(), "`#[args]` takes no arguments"));
        }
        param.whole_args = Some(attr.clone());
        return;
    }
    let result = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("description") {
            param.description = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("name") {
            param.rename = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("header") {
            let name = if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<LitStr>()?.value()
            } else {
                param.key()
            };
            param.header = Some(name);
        } else if meta.path.is_ident("complete") {
            param.complete_key = Some(meta.path.span());
            param.complete = Some(meta.value()?.parse()?);
        } else {
            let given = meta.path.to_token_stream().to_string();
            let valid = ["name", "description", "header", "complete"];
            let hint = crate::attr::closest(&given, &valid)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            return Err(meta.error(format!(
                "unknown key `{given}` for `#[arg]`; {hint}valid keys are: name = \"...\", description = \"...\", header = \"...\", complete = handler"
            )));
        }
        Ok(())
    });
    if let Err(error) = result {
        cx.syn_error(error);
    }
}

/// The doc comment as rustdoc would read it: one leading space per line removed, trimmed.
fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}
