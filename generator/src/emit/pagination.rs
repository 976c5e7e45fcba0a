//! Relay pagination in generated code: the guards in `send()`, `page_size`/`pages()`/`items()`
//! on builders, and `RelayPage` for the page types.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_type::type_tokens;
use crate::ir::{Operation, Pagination, SuccessBody, TypeDef, TypeRef};

pub fn relay_guards(op: &Operation) -> TokenStream {
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

pub fn emit_pagination(
    op: &Operation,
    page_ty: &TokenStream,
    error_ty: &TokenStream,
) -> TokenStream {
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

/// `impl RelayPage` for each type a paginated operation returns.
pub fn emit_relay_impls(api_ops: &[Operation], types: &BTreeMap<String, TypeDef>) -> TokenStream {
    // The impl goes on the struct itself; an alias naming it (`type ProjectsPage = …;`, or
    // `= Page<Project>`) shares it.
    let resolve = |ty: &TypeRef| crate::ir::resolve_aliases(ty, types);
    let mut done = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for op in api_ops {
        if op.pagination.is_none() {
            continue;
        }
        let SuccessBody::Json(ty) = op.success_body() else {
            continue;
        };
        let (name, generic) = match resolve(&ty) {
            TypeRef::Named(n) => (n, false),
            TypeRef::Generic { name, .. } => (name, true),
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
        let TypeRef::Named(info_name) = resolve(&info.ty) else {
            continue;
        };
        let Some(crate::ir::TypeKind::Struct {
            fields: info_fields,
            ..
        }) = types.get(&info_name).map(|d| &d.kind)
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
