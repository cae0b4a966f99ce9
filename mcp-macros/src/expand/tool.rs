//! `#[mcp_tool]`: the call shim, the input schema from the parameters, the tool's metadata.

use super::common::{
    builder_calls, call_user_fn, inject, receiver_state, render, requirements, return_type,
};
use crate::ast::Function;
use crate::attr::Settings;
use crate::check::binding_name;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub(crate) fn expand(function: &Function, settings: &Settings) -> TokenStream {
    let name = binding_name(function, settings);
    let whole = function.params.iter().find(|p| p.whole_args.is_some());
    let mut extract = vec![receiver_state(function)];
    let mut describe = Vec::new();
    for param in &function.params {
        let (ident, ty) = (param.local(), &param.ty);
        let key = param.key();
        match whole {
            Some(w) if std::ptr::eq(w, param) => {}
            Some(_) => extract.push(inject(param)),
            None => {
                let description = param
                    .description
                    .as_ref()
                    .map_or_else(|| quote!(None), |d| quote!(Some(#d)));
                extract.push(quote_spanned! { ty.span()=>
                    let #ident = <#ty as __mcp::ToolParameter>::extract(__args, #key, __ctx)?;
                });
                describe.push(quote_spanned! { ty.span()=>
                    <#ty as __mcp::ToolParameter>::describe(__schema, #key, #description);
                });
                if let Some(header) = &param.header {
                    describe.push(quote! { __schema.header_parameter(#key, #header); });
                }
            }
        }
    }
    // For `#[args] x: T`, both shims first name `T: ToolParameter`, whose blanket impl needs
    // exactly `Deserialize + JsonSchema`: a type lacking them is then reported once, with
    // that trait's message, and rustc drops the same failures of `into_object` and
    // `args_schema` at the same span (which would name internal paths).
    let mut binding_checks = TokenStream::new();
    let schema = match whole {
        Some(param) => {
            let (ident, ty) = (param.local(), &param.ty);
            let check =
                quote_spanned! { ty.span()=> let _ = <#ty as __mcp::ToolParameter>::extract; };
            extract.push(check.clone());
            binding_checks = check;
            extract.push(quote_spanned! { ty.span()=> let #ident: #ty = __args.object()?; });
            let injected = function.params.iter().filter(|p| p.whole_args.is_none());
            let requires = requirements(injected);
            quote_spanned! { ty.span()=> .input_schema(__mcp::args_schema::<#ty>()) #requires }
        }
        None => {
            quote! { .input_schema_with(|__schema: &mut __mcp::InputSchemaBuilder<'_>| { #(#describe)* }) }
        }
    };
    let call = call_user_fn(function, settings.blocking.is_some());
    let render = render(
        function,
        quote!(__mcp::IntoCallToolResult),
        quote!(into_tool_output),
        quote!(),
    );
    let output_schema = match (settings.output_schema, return_type(function)) {
        (Some(false), _) | (_, None) => quote!(),
        (_, Some(ret)) => {
            quote! { .output_schema(<#ret as __mcp::IntoCallToolResult>::output_schema()) }
        }
    };
    let mut metadata = builder_calls(function, settings);
    for (flag, method) in [
        (settings.read_only, quote!(read_only)),
        (settings.destructive, quote!(destructive)),
        (settings.idempotent, quote!(idempotent)),
        (settings.open_world, quote!(open_world)),
    ] {
        if let Some(value) = flag {
            metadata.extend(quote! { .#method(#value) });
        }
    }
    for icon in &settings.icons {
        metadata.extend(quote! { .icon(__mcp::Icon::new(#icon)) });
    }
    match settings.task {
        Some((crate::attr::TaskSupport::Optional, _)) => {
            metadata.extend(quote! { .task(__mcp::TaskSupport::Optional) })
        }
        Some((crate::attr::TaskSupport::Required, _)) => {
            metadata.extend(quote! { .task(__mcp::TaskSupport::Required) })
        }
        None => {}
    }
    if let Some(meta) = &settings.meta {
        metadata.extend(quote! { .meta(__mcp::serde_json::json!(#meta)) });
    }
    let at = function.ident.span();
    // A synchronous function's call is a closure, which the runtime may make at once; any
    // other is a future.
    let synchronous = !function.is_async && settings.blocking.is_none();
    let (call_type, call_body, declare) = if synchronous {
        (
            quote! {
                impl ::core::ops::FnOnce() -> ::core::result::Result<
                    __mcp::ToolOutput,
                    __mcp::ToolError,
                > + ::core::marker::Send + use<>
            },
            quote! { move || { let __out = #call; #render } },
            quote! { declared_sync },
        )
    } else {
        (
            quote! {
                impl ::core::future::Future<
                    Output = ::core::result::Result<__mcp::ToolOutput, __mcp::ToolError>,
                > + ::core::marker::Send + use<>
            },
            quote! { async move { let __out = #call; #render } },
            quote! { declared },
        )
    };
    quote_spanned! { at=>
        // The parameters are extracted before the call starts, from the arguments as sent;
        // the call owns them.
        #[allow(unused_variables, clippy::needless_question_mark)]
        fn __mcp_call(
            __args: &__mcp::RawArguments<'_>,
            __ctx: &__mcp::Context,
        ) -> ::core::result::Result<#call_type, __mcp::ToolError> {
            #(#extract)*
            ::core::result::Result::Ok(#call_body)
        }

        fn __mcp_binding() -> __mcp::Binding {
            #binding_checks
            __mcp::ToolBinding::#declare(#name, __mcp_call)
                #schema
                #output_schema
                #metadata
                .into()
        }
    }
}
