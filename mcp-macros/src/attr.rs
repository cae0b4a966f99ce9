//! Attribute keys → typed settings. Unknown keys and repeated keys are errors that name
//! the valid keys.

use crate::ctxt::Ctxt;
use crate::grammar;
use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::{Expr, LitBool, LitStr};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tool,
    Resource,
    Prompt,
}

impl Kind {
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            Kind::Tool => "#[mcp_tool]",
            Kind::Resource => "#[mcp_resource]",
            Kind::Prompt => "#[mcp_prompt]",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Tool => &[
                "name",
                "title",
                "description",
                "read_only",
                "destructive",
                "idempotent",
                "open_world",
                "permission",
                "rate_limit",
                "icons",
                "meta",
                "output_schema",
                "timeout",
                "blocking",
                "tags",
            ],
            Kind::Resource => &[
                "uri",
                "name",
                "title",
                "description",
                "mime_type",
                "permission",
                "rate_limit",
                "cache_ttl",
                "complete",
                "timeout",
                "tags",
            ],
            Kind::Prompt => &[
                "name",
                "title",
                "description",
                "permission",
                "rate_limit",
                "complete",
                "timeout",
                "tags",
            ],
        }
    }
}

#[derive(Default)]
pub(crate) struct Settings {
    pub name: Option<LitStr>,
    pub title: Option<LitStr>,
    pub description: Option<LitStr>,
    pub permissions: Vec<Expr>,
    /// (count, window in seconds)
    pub rate_limit: Option<(u32, u64)>,
    pub tags: Vec<LitStr>,
    pub timeout_ms: Option<u64>,
    // tools
    pub read_only: Option<bool>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
    pub icons: Vec<LitStr>,
    pub meta: Option<TokenStream>,
    pub output_schema: Option<bool>,
    pub blocking: Option<Span>,
    // resources
    pub uri: Option<LitStr>,
    pub mime_type: Option<LitStr>,
    pub cache_ttl_ms: Option<u64>,
    // resources and prompts
    pub complete: Option<Expr>,
}

pub(crate) fn parse(cx: &Ctxt, kind: Kind, args: TokenStream) -> Settings {
    let mut settings = Settings::default();
    let mut seen: Vec<String> = Vec::new();
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !kind.keys().contains(&key.as_str()) {
            let valid = kind.keys().join(", ");
            return Err(meta.error(format!(
                "unknown key `{}` for {}; valid keys are: {valid}",
                path_text(&meta),
                kind.attribute()
            )));
        }
        if key != "permission" && seen.contains(&key) {
            return Err(meta.error(format!("`{key}` is given twice; keep one")));
        }
        seen.push(key.clone());
        parse_key(&mut settings, &key, &meta)
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, args) {
        cx.syn_error(error);
    }
    settings
}

fn path_text(meta: &ParseNestedMeta<'_>) -> String {
    let segments: Vec<String> = meta
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments.join("::")
}

fn parse_key(settings: &mut Settings, key: &str, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    let span = meta.path.segments[0].ident.span();
    match key {
        "name" => settings.name = Some(meta.value()?.parse()?),
        "title" => settings.title = Some(meta.value()?.parse()?),
        "description" => settings.description = Some(meta.value()?.parse()?),
        "uri" => settings.uri = Some(meta.value()?.parse()?),
        "mime_type" => settings.mime_type = Some(meta.value()?.parse()?),
        "permission" => settings.permissions.push(meta.value()?.parse()?),
        "complete" => settings.complete = Some(meta.value()?.parse()?),
        "read_only" => settings.read_only = Some(flag(meta)?),
        "destructive" => settings.destructive = Some(flag(meta)?),
        "idempotent" => settings.idempotent = Some(flag(meta)?),
        "open_world" => settings.open_world = Some(flag(meta)?),
        "output_schema" => settings.output_schema = Some(flag(meta)?),
        "blocking" => {
            if flag(meta)? {
                settings.blocking = Some(span);
            }
        }
        "meta" => {
            let group: proc_macro2::Group = meta.value()?.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "`meta` takes a JSON object: meta = { \"key\": \"value\" }",
                )
            })?;
            settings.meta = Some(proc_macro2::TokenTree::Group(group).into());
        }
        "icons" | "tags" => {
            let list = string_list(meta, key)?;
            if key == "icons" {
                settings.icons = list
            } else {
                settings.tags = list
            }
        }
        "rate_limit" => {
            let text: LitStr = meta.value()?.parse()?;
            let value =
                grammar::rate_limit(&text.value()).map_err(|m| syn::Error::new(text.span(), m))?;
            settings.rate_limit = Some(value);
        }
        "timeout" | "cache_ttl" => {
            let text: LitStr = meta.value()?.parse()?;
            let value =
                grammar::duration_ms(&text.value()).map_err(|m| syn::Error::new(text.span(), m))?;
            if key == "timeout" {
                settings.timeout_ms = Some(value)
            } else {
                settings.cache_ttl_ms = Some(value)
            }
        }
        _ => unreachable!("keys are checked against Kind::keys"),
    }
    Ok(())
}

/// `read_only` alone means true; `read_only = false` is also accepted.
fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(syn::Token![=]) {
        let value: LitBool = meta.value()?.parse()?;
        Ok(value.value)
    } else {
        Ok(true)
    }
}

fn string_list(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Vec<LitStr>> {
    let array: syn::ExprArray = meta.value()?.parse()?;
    array
        .elems
        .iter()
        .map(|element| match element {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Ok(s.clone()),
            other => Err(syn::Error::new_spanned(
                other,
                format!("`{key}` takes a list of string literals: {key} = [\"...\"]"),
            )),
        })
        .collect()
}
