//! Operations → a method on `Client` returning a request builder: required inputs are method
//! arguments, optional ones are builder setters (so a new optional parameter never breaks
//! callers), `send()` performs the call, paginated operations add `pages()` / `items()`, and
//! operations with a streamed body add `stream()`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::operation_docs::{
    method_attr, method_docs, paging_touches_deprecated, param_docs, setter_attr,
};
use super::rust_type::{is_id, is_string_like, type_tokens};
use crate::ir::{
    BodyEncoding, Content, Operation, ParamLocation, Parameter, Primitive, QueryStyle, StatusSpec,
    SuccessBody, TypeDef, TypeKind, TypeRef,
};
use crate::lower::type_name;

pub struct Emitted {
    pub tokens: TokenStream,
}

/// Names of the items an operation adds beside the model types.
pub struct OperationNames {
    pub builder: String,
    pub error: String,
}

/// Builder and error-enum names for every operation, never clashing with a model type or a
/// model's builder: `ListPets` / `ListPetsError`; `ListPetsBuilder` / `ListPetsBuilderError`
/// when a schema already took the plain name; `ListPetsRequest` when that is a model's builder
/// too (operation `upload` beside a model `Upload` built by `UploadBuilder`), so one name never
/// means two things in `types::` and `operations::`.
pub fn operation_names(ops: &[Operation], types: &[TypeDef]) -> Vec<OperationNames> {
    let mut taken: std::collections::BTreeSet<String> =
        types.iter().map(|t| t.name.clone()).collect();
    for t in types {
        if matches!(&t.kind, TypeKind::Struct { fields, .. } if super::construction::uses_builder(fields))
        {
            taken.insert(format!("{}Builder", t.name));
        }
    }
    taken.insert("Environment".into());
    ops.iter()
        .map(|op| {
            let base = type_name(&op.rust_name);
            let mut builder = base.clone();
            let mut n = 1;
            while taken.contains(&builder) || taken.contains(&format!("{builder}Error")) {
                builder = match n {
                    1 => format!("{base}Builder"),
                    2 => format!("{base}Request"),
                    _ => format!("{base}Builder{}", n - 1),
                };
                n += 1;
            }
            taken.insert(builder.clone());
            taken.insert(format!("{builder}Error"));
            OperationNames {
                error: format!("{builder}Error"),
                builder,
            }
        })
        .collect()
}

pub fn emit_operation(
    op: &Operation,
    names: &OperationNames,
    types: &BTreeMap<String, TypeDef>,
) -> Emitted {
    let builder_name = names.builder.clone();
    let builder = format_ident!("{}", builder_name);
    let method_ident = format_ident!("{}", op.rust_name);
    let (error_tokens, error_ty) = super::errors::emit_error_enum(op, &names.error);

    let required: Vec<&Parameter> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Parameter> = op.params.iter().filter(|p| !p.required).collect();
    let body = op.request_body_content();
    let body_required = op.body.as_ref().is_some_and(|b| b.required);

    // Method arguments and their conversion into builder fields.
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    for p in &required {
        let ident = format_ident!("{}", p.rust_name);
        let ty = param_type(p);
        fields.push(quote! { #ident: #ty, });
        if is_string_like(&p.ty, types) && !p.nullable {
            args.push(quote! { #ident: impl Into<String> });
            inits.push(quote! { #ident: #ident.into(), });
        } else if is_id(&p.ty, types) && !p.nullable {
            args.push(quote! { #ident: impl Into<#ty> });
            inits.push(quote! { #ident: #ident.into(), });
        } else {
            args.push(quote! { #ident: #ty });
            inits.push(quote! { #ident, });
        }
    }
    for p in &optional {
        let ident = format_ident!("{}", p.rust_name);
        let ty = param_type(p);
        fields.push(quote! { #ident: Option<#ty>, });
        inits.push(quote! { #ident: None, });
    }
    if super::pagination::follows_links(op) {
        // The next page's URL while `pages()` follows links; `None` for the first request.
        let field = format_ident!("{}", super::pagination::LINK_FIELD);
        fields.push(quote! { #field: Option<String>, });
        inits.push(quote! { #field: None, });
    }
    let body_ty = body.map(|(c, kind)| match (&c.ty, kind) {
        (Some(ty), kind) if kind.is_typed() => type_tokens(ty),
        // Raw bytes, or a stream sent as it is read.
        _ => quote! { crate::Upload },
    });
    let raw_body = body.is_some_and(|(_, kind)| !kind.is_typed());
    if let Some(ty) = &body_ty {
        if body_required && raw_body {
            fields.push(quote! { body: #ty, });
            args.push(quote! { body: impl Into<#ty> });
            inits.push(quote! { body: body.into(), });
        } else if body_required {
            fields.push(quote! { body: #ty, });
            args.push(quote! { body: #ty });
            inits.push(quote! { body, });
        } else {
            fields.push(quote! { body: Option<#ty>, });
            inits.push(quote! { body: None, });
        }
    }

    let setters = optional.iter().map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        let ty = param_type(p);
        let docs = doc_attrs(&param_docs(op, p));
        let deprecated = setter_attr(p);
        if is_string_like(&p.ty, types) {
            quote! {
                #docs
                #deprecated
                pub fn #ident(mut self, value: impl Into<String>) -> Self {
                    self.#ident = Some(value.into());
                    self
                }
            }
        } else if is_id(&p.ty, types) {
            quote! {
                #docs
                #deprecated
                pub fn #ident(mut self, value: impl Into<#ty>) -> Self {
                    self.#ident = Some(value.into());
                    self
                }
            }
        } else if let TypeRef::List(item) = &p.ty {
            // Any collection: an array literal, a `Vec`, an iterator; `&str`s for strings.
            let item_ty = type_tokens(item);
            let (item_param, collect) = if is_string_like(item, types) || is_id(item, types) {
                (
                    quote! { impl Into<#item_ty> },
                    quote! { value.into_iter().map(Into::into).collect() },
                )
            } else {
                (quote! { #item_ty }, quote! { value.into_iter().collect() })
            };
            quote! {
                #docs
                #deprecated
                pub fn #ident(mut self, value: impl IntoIterator<Item = #item_param>) -> Self {
                    self.#ident = Some(#collect);
                    self
                }
            }
        } else {
            quote! {
                #docs
                #deprecated
                pub fn #ident(mut self, value: #ty) -> Self {
                    self.#ident = Some(value);
                    self
                }
            }
        }
    });
    // Per-request options sit in one field and one method whose names no parameter gets.
    fields.push(quote! { request_options: crate::RequestOptions, });
    inits.push(quote! { request_options: crate::RequestOptions::new(), });
    let reconnect_setter = super::streaming::resumes(op).then(|| {
        fields.push(quote! { reconnects: u32, });
        inits.push(quote! { reconnects: 0, });
        super::streaming::reconnect_setter()
    });
    let body_setter = (!body_required)
        .then_some(body_ty.as_ref())
        .flatten()
        .map(|ty| {
            if raw_body {
                quote! {
                    /// The request body: bytes, or a stream (see [`Upload`](crate::Upload)).
                    pub fn body(mut self, body: impl Into<#ty>) -> Self {
                        self.body = Some(body.into());
                        self
                    }
                }
            } else {
                quote! {
                    /// The request body.
                    pub fn body(mut self, body: #ty) -> Self {
                        self.body = Some(body);
                        self
                    }
                }
            }
        });

    let (ok_ty, decode) = match op.success_body() {
        SuccessBody::Json(ty) => (
            type_tokens(&ty),
            quote! { response.json().map(|value| response.into_value(value)) },
        ),
        SuccessBody::Bytes => (
            quote! { Vec<u8> },
            quote! {{
                let value = response.body().to_vec();
                Ok(response.into_value(value))
            }},
        ),
        SuccessBody::Empty => (quote! { () }, quote! { Ok(response.into_value(())) }),
    };
    let success_codes: Vec<TokenStream> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| match r.status {
            StatusSpec::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                quote! { #c }
            }
            _ => quote! { 200..=299 },
        })
        .collect();
    let success_pattern = if success_codes.is_empty() {
        quote! { 200..=299 }
    } else {
        quote! { #(#success_codes)|* }
    };

    let request = emit_request(op, body, body_required, types);
    let guards = super::pagination::page_size_guards(op);
    let follow_link = super::pagination::follows_links(op).then(|| {
        let field = format_ident!("{}", super::pagination::LINK_FIELD);
        quote! {
            let request = match &self.#field {
                Some(link) => request.follow_link(link),
                None => request,
            };
        }
    });
    // The page walk may read a property the spec deprecates: only then may it use one.
    let allow = super::docs::allow_deprecated(paging_touches_deprecated(op, types));
    let pagination = super::pagination::emit_pagination(op, &ok_ty, &error_ty, &allow);
    let stream = super::streaming::emit_stream(op, &request, &success_pattern, &error_ty, types);
    // `send()` decodes one JSON value: a body flag asking for a stream is taken back.
    let unflag = super::streaming::stream_flag(op, types)
        .map(|flag| flag.on_send)
        .filter(|tokens| !tokens.is_empty());
    let send_receiver = if unflag.is_some() {
        quote! { mut self }
    } else {
        quote! { self }
    };

    let method_docs = doc_attrs(&method_docs(op));
    let method_deprecated = method_attr(op);
    let builder_doc = format!(
        " Request builder for [`Client::{}`](crate::Client::{}).",
        op.rust_name, op.rust_name
    );
    let send_doc = format!(" Send `{}`.", op.label());
    let send_with_response_doc = format!(
        " Send `{}`, keeping the status, headers and request id with the value.",
        op.label()
    );
    let tokens = quote! {
        impl crate::Client {
            #method_docs
            #method_deprecated
            pub fn #method_ident(&self, #(#args),*) -> #builder<'_> {
                #builder { client: self, #(#inits)* }
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until you call `.send().await`"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter
            #reconnect_setter
            /// Per-request options: bearer token, extra headers, idempotency key, attempt
            /// timeout, attempts, overall deadline (see [`RequestOptions`](crate::RequestOptions)).
            pub fn with_options(mut self, options: crate::RequestOptions) -> Self {
                self.request_options = options;
                self
            }
            #[doc = #send_doc]
            pub async fn send(self) -> Result<#ok_ty, crate::Error<#error_ty>> {
                self.send_with_response().await.map(crate::ResponseValue::into_inner)
            }
            #[doc = #send_with_response_doc]
            pub async fn send_with_response(
                #send_receiver,
            ) -> Result<crate::ResponseValue<#ok_ty>, crate::Error<#error_ty>> {
                #guards
                #unflag
                #request
                #follow_link
                let response = self.client.execute::<#error_ty>(request).await?;
                match response.status() {
                    #success_pattern => #decode,
                    _ => Err(response.into_error()),
                }
            }
            #pagination
            #stream
        }

        #error_tokens
    };
    Emitted { tokens }
}

fn param_type(p: &Parameter) -> TokenStream {
    let ty = type_tokens(&p.ty);
    match &p.ty {
        TypeRef::Nullable(_) => ty,
        _ if p.nullable && p.required => quote! { Option<#ty> },
        _ => ty,
    }
}

/// A `crate::raw::Multipart` built from the body `value` (a reference): for a struct, one part per
/// property, `Binary` ones as files; for anything else, each top-level property as text.
fn multipart_form(
    content: &Content,
    types: &BTreeMap<String, TypeDef>,
    value: &TokenStream,
) -> TokenStream {
    let fields = match content.ty.as_ref() {
        Some(TypeRef::Named(name)) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields,
            _ => return quote! { crate::raw::Multipart::new().fields(#value) },
        },
        _ => return quote! { crate::raw::Multipart::new().fields(#value) },
    };
    let is_binary = |ty: &TypeRef| matches!(ty, TypeRef::Primitive(Primitive::Binary));
    let parts = fields.iter().map(|field| {
        let ident = format_ident!("{}", field.rust_name);
        let wire = &field.name;
        let option = super::types::field_is_option(field);
        // A deprecated property is still sent: only the `let` that reads it allows the lint.
        // `value` borrows the field; `place` names it for a method call.
        let (read, value, place) = if field.docs.deprecated {
            let local = format_ident!("deprecated_{}", field.rust_name.trim_start_matches("r#"));
            (
                quote! { #[allow(deprecated)] let #local = &fields.#ident; },
                quote! { #local },
                quote! { #local },
            )
        } else {
            (
                quote! {},
                quote! { &fields.#ident },
                quote! { fields.#ident },
            )
        };
        // A file without a content type of its own is sent as the spec declares the part.
        let file = |file: TokenStream| match content.part_types.get(&field.name) {
            Some(declared) => quote! { form = form.file_as(#wire, #file, #declared); },
            None => quote! { form = form.file(#wire, #file); },
        };
        let part = match &field.ty {
            ty if is_binary(ty) && option => {
                let add = file(quote! { file });
                quote! {
                    if let Some(file) = #value {
                        #add
                    }
                }
            }
            ty if is_binary(ty) => file(value.clone()),
            TypeRef::List(item) if is_binary(item) && option => {
                let add = file(quote! { file });
                quote! {
                    for file in #place.iter().flatten() {
                        #add
                    }
                }
            }
            TypeRef::List(item) if is_binary(item) => {
                let add = file(quote! { file });
                quote! {
                    for file in #value {
                        #add
                    }
                }
            }
            _ => quote! { form = form.text(#wire, #value); },
        };
        quote! { #read #part }
    });
    quote! {
        {
            let fields = #value;
            let mut form = crate::raw::Multipart::new();
            #(#parts)*
            form
        }
    }
}

fn emit_request(
    op: &Operation,
    body: Option<(&Content, BodyEncoding)>,
    body_required: bool,
    types: &BTreeMap<String, TypeDef>,
) -> TokenStream {
    let method = format_ident!("{}", op.method);
    // Path: literal pieces joined with percent-encoded parameters, bound to locals first so the
    // `format!` string reads like the spec's template.
    let mut format_str = String::new();
    let mut bindings = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        // An unclosed `{` is not a template: the rest of the path is literal.
        let Some(end) = rest[start..].find('}').map(|e| e + start) else {
            break;
        };
        format_str.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let name = &rest[start + 1..end];
        match op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == name)
        {
            Some(p) => {
                let ident = format_ident!("{}", p.rust_name);
                format_str.push_str(&format!("{{{}}}", p.rust_name));
                let value = quote! { &self.#ident };
                bindings.push(quote! { let #ident = crate::raw::encode_path(#value); });
            }
            None => format_str.push_str(&rest[start..=end].replace('{', "{{").replace('}', "}}")),
        }
        rest = &rest[end + 1..];
    }
    format_str.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path = if bindings.is_empty() {
        // No `format!`: the path is sent as the spec wrote it, braces and all.
        let literal = &op.path;
        quote! { #literal }
    } else {
        quote! { format!(#format_str) }
    };
    let mut calls = Vec::new();
    for p in &op.params {
        let ident = format_ident!("{}", p.rust_name);
        let wire = &p.name;
        let call = match p.location {
            ParamLocation::Query => match p.style {
                QueryStyle::DeepObject => quote! { .query_deep_object(#wire, &self.#ident) },
                // Exploded, the delimited styles are repeated keys like form.
                QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited if p.explode => {
                    quote! { .query(#wire, &self.#ident) }
                }
                QueryStyle::SpaceDelimited => quote! { .query_delimited(#wire, &self.#ident, " ") },
                QueryStyle::PipeDelimited => quote! { .query_delimited(#wire, &self.#ident, "|") },
                QueryStyle::Form if matches!(p.ty, TypeRef::List(_)) && !p.explode => {
                    quote! { .query_list(#wire, &self.#ident, false) }
                }
                QueryStyle::Form => quote! { .query(#wire, &self.#ident) },
            },
            ParamLocation::Header => quote! { .header(#wire, &self.#ident) },
            ParamLocation::Cookie => quote! { .cookie(#wire, &self.#ident) },
            ParamLocation::Path => continue,
        };
        calls.push(call);
    }
    let mut optional_body = quote! {};
    if let Some((content, kind)) = body {
        let media = &content.media_type;
        let attach = |value: TokenStream| match kind {
            BodyEncoding::Json => quote! { .json(#value) },
            BodyEncoding::Form => quote! { .form(#value) },
            BodyEncoding::Multipart => {
                let form = multipart_form(content, types, &value);
                quote! { .multipart(#form) }
            }
            BodyEncoding::Bytes => quote! { .upload(crate::Upload::clone(#value), #media) },
        };
        if body_required {
            calls.push(attach(quote! { &self.body }));
        } else {
            let call = attach(quote! { body });
            optional_body = quote! {
                if let Some(body) = &self.body {
                    request = request #call;
                }
            };
        }
    }
    let security: Vec<TokenStream> = op
        .security
        .iter()
        .map(|alt| quote! { &[#(#alt),*] })
        .collect();
    if !security.is_empty() {
        calls.push(quote! { .security(&[#(#security),*]) });
    }
    let idempotent = op.is_idempotent();
    calls.push(quote! { .idempotent(#idempotent) });
    let name = &op.rust_name;
    let template = &op.path;
    calls.push(quote! { .operation(#name, #template) });
    calls.push(quote! { .options(self.request_options.clone()) });
    let binding = if optional_body.is_empty() {
        quote! { let request }
    } else {
        quote! { let mut request }
    };
    quote! {
        #(#bindings)*
        #binding = crate::raw::Request::new(reqwest::Method::#method, #path) #(#calls)*;
        #optional_body
    }
}
