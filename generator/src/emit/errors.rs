//! The per-operation error enum: one variant per error response the spec declares, decoded by
//! status (and body, when the response has a JSON schema).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_type::type_tokens;
use crate::ir::{is_json_media_type, Operation, Response, StatusSpec};

fn status_variant(status: &StatusSpec) -> String {
    let name = match status {
        StatusSpec::Code(code) => match code {
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            other => return format!("Status{other}"),
        },
        StatusSpec::Range(4) => "ClientError",
        StatusSpec::Range(5) => "ServerError",
        StatusSpec::Range(r) => return format!("Status{r}xx"),
        StatusSpec::Default => "Other",
    };
    name.to_string()
}

/// One enum per operation naming the error responses the spec declares.
pub fn emit_error_enum(op: &Operation, error_name: &str) -> (TokenStream, TokenStream) {
    let errors: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .collect();
    if errors.is_empty() {
        return (quote! {}, quote! { serde_json::Value });
    }
    let name = format_ident!("{}", error_name);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut default_arm = None;
    let mut reads_body = false;
    for r in &errors {
        let variant = format_ident!("{}", status_variant(&r.status));
        let ty = r
            .contents
            .iter()
            .filter(|c| is_json_media_type(&c.media_type))
            .find_map(|c| c.ty.as_ref());
        let text = format!(
            "`{}`: {}",
            r.status.label(),
            r.docs
                .description
                .as_deref()
                .unwrap_or("")
                .replace('\n', " ")
        );
        let doc = format!(" {}", super::docs::sanitize(&text));
        let pattern = match r.status {
            StatusSpec::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                quote! { #c }
            }
            StatusSpec::Range(n) => {
                let lo = proc_macro2::Literal::u16_unsuffixed(n * 100);
                let hi = proc_macro2::Literal::u16_unsuffixed(n * 100 + 99);
                quote! { #lo..=#hi }
            }
            StatusSpec::Default => quote! { _ },
        };
        reads_body |= ty.is_some();
        let (variant_def, value) = match ty {
            Some(ty) => {
                let ty = type_tokens(ty);
                (
                    quote! { #[doc = #doc] #variant(#ty), },
                    quote! { serde_json::from_slice(body).ok().map(Self::#variant) },
                )
            }
            None => (
                quote! { #[doc = #doc] #variant, },
                quote! { Some(Self::#variant) },
            ),
        };
        variants.push(variant_def);
        if matches!(r.status, StatusSpec::Default) {
            default_arm = Some(value);
        } else {
            arms.push(quote! { #pattern => #value, });
        }
    }
    // Only a `default` response: no status to tell apart.
    let body_use = if arms.is_empty() {
        default_arm.unwrap_or(quote! { None })
    } else {
        let fallback = default_arm.unwrap_or(quote! { None });
        quote! {
            match status {
                #(#arms)*
                _ => #fallback,
            }
        }
    };
    let doc = format!(
        " Error responses the spec declares for [`Client::{}`](crate::Client::{}).",
        op.rust_name, op.rust_name
    );
    // Parameters a given enum does not look at are named `_x`, so nothing is left unused.
    let status_param = if arms.is_empty() {
        format_ident!("_status")
    } else {
        format_ident!("status")
    };
    let body_param = if reads_body {
        format_ident!("body")
    } else {
        format_ident!("_body")
    };
    let tokens = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        impl crate::raw::ErrorResponse for #name {
            fn from_response(#status_param: u16, #body_param: &[u8]) -> Option<Self> {
                #body_use
            }
        }
    };
    (tokens, quote! { #name })
}
