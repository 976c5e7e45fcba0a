//! `stream()` on builders of operations with a streamed success body: server-sent events,
//! JSON items per line or record, or the raw bytes of a download, read as they arrive.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_type::type_tokens;
use super::types::field_is_option;
use crate::ir::{
    resolve_aliases, BodyEncoding, Operation, Primitive, StreamBody, SuccessBody, TypeDef,
    TypeKind, TypeRef,
};

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
            let wrap = if resumes(op) {
                let constructor = format_ident!("{constructor}_resuming");
                quote! {
                    crate::EventStream::#constructor(
                        response,
                        #end,
                        crate::sse::Resume::new(self.client, resume, self.reconnects),
                    )
                }
            } else {
                quote! { crate::EventStream::#constructor(response, #end) }
            };
            (
                quote! { crate::EventStream<#data_ty, #error_ty> },
                wrap,
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
    let flag = stream_flag(op, types).map(|flag| flag.on_stream);
    let receiver = if flag.is_some() {
        quote! { mut self }
    } else {
        quote! { self }
    };
    let flag_doc = flag.is_some().then(|| {
        quote! {
            #[doc = ""]
            #[doc = " Sets the body's `stream` to true, which asks the server for the stream."]
        }
    });
    // The request, kept to send again when the event stream reconnects.
    let keep_request = resumes(op).then(|| quote! { let resume = request.clone(); });
    quote! {
        #[doc = #doc]
        #flag_doc
        pub async fn stream(#receiver) -> Result<#stream_ty, crate::Error<#error_ty>> {
            #flag
            #request
            let request = request.header("accept", #media);
            #keep_request
            let response = self.client.execute_streaming::<#error_ty>(request).await?;
            match response.status() {
                #success => Ok(#wrap),
                _ => Err(response.into_error().await),
            }
        }
    }
}

/// Whether `stream()` may reconnect: an event stream of an operation that may be sent again.
pub fn resumes(op: &Operation) -> bool {
    op.is_idempotent() && matches!(op.stream_body(), Some(StreamBody::Events { .. }))
}

/// `.reconnect(times)` on the request builder of an operation that [`resumes`].
pub fn reconnect_setter() -> TokenStream {
    quote! {
        /// Reconnects the event stream of [`stream`](Self::stream) when its connection ends or
        /// breaks, up to `times` times in a row without an event between (default 0: never),
        /// as a browser's `EventSource` does: after the server's `retry:` delay (3 s until it
        /// sets one), the request again with `Last-Event-ID`. A 204 answer ends the stream.
        pub fn reconnect(mut self, times: u32) -> Self {
            self.reconnects = times;
            self
        }
    }
}

/// Statements that set a JSON body's boolean `stream` property, for operations that answer
/// with one JSON value or with a stream depending on it (OpenAI-style chat completions):
/// `stream()` asks for the stream, and `send()` takes back a `true` the caller set, since it
/// decodes one JSON value. Both empty when the body has no such property.
pub struct StreamFlag {
    pub on_stream: TokenStream,
    pub on_send: TokenStream,
}

pub fn stream_flag(op: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<StreamFlag> {
    op.stream_body()?;
    let (content, encoding) = op.request_body_content()?;
    if encoding != BodyEncoding::Json {
        return None;
    }
    let TypeRef::Named(name) = resolve_aliases(content.ty.as_ref()?, types) else {
        return None;
    };
    let TypeKind::Struct { fields, .. } = &types.get(&name)?.kind else {
        return None;
    };
    let field = fields.iter().find(|f| {
        f.name == "stream"
            && matches!(
                resolve_aliases(&f.ty, types),
                TypeRef::Primitive(Primitive::Bool)
            )
    })?;
    let ident = format_ident!("{}", field.rust_name);
    // An optional body is only touched when the caller gave one.
    let required_body = op.body.as_ref().is_some_and(|b| b.required);
    let flag = if required_body {
        quote! { self.body.#ident }
    } else {
        quote! { body.#ident }
    };
    // An optional flag the caller left out stays out of `send()`'s body.
    let (on, off) = if field_is_option(field) {
        (
            quote! { #flag = Some(true); },
            quote! { if #flag == Some(true) { #flag = Some(false); } },
        )
    } else {
        (quote! { #flag = true; }, quote! { #flag = false; })
    };
    let with_body = |statement: TokenStream| {
        if required_body {
            statement
        } else {
            quote! { if let Some(body) = self.body.as_mut() { #statement } }
        }
    };
    let success_is_json = matches!(op.success_body(), SuccessBody::Json(_));
    Some(StreamFlag {
        on_stream: with_body(on),
        on_send: if success_is_json {
            with_body(off)
        } else {
            quote! {}
        },
    })
}
