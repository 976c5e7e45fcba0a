//! Operations → a method on `Client` returning a request builder: required inputs are method
//! arguments, optional ones are builder setters (so a new optional parameter never breaks
//! callers), `send()` performs the call, and paginated operations add `pages()` / `items()`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{constraints_line, doc_attrs, render};
use super::rust_type::{is_string_like, type_tokens};
use crate::ir::{
    is_json_media_type, BodyEncoding, Content, Operation, Pagination, ParamLocation, Parameter,
    Response, StatusSpec, SuccessBody, TypeDef, TypeRef,
};
use crate::lower::type_name;

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

pub struct Emitted {
    pub tokens: TokenStream,
}

/// Names of the items an operation adds beside the model types.
pub struct OperationNames {
    pub builder: String,
    pub error: String,
}

/// Builder and error-enum names for every operation, never clashing with a model type:
/// `ListPets` / `ListPetsError`, or `ListPetsBuilder` / `ListPetsBuilderError` when a schema
/// already took the plain name.
pub fn operation_names(ops: &[Operation], types: &[TypeDef]) -> Vec<OperationNames> {
    let mut taken: std::collections::BTreeSet<String> =
        types.iter().map(|t| t.name.clone()).collect();
    taken.insert("Environment".into());
    ops.iter()
        .map(|op| {
            let base = type_name(&op.rust_name);
            let mut builder = base.clone();
            let mut n = 1;
            while taken.contains(&builder) || taken.contains(&format!("{builder}Error")) {
                builder = if n == 1 {
                    format!("{base}Builder")
                } else {
                    format!("{base}Builder{n}")
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
    let (error_tokens, error_ty) = emit_error_enum(op, &names.error);

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
    let body_ty = body.map(|(c, kind)| match (&c.ty, kind) {
        (Some(ty), BodyEncoding::Json | BodyEncoding::Form) => type_tokens(ty),
        _ => quote! { Vec<u8> },
    });
    if let Some(ty) = &body_ty {
        if body_required {
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
        let docs = doc_attrs(&param_docs(p));
        if is_string_like(&p.ty, types) {
            quote! {
                #docs
                pub fn #ident(mut self, value: impl Into<String>) -> Self {
                    self.#ident = Some(value.into());
                    self
                }
            }
        } else {
            quote! {
                #docs
                pub fn #ident(mut self, value: #ty) -> Self {
                    self.#ident = Some(value);
                    self
                }
            }
        }
    });
    let body_setter = (!body_required)
        .then_some(body_ty.as_ref())
        .flatten()
        .map(|ty| {
            quote! {
                /// The request body.
                pub fn body(mut self, body: #ty) -> Self {
                    self.body = Some(body);
                    self
                }
            }
        });

    let (ok_ty, decode) = match op.success_body() {
        SuccessBody::Json(ty) => (type_tokens(&ty), quote! { response.json() }),
        SuccessBody::Bytes => (quote! { Vec<u8> }, quote! { Ok(response.bytes().to_vec()) }),
        SuccessBody::Empty => (quote! { () }, quote! { response.empty() }),
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

    let request = emit_request(op, body, body_required);
    let guards = relay_guards(op);
    let pagination = emit_pagination(op, &ok_ty, &error_ty);

    let method_docs = doc_attrs(&method_docs(op));
    let builder_doc = format!(
        " Request builder for [`Client::{}`](crate::Client::{}).",
        op.rust_name, op.rust_name
    );
    let send_doc = format!(" Send `{}`.", op.label());
    let tokens = quote! {
        impl crate::Client {
            #method_docs
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
            #[doc = #send_doc]
            pub async fn send(self) -> Result<#ok_ty, crate::Error<#error_ty>> {
                #guards
                #request
                let response = self.client.execute::<#error_ty>(request).await?;
                match response.status() {
                    #success_pattern => #decode,
                    _ => Err(response.into_error()),
                }
            }
            #pagination
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

fn param_docs(p: &Parameter) -> String {
    let mut text = render(&p.docs);
    if let Some(line) = constraints_line(&p.constraints) {
        text = if text.is_empty() {
            line
        } else {
            format!("{text}\n\n{line}")
        };
    }
    if let Some(default) = &p.default {
        text.push_str(&format!("\n\nThe server's default: `{default}`."));
    }
    text.trim_start().to_string()
}

fn method_docs(op: &Operation) -> String {
    let mut text = render(&op.docs);
    let label = format!("`{}`", op.label());
    text = if text.is_empty() {
        label
    } else {
        format!("{text}\n\n{label}")
    };
    let required: Vec<&Parameter> = op.params.iter().filter(|p| p.required).collect();
    if !required.is_empty() {
        text.push_str("\n\n# Arguments");
        for p in required {
            let doc = param_docs(p).replace('\n', " ");
            text.push_str(&format!("\n- `{}`: {}", p.rust_name, doc));
        }
    }
    text
}

fn emit_request(
    op: &Operation,
    body: Option<(&Content, BodyEncoding)>,
    body_required: bool,
) -> TokenStream {
    let method = format_ident!("{}", op.method);
    // Path: literal pieces joined with percent-encoded parameters, bound to locals first so the
    // `format!` string reads like the spec's template.
    let mut format_str = String::new();
    let mut bindings = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        format_str.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let end = rest[start..]
            .find('}')
            .map(|e| e + start)
            .unwrap_or(rest.len() - 1);
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
                bindings.push(quote! { let #ident = crate::encode_path(#value); });
            }
            None => format_str.push_str(&rest[start..=end].replace('{', "{{").replace('}', "}}")),
        }
        rest = &rest[end + 1..];
    }
    format_str.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path = if bindings.is_empty() {
        quote! { #format_str }
    } else {
        quote! { format!(#format_str) }
    };
    let mut calls = Vec::new();
    for p in &op.params {
        let ident = format_ident!("{}", p.rust_name);
        let wire = &p.name;
        let call = match p.location {
            ParamLocation::Query => {
                let explode = p.explode;
                if matches!(p.ty, TypeRef::List(_)) && !explode {
                    quote! { .query_list(#wire, &self.#ident, false) }
                } else {
                    quote! { .query(#wire, &self.#ident) }
                }
            }
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
            BodyEncoding::Bytes => quote! { .bytes(Vec::clone(#value), #media) },
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
    let binding = if optional_body.is_empty() {
        quote! { let request }
    } else {
        quote! { let mut request }
    };
    quote! {
        #(#bindings)*
        #binding = crate::Request::new(reqwest::Method::#method, #path) #(#calls)*;
        #optional_body
    }
}

fn relay_guards(op: &Operation) -> TokenStream {
    let Some(Pagination::Relay {
        first,
        last,
        max_page_size,
        ..
    }) = &op.pagination
    else {
        return quote! {};
    };
    let first_ident = format_ident!("{}", first);
    let both = last.as_ref().map(|last| {
        let last_ident = format_ident!("{}", last);
        let message = format!("`{first}` and `{last}` cannot be sent together");
        quote! {
            if self.#first_ident.is_some() && self.#last_ident.is_some() {
                return Err(crate::Error::InvalidRequest(#message.into()));
            }
        }
    });
    let max = max_page_size.map(|max| {
        let max_lit = proc_macro2::Literal::u64_unsuffixed(max);
        let message = format!("`{first}` must be between 1 and {max}");
        quote! {
            if let Some(size) = self.#first_ident {
                if !(1..=#max_lit).contains(&size) {
                    return Err(crate::Error::InvalidRequest(#message.into()));
                }
            }
        }
    });
    quote! { #both #max }
}

fn emit_pagination(op: &Operation, page_ty: &TokenStream, error_ty: &TokenStream) -> TokenStream {
    let Some(Pagination::Relay {
        first,
        after,
        last,
        before,
        item,
        max_page_size,
    }) = &op.pagination
    else {
        return quote! {};
    };
    let item_ty = type_tokens(item);
    let first_ident = format_ident!("{}", first);
    let after_ident = format_ident!("{}", after);
    let clear: Vec<TokenStream> = [last, before]
        .into_iter()
        .flatten()
        .map(|p| {
            let ident = format_ident!("{}", p);
            quote! { self.#ident = None; }
        })
        .collect();
    let self_binding = if clear.is_empty() {
        quote! { self }
    } else {
        quote! { mut self }
    };
    let max_doc = max_page_size
        .map(|m| format!(" (at most {m})"))
        .unwrap_or_default();
    let page_size_doc = format!(" Items per page{max_doc}; sent as `{first}`.");
    let first_param = op.params.iter().find(|p| p.rust_name == *first);
    let size_ty = first_param
        .map(|p| type_tokens(&p.ty))
        .unwrap_or(quote! { i64 });
    quote! {
        #[doc = #page_size_doc]
        pub fn page_size(mut self, size: #size_ty) -> Self {
            self.#first_ident = Some(size);
            self
        }
        /// Every page from this one on, following `end_cursor` until `has_next_page` is false.
        /// Paging runs forwards, so `last` and `before` are cleared. Stops with
        /// [`Error::RepeatedCursor`](crate::Error::RepeatedCursor) if the server repeats a cursor.
        pub fn pages(#self_binding) -> impl crate::Stream<Item = Result<#page_ty, crate::Error<#error_ty>>> + 'a {
            #(#clear)*
            crate::relay_pages(self, |builder, cursor| builder.#after_ident(cursor), |builder| builder.send())
        }
        /// Every item of every page, in order.
        pub fn items(self) -> impl crate::Stream<Item = Result<#item_ty, crate::Error<#error_ty>>> + 'a {
            crate::relay_items(self.pages())
        }
    }
}

/// One enum per operation naming the error responses the spec declares.
fn emit_error_enum(op: &Operation, error_name: &str) -> (TokenStream, TokenStream) {
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
        impl crate::ErrorResponse for #name {
            fn from_response(#status_param: u16, #body_param: &[u8]) -> Option<Self> {
                #body_use
            }
        }
    };
    (tokens, quote! { #name })
}

/// `impl RelayPage` for each type a paginated operation returns.
pub fn emit_relay_impls(api_ops: &[Operation], types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let mut done = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for op in api_ops {
        if op.pagination.is_none() {
            continue;
        }
        let SuccessBody::Json(ty) = op.success_body() else {
            continue;
        };
        let (name, generic) = match &ty {
            TypeRef::Named(n) => (n.clone(), false),
            TypeRef::Generic { name, .. } => (name.clone(), true),
            _ => continue,
        };
        if !done.insert(name.clone()) {
            continue;
        }
        let Some(crate::ir::TypeKind::Struct { fields, .. }) = types.get(&name).map(|d| &d.kind)
        else {
            continue;
        };
        let Some(nodes) = fields.iter().find(|f| f.name == "nodes") else {
            continue;
        };
        let Some(info) = fields.iter().find(|f| f.name == "page_info") else {
            continue;
        };
        let info_name = match &info.ty {
            TypeRef::Named(n) => n,
            _ => continue,
        };
        let Some(crate::ir::TypeKind::Struct {
            fields: info_fields,
            ..
        }) = types.get(info_name).map(|d| &d.kind)
        else {
            continue;
        };
        let (Some(has_next), Some(end)) = (
            info_fields.iter().find(|f| f.name == "has_next_page"),
            info_fields.iter().find(|f| f.name == "end_cursor"),
        ) else {
            continue;
        };
        let nodes_ident = format_ident!("{}", nodes.rust_name);
        let info_ident = format_ident!("{}", info.rust_name);
        let has_next_ident = format_ident!("{}", has_next.rust_name);
        let end_ident = format_ident!("{}", end.rust_name);
        let info_access = if super::types::field_is_option(info) {
            quote! { self.#info_ident.as_ref() }
        } else {
            quote! { Some(&self.#info_ident) }
        };
        let has_next_expr = if super::types::field_is_option(has_next) {
            quote! { info.#has_next_ident.unwrap_or(false) }
        } else {
            quote! { info.#has_next_ident }
        };
        let end_expr =
            if super::types::field_is_option(end) || matches!(end.ty, TypeRef::Nullable(_)) {
                quote! { info.#end_ident.as_deref() }
            } else {
                quote! { Some(info.#end_ident.as_str()) }
            };
        let nodes_expr = if super::types::field_is_option(nodes) {
            quote! { self.#nodes_ident.unwrap_or_default() }
        } else {
            quote! { self.#nodes_ident }
        };
        let ident = format_ident!("{}", name);
        let (impl_generics, self_ty, item_ty) = if generic {
            (quote! { <T> }, quote! { #ident<T> }, quote! { T })
        } else {
            let TypeRef::List(item) = &nodes.ty else {
                continue;
            };
            (quote! {}, quote! { #ident }, type_tokens(item))
        };
        out.push(quote! {
            impl #impl_generics crate::RelayPage for #self_ty {
                type Item = #item_ty;
                fn has_next_page(&self) -> bool {
                    #info_access.is_some_and(|info| #has_next_expr)
                }
                fn end_cursor(&self) -> Option<&str> {
                    #info_access.and_then(|info| #end_expr)
                }
                fn into_items(self) -> Vec<Self::Item> {
                    #nodes_expr
                }
            }
        });
    }
    quote! { #(#out)* }
}
