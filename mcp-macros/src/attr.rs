//! Attribute keys → typed settings. Unknown keys and repeated keys are errors that name
//! the valid keys.

mod suggest;
mod values;

pub(crate) use suggest::closest;

use crate::ctxt::Ctxt;
use crate::grammar;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, LitStr, Meta, Path};
use values::{flag, runtime_path, skip_value, string, string_list};

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

    pub(crate) fn name(self) -> &'static str {
        let attribute = self.attribute();
        &attribute[2..attribute.len() - 1]
    }

    /// The kind an attribute of a method in a `#[mcp_bindings]` impl asks for, known by
    /// the last segment of its path (`mcp_tool`, `mcp_runtime::mcp_tool`, ...).
    pub(crate) fn of(attribute: &Attribute) -> Option<Kind> {
        let last = &attribute.path().segments.last()?.ident;
        [Kind::Tool, Kind::Resource, Kind::Prompt]
            .into_iter()
            .find(|kind| last == kind.name())
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
                "rate_limit_group",
                "icons",
                "meta",
                "output_schema",
                "timeout",
                "blocking",
                "task",
                "tags",
                "crate",
            ],
            Kind::Resource => &[
                "uri",
                "name",
                "title",
                "description",
                "mime_type",
                "permission",
                "rate_limit",
                "rate_limit_group",
                "cache_ttl",
                "complete",
                "timeout",
                "tags",
                "crate",
            ],
            Kind::Prompt => &[
                "name",
                "title",
                "description",
                "permission",
                "rate_limit",
                "rate_limit_group",
                "complete",
                "timeout",
                "tags",
                "crate",
            ],
        }
    }
}

/// Whether a tool's calls may run as tasks.
#[derive(Clone, Copy)]
pub(crate) enum TaskSupport {
    Optional,
    Required,
}

#[derive(Default)]
pub(crate) struct Settings {
    /// The attribute as written, when it is not the macro's own call site (a method's
    /// attribute seen by `#[mcp_bindings]`): errors about a missing key point at it.
    pub attribute: Option<TokenStream>,
    pub name: Option<LitStr>,
    pub title: Option<LitStr>,
    pub description: Option<LitStr>,
    pub permissions: Vec<Expr>,
    /// (count, window in seconds)
    pub rate_limit: Option<(u32, u64)>,
    pub rate_limit_group: Option<LitStr>,
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
    /// `task` alone or `task = "optional"`: `Optional`; `task = "required"`: `Required`.
    pub task: Option<(TaskSupport, Span)>,
    // resources
    pub uri: Option<LitStr>,
    pub mime_type: Option<LitStr>,
    pub cache_ttl_ms: Option<u64>,
    // resources and prompts
    pub complete: Option<Expr>,
    /// `crate = path`: where generated code finds the runtime, for a renamed dependency.
    pub krate: Option<Path>,
}

/// The settings of a function's attribute, from its arguments (`read_only, name = "x"`).
pub(crate) fn parse(cx: &Ctxt, kind: Kind, args: TokenStream) -> Settings {
    parse_args(cx, kind.attribute(), kind.keys(), args)
}

/// The keys of `#[mcp_bindings]` itself, which apply to each of its methods' bindings.
pub(crate) fn parse_bindings(cx: &Ctxt, args: TokenStream) -> Settings {
    parse_args(cx, "#[mcp_bindings]", &["crate"], args)
}

fn parse_args(
    cx: &Ctxt,
    attribute: &'static str,
    keys: &'static [&'static str],
    args: TokenStream,
) -> Settings {
    let mut settings = Settings::default();
    let parser = key_parser(cx, attribute, keys, &mut settings);
    if let Err(error) = syn::parse::Parser::parse2(parser, args) {
        cx.syn_error(error);
    }
    settings
}

/// The settings of a method's binding attribute inside a `#[mcp_bindings]` impl, where
/// the attribute is seen whole: errors about it point at it, not at `#[mcp_bindings]`.
pub(crate) fn parse_attribute(cx: &Ctxt, kind: Kind, attribute: &Attribute) -> Settings {
    let mut settings = Settings {
        attribute: Some(attribute.to_token_stream()),
        ..Settings::default()
    };
    let result = match &attribute.meta {
        Meta::Path(_) => Ok(()),
        Meta::List(list) => {
            list.parse_args_with(key_parser(cx, kind.attribute(), kind.keys(), &mut settings))
        }
        Meta::NameValue(pair) => Err(syn::Error::new_spanned(
            &pair.value,
            format!(
                "{} takes its keys in parentheses: `#[{}(key = value, ...)]`",
                kind.attribute(),
                kind.name()
            ),
        )),
    };
    if let Err(error) = result {
        cx.syn_error(error);
    }
    settings
}

/// Parses `key = value` pairs into `settings`, checking each key against `keys`.
fn key_parser<'a>(
    cx: &'a Ctxt,
    attribute: &'static str,
    keys: &'static [&'static str],
    settings: &'a mut Settings,
) -> impl syn::parse::Parser<Output = ()> + 'a {
    let mut seen: Vec<String> = Vec::new();
    // Mistakes in one key are recorded and parsing goes on, so every mistake in the
    // attribute is reported in one build; only a syntax error stops it.
    syn::meta::parser(move |meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !keys.contains(&key.as_str()) {
            let given = path_text(&meta);
            let valid = keys.join(", ");
            let hint = closest(&given, keys)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            cx.syn_error(meta.error(format!(
                "unknown key `{given}` for {attribute}; {hint}valid keys are: {valid}"
            )));
            return skip_value(&meta);
        }
        if key != "permission" && seen.contains(&key) {
            cx.syn_error(meta.error(format!("`{key}` is given twice; keep one")));
            // Still check the repeated value, but keep the first one.
            return parse_key(cx, &mut Settings::default(), &key, &meta);
        }
        seen.push(key.clone());
        parse_key(cx, settings, &key, &meta)
    })
}

impl Settings {
    /// An error about the attribute as a whole (a key it lacks), pointing at all of it.
    pub(crate) fn attribute_error(&self, message: &str) -> syn::Error {
        match &self.attribute {
            Some(tokens) => syn::Error::new_spanned(tokens, message),
            None => syn::Error::new(Span::call_site(), message),
        }
    }
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

fn parse_key(
    cx: &Ctxt,
    settings: &mut Settings,
    key: &str,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<()> {
    let span = meta.path.segments[0].ident.span();
    match key {
        "name" => settings.name = Some(string(meta, key)?),
        "title" => settings.title = Some(string(meta, key)?),
        "description" => settings.description = Some(string(meta, key)?),
        "uri" => settings.uri = Some(string(meta, key)?),
        "mime_type" => settings.mime_type = Some(string(meta, key)?),
        "rate_limit_group" => settings.rate_limit_group = Some(string(meta, key)?),
        "permission" => settings.permissions.push(meta.value()?.parse()?),
        "crate" => settings.krate = Some(runtime_path(meta)?),
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
        "task" => {
            if !meta.input.peek(syn::Token![=]) {
                settings.task = Some((TaskSupport::Optional, span));
                return Ok(());
            }
            let text = string(meta, key)?;
            match text.value().as_str() {
                "optional" => settings.task = Some((TaskSupport::Optional, span)),
                "required" => settings.task = Some((TaskSupport::Required, span)),
                other => cx.syn_error(syn::Error::new(
                    text.span(),
                    format!(
                        "unknown task support `{other}`; write `task` (or `task = \"optional\"`) to \
                         run calls as tasks when the client supports them, or `task = \"required\"`"
                    ),
                )),
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
            let text = string(meta, key)?;
            match grammar::rate_limit(&text.value()) {
                Ok(value) => settings.rate_limit = Some(value),
                Err(message) => cx.syn_error(syn::Error::new(text.span(), message)),
            }
        }
        "timeout" | "cache_ttl" => {
            let text = string(meta, key)?;
            match grammar::duration_ms(&text.value()) {
                Ok(value) if key == "timeout" => settings.timeout_ms = Some(value),
                Ok(value) => settings.cache_ttl_ms = Some(value),
                Err(message) => cx.syn_error(syn::Error::new(
                    text.span(),
                    message.replacen("malformed duration", &format!("malformed {key}"), 1),
                )),
            }
        }
        _ => unreachable!("keys are checked against Kind::keys"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        let keys = Kind::Tool.keys();
        assert_eq!(closest("readonly", keys), Some("read_only"));
        assert_eq!(closest("ReadOnly", keys), Some("read_only"));
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("frobnicate", keys), None);
    }
}
