//! `Self` in a method binding, spelt out. The glue of a `#[mcp_bindings]` method stands
//! outside the `impl` block, where `Self` means nothing, so the parameter types, the return
//! type and the key expressions (`complete = Self::units`, `permission = Self::allowed`)
//! it repeats have `Self` replaced by the impl's type.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Path, QSelf, Type};

/// Replaces `Self` in `ty` with `owner`.
pub(crate) fn in_type(ty: &mut Type, owner: &Type) {
    Replace(owner).visit_type_mut(ty);
}

/// Replaces `Self::name` in `expr` with `<Owner>::name`.
pub(crate) fn in_expr(expr: &mut Expr, owner: &Type) {
    Replace(owner).visit_expr_mut(expr);
}

struct Replace<'a>(&'a Type);

impl Replace<'_> {
    /// `Self::rest` becomes `<Owner>::rest`: the qualified form is valid in types and
    /// expressions alike, whatever the owner type looks like.
    fn qualify(&self, qself: &mut Option<QSelf>, path: &mut Path) {
        let starts_with_self = path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments[0].ident == "Self"
            && path.segments[0].arguments.is_none();
        if qself.is_some() || !starts_with_self {
            return;
        }
        let span = path.segments[0].ident.span();
        let rest = path.segments.iter().skip(1).cloned().collect();
        path.segments = rest;
        path.leading_colon = Some(syn::Token![::](span));
        *qself = Some(QSelf {
            lt_token: syn::Token![<](span),
            ty: Box::new(self.0.clone()),
            position: 0,
            as_token: None,
            gt_token: syn::Token![>](span),
        });
    }
}

impl VisitMut for Replace<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty
            && path.qself.is_none()
            && path.path.is_ident("Self")
        {
            *ty = self.0.clone();
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }

    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        self.qualify(&mut ty.qself, &mut ty.path);
        visit_mut::visit_type_path_mut(self, ty);
    }

    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        self.qualify(&mut expr.qself, &mut expr.path);
        visit_mut::visit_expr_path_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn text(tokens: impl ToTokens) -> String {
        tokens.to_token_stream().to_string()
    }

    #[test]
    fn self_types_and_paths_are_spelt_out() {
        let owner: Type = syn::parse_quote!(Calculator);
        let mut ty: Type = syn::parse_quote!(Json<Vec<Self>>);
        in_type(&mut ty, &owner);
        let expected: Type = syn::parse_quote!(Json<Vec<Calculator>>);
        assert_eq!(text(ty), text(expected));
        let mut expr: Expr = syn::parse_quote!(Self::units);
        in_expr(&mut expr, &owner);
        let expected: Expr = syn::parse_quote!(<Calculator>::units);
        assert_eq!(text(expr), text(expected));
        let mut untouched: Expr = syn::parse_quote!(scopes(["a"]));
        in_expr(&mut untouched, &owner);
        let expected: Expr = syn::parse_quote!(scopes(["a"]));
        assert_eq!(text(untouched), text(expected));
    }
}
