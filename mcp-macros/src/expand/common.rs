//! Pieces every binding kind generates: the shared builder calls, the user-function call,
//! and the declaration of injected requirements.

use crate::ast::{Function, Param};
use crate::attr::Settings;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// `.description(..).title(..).permission(..).rate_limit(..).timeout(..).tag(..).__origin(..)`
pub(crate) fn builder_calls(function: &Function, settings: &Settings) -> TokenStream {
    let mut calls = TokenStream::new();
    let description = settings
        .description
        .as_ref()
        .map(syn::LitStr::value)
        .or_else(|| function.docs.clone());
    if let Some(description) = description {
        calls.extend(quote! { .description(#description) });
    }
    if let Some(title) = &settings.title {
        calls.extend(quote! { .title(#title) });
    }
    for permission in &settings.permissions {
        calls.extend(quote_spanned! { permission.span()=> .permission(#permission) });
    }
    if let Some(limit) = &settings.rate_limit {
        let (max, window) = *limit;
        calls.extend(quote! { .rate_limit(__mcp::RateLimit::new(#max, __mcp::Duration::from_secs(#window))) });
    }
    if let Some(group) = &settings.rate_limit_group {
        calls.extend(quote! { .rate_limit_group(#group) });
    }
    if let Some(timeout) = &settings.timeout_ms {
        let ms = *timeout;
        calls.extend(quote! { .timeout(__mcp::Duration::from_millis(#ms)) });
    }
    for tag in &settings.tags {
        calls.extend(quote! { .tag(#tag) });
    }
    if let (Some(_), Some(owner)) = (&function.receiver, &function.owner) {
        // Checked at `build()`, like a `State<T>` parameter's.
        calls.extend(quote_spanned! { owner.span()=> .requires_state::<#owner>() });
    }
    let at = function.ident.span();
    calls.extend(quote_spanned! { at=> .__origin(::core::module_path!(), ::core::concat!(::core::file!(), ":", ::core::line!())) });
    calls
}

/// `.complete_argument("x", path)` for each `#[arg(complete = ..)]`, `.complete(path)` for the binding's.
pub(crate) fn completion_calls(function: &Function, settings: &Settings) -> TokenStream {
    let mut calls = TokenStream::new();
    for param in &function.params {
        if let Some(handler) = &param.complete {
            let name = param.key();
            calls.extend(quote_spanned! { handler.span()=> .complete_argument(#name, #handler) });
        }
    }
    if let Some(handler) = &settings.complete {
        calls.extend(quote_spanned! { handler.span()=> .complete(#handler) });
    }
    calls
}

/// `let _ = || Complete::into_completer(handler);` for each completion handler, first in
/// the binding function: a handler with the wrong signature is then reported once, by the
/// `Complete` trait's own message, and rustc drops the same failure of the builder call at
/// the same span (whose note would show the runtime's builder internals).
pub(crate) fn completion_checks(function: &Function, settings: &Settings) -> TokenStream {
    let handlers = function
        .params
        .iter()
        .filter_map(|p| p.complete.as_ref())
        .chain(settings.complete.as_ref());
    handlers
        .map(|handler| {
            quote_spanned! { handler.span()=> let _ = || __mcp::Complete::into_completer(#handler); }
        })
        .collect()
}

/// Calls the user's function with the extracted parameters, awaiting it when async. A
/// method is called through its impl's type, on the state `receiver_state` extracted.
pub(crate) fn call_user_fn(function: &Function, blocking: bool) -> TokenStream {
    let ident = &function.ident;
    let names = function.params.iter().map(|p| p.local());
    let callee = match &function.owner {
        Some(owner) => quote! { <#owner>::#ident },
        None => quote! { #ident },
    };
    let receiver = function.receiver.as_ref().map(|_| quote! { &*__mcp_self, });
    let call = quote! { #callee(#receiver #(#names),*) };
    if function.is_async {
        quote! { #call.await }
    } else if blocking {
        quote! { __mcp::run_blocking(move || #call).await }
    } else {
        call
    }
}

/// For a `&self` method, `let __mcp_self = __mcp::method_state::<Owner>(&__ctx)?;`: the
/// server's `State<Owner>`, borrowed for the call. Spanned on the impl's type, so a type
/// that cannot be shared state is reported there (once, however many methods).
pub(crate) fn receiver_state(function: &Function) -> TokenStream {
    match (&function.receiver, &function.owner) {
        (Some(_), Some(owner)) => quote_spanned! { owner.span()=>
            let __mcp_self = __mcp::method_state::<#owner>(&__ctx)?;
        },
        _ => TokenStream::new(),
    }
}

/// `let x = <T as __mcp::Injected>::inject(&__ctx)?;`, errors spanned on `T`.
pub(crate) fn inject(param: &Param) -> TokenStream {
    let (ident, ty) = (param.local(), &param.ty);
    quote_spanned! { ty.span()=> let #ident = <#ty as __mcp::Injected>::inject(&__ctx)?; }
}

/// `.__requires(|r| { <T as __mcp::Injected>::require(r); ... })` for injected parameters;
/// emitted even for none, as it tells the runtime every parameter is declared.
pub(crate) fn requirements<'a>(injected: impl Iterator<Item = &'a Param>) -> TokenStream {
    let requires: Vec<TokenStream> = injected
        .map(|p| {
            let ty = &p.ty;
            quote_spanned! { ty.span()=> <#ty as __mcp::Injected>::require(__requirements); }
        })
        .collect();
    quote! { .__requires(|__requirements: &mut __mcp::Requirements| { #(#requires)* }) }
}

/// The declared return type (`()` when none); `None` for `impl Trait` returns, which
/// cannot be named in a trait path.
pub(crate) fn return_type(function: &Function) -> Option<TokenStream> {
    match &function.output {
        None => Some(quote! { () }),
        Some(syn::Type::ImplTrait(_)) => None,
        Some(ty) => Some(quote! { #ty }),
    }
}

/// Converts `__out` through `trait_path::method`, spanned on the return type so an
/// unrenderable type is reported there.
pub(crate) fn render(
    function: &Function,
    trait_path: TokenStream,
    method: TokenStream,
    extra: TokenStream,
) -> TokenStream {
    match (&function.output, return_type(function)) {
        (Some(ty), Some(named)) => {
            quote_spanned! { ty.span()=> <#named as #trait_path>::#method(__out #extra) }
        }
        (None, Some(named)) => quote! { <#named as #trait_path>::#method(__out #extra) },
        (_, None) => quote! { #trait_path::#method(__out #extra) },
    }
}
