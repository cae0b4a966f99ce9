//! `#[mcp_prompt]`: string-like arguments, listed with `required` from `Option`-ness.

use super::common::{
    builder_calls, call_user_fn, completion_calls, completion_checks, receiver_state, render,
};
use crate::ast::Function;
use crate::attr::Settings;
use crate::check::binding_name;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub(crate) fn expand(function: &Function, settings: &Settings) -> TokenStream {
    let name = binding_name(function, settings);
    let mut extract = vec![receiver_state(function)];
    let mut describe = Vec::new();
    for param in &function.params {
        let (ident, ty, key) = (param.local(), &param.ty, param.key());
        let description = param
            .description
            .as_ref()
            .map_or_else(|| quote!(None), |d| quote!(Some(#d)));
        extract.push(quote_spanned! { ty.span()=>
            let #ident = <#ty as __mcp::PromptParameter>::extract(&mut __args, #key, &__ctx)?;
        });
        describe.push(quote_spanned! { ty.span()=>
            <#ty as __mcp::PromptParameter>::describe(__arguments, #key, #description);
        });
    }
    let call = call_user_fn(function, false);
    let render = render(
        function,
        quote!(__mcp::IntoGetPromptResult),
        quote!(into_prompt_result),
        quote!(),
    );
    let metadata = builder_calls(function, settings);
    let completions = completion_calls(function, settings);
    let completion_checks = completion_checks(function, settings);
    let at = function.ident.span();
    quote_spanned! { at=>
        #[allow(unused_mut, unused_variables)]
        async fn __mcp_get(
            mut __args: __mcp::PromptArguments,
            __ctx: __mcp::Context,
        ) -> ::core::result::Result<__mcp::GetPromptResult, __mcp::ToolError> {
            #(#extract)*
            let __out = #call;
            #render
        }

        fn __mcp_binding() -> __mcp::Binding {
            #completion_checks
            __mcp::PromptBinding::new(#name, __mcp_get)
                .arguments_with(|__arguments: &mut __mcp::PromptArgsBuilder| { #(#describe)* })
                #metadata
                #completions
                .into()
        }
    }
}
