//! `#[mcp_resource]`: template variables decoded into parameters, the rest injected.

use super::common::{
    builder_calls, call_user_fn, completion_calls, completion_checks, inject, receiver_state,
    render, requirements,
};
use crate::ast::Function;
use crate::attr::Settings;
use crate::check::binding_name;
use mcp_uri_template::UriTemplate;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub(crate) fn expand(
    function: &Function,
    settings: &Settings,
    template: &UriTemplate,
) -> TokenStream {
    let name = binding_name(function, settings);
    let uri = settings.uri.as_ref().expect("checked").value();
    let variable_index = |param: &crate::ast::Param| {
        template
            .variables()
            .iter()
            .position(|v| param.key() == v.name)
    };
    let extract = function.params.iter().map(|param| match variable_index(param) {
        Some(index) => {
            let (ident, ty, key) = (param.local(), &param.ty, param.key());
            quote_spanned! { ty.span()=>
                let #ident = <#ty as __mcp::TemplateValue>::from_template(&mut __request, #index, #key)?;
            }
        }
        None => inject(param),
    });
    let requires = requirements(
        function
            .params
            .iter()
            .filter(|p| variable_index(p).is_none()),
    );
    let receiver = receiver_state(function);
    let call = call_user_fn(function, false);
    let render = render(
        function,
        quote!(__mcp::IntoReadResourceResult),
        quote!(into_read_result),
        quote!(, __request.uri()),
    );
    let mut metadata = builder_calls(function, settings);
    if let Some(mime_type) = &settings.mime_type {
        metadata.extend(quote! { .mime_type(#mime_type) });
    }
    if let Some(ttl) = &settings.cache_ttl_ms {
        let ms = *ttl;
        metadata.extend(quote! { .cache_ttl(__mcp::Duration::from_millis(#ms)) });
    }
    let completions = completion_calls(function, settings);
    let completion_checks = completion_checks(function, settings);
    let at = function.ident.span();
    quote_spanned! { at=>
        #[allow(unused_mut, unused_variables)]
        async fn __mcp_read(
            mut __request: __mcp::ResourceRequest,
            __ctx: __mcp::Context,
        ) -> ::core::result::Result<__mcp::ReadResourceResult, __mcp::ToolError> {
            #receiver
            #(#extract)*
            let __out = #call;
            #render
        }

        fn __mcp_binding() -> __mcp::Binding {
            #completion_checks
            __mcp::ResourceBinding::new(#name, #uri, __mcp_read)
                #requires
                #metadata
                #completions
                .into()
        }
    }
}
