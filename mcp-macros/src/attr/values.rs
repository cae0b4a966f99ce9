//! Readers of attribute values: a string, a flag, a list of strings, a path; and the
//! skipping of an unknown key's value so parsing can go on.

use syn::meta::ParseNestedMeta;
use syn::{Expr, LitBool, LitStr, Path};

/// Consumes an unknown key's value (`= expr` or `(...)`) so parsing can go on.
pub(super) fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// `key = "..."`, saying which key wants a string when something else is given.
pub(super) fn string(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    let value = meta.value()?;
    value.parse::<LitStr>().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{key}` takes a string literal: {key} = \"...\""),
        )
    })
}

/// `crate = my_runtime` or, as serde writes it, `crate = "my_runtime"`: a module-style path.
pub(super) fn runtime_path(meta: &ParseNestedMeta<'_>) -> syn::Result<Path> {
    let value = meta.value()?;
    let parsed = if value.peek(LitStr) {
        value.parse::<LitStr>()?.parse_with(Path::parse_mod_style)
    } else {
        Path::parse_mod_style(value)
    };
    parsed.map_err(|e| {
        syn::Error::new(
            e.span(),
            "`crate` takes the path the runtime is known by where the dependency is renamed: \
             crate = my_runtime (for `my_runtime = { package = \"mcp-runtime\", .. }` in Cargo.toml), \
             or crate = \"my_runtime\"",
        )
    })
}

/// `read_only` alone means true; `read_only = false` is also accepted.
pub(super) fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(syn::Token![=]) {
        let value: LitBool = meta.value()?.parse()?;
        Ok(value.value)
    } else {
        Ok(true)
    }
}

pub(super) fn string_list(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Vec<LitStr>> {
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
