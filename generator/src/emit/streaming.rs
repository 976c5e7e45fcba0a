//! `stream()` on builders of operations with a streamed success body: server-sent events,
//! JSON items per line or record, or the raw bytes of a download, read as they arrive.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type::type_tokens;
use crate::ir::{resolve_aliases, Operation, Primitive, StreamBody, TypeDef, TypeRef};

/// The `stream()` method, or nothing when the operation streams nothing. `request` binds
/// `request` (as `send()` does) and `success` matches the success statuses.
pub fn emit_stream(
    op: &Operation,
    request: &TokenStream,
    success: &TokenStream,
    error_ty: &TokenStream,
    types: &BTreeMap<String, TypeDef>,
) -> TokenStream {
    let Some(body) = op.stream_body() else {
        return quote! {};
    };
    let media = body.media_type();
    let json_ty = |ty: Option<&TypeRef>| match ty {
        Some(ty) => type_tokens(ty),
        None => quote! { serde_json::Value },
    };
    let (stream_ty, wrap, what) = match &body {
        StreamBody::Events { data, end, .. } => {
            let end = match end {
                Some(end) => quote! { Some(#end) },
                None => quote! { None },
            };
            let text = data.is_some_and(|ty| {
                resolve_aliases(ty, types) == TypeRef::Primitive(Primitive::String)
            });
            let (data_ty, constructor) = if text {
                (quote! { String }, quote! { text })
            } else {
                (json_ty(*data), quote! { json })
            };
            (
                quote! { crate::EventStream<#data_ty, #error_ty> },
                quote! { crate::EventStream::#constructor(response, #end) },
                "its events",
            )
        }
        StreamBody::JsonItems { item, json_seq, .. } => {
            let item_ty = json_ty(*item);
            let constructor = if *json_seq {
                quote! { json_seq }
            } else {
                quote! { lines }
            };
            (
                quote! { crate::JsonStream<#item_ty, #error_ty> },
                quote! { crate::JsonStream::#constructor(response) },
                "its items",
            )
        }
        StreamBody::Bytes { .. } => (
            quote! { crate::ByteStream<#error_ty> },
            quote! { response },
            "the body's chunks",
        ),
    };
    let collect = match body {
        StreamBody::Bytes { .. } => " `.bytes().await` on the stream collects the whole body.",
        _ => "",
    };
    let doc = format!(
        " Send `{}` and stream {what} (`{media}`) as they arrive; a non-success status is \
         an error before streaming starts.{collect}",
        op.label()
    );
    quote! {
        #[doc = #doc]
        pub async fn stream(self) -> Result<#stream_ty, crate::Error<#error_ty>> {
            #request
            let request = request.header("accept", #media);
            let response = self.client.execute_streaming::<#error_ty>(request).await?;
            match response.status() {
                #success => Ok(#wrap),
                _ => Err(response.into_error().await),
            }
        }
    }
}
