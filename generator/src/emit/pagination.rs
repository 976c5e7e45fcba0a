//! Pagination in generated code: `page_size` / `pages()` / `items()` on the builders of paged
//! operations, the step from one page to the next for each style, and the page-size guards in
//! `send()`. The loop itself (and its repeated-cursor guard) is the runtime's `paging::pages`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_type::type_tokens;
use crate::ir::{
    FieldPath, InputLocation, LinkSource, Operation, PageInput, PageStyle, Pagination, Primitive,
    TokenConversion, TypeRef,
};

/// The field a next-link operation's builder keeps the link in (never set by callers).
pub const LINK_FIELD: &str = "page_link";

pub fn follows_links(op: &Operation) -> bool {
    matches!(
        op.pagination.as_ref().map(|p| &p.style),
        Some(PageStyle::NextLink { .. })
    )
}

/// Checks in `send()`: the page size within the spec's bounds, and Relay's `last` not sent
/// with `first`.
pub fn page_size_guards(op: &Operation) -> TokenStream {
    let Some(p) = &op.pagination else {
        return quote! {};
    };
    let Some(size) = p
        .page_size
        .as_ref()
        .filter(|s| s.location == InputLocation::Query)
    else {
        return quote! {};
    };
    let size_ident = format_ident!("{}", size.rust_name);
    let both = p.backward.iter().find(|b| *b == "last").map(|last| {
        let last_ident = format_ident!("{}", last);
        let message = format!("`{}` and `{last}` cannot be sent together", size.name);
        quote! {
            if self.#size_ident.is_some() && self.#last_ident.is_some() {
                return Err(crate::Error::InvalidRequest(#message.into()));
            }
        }
    });
    let max = p.max_page_size.filter(|_| size.options == 1).map(|max| {
        let max_lit = proc_macro2::Literal::u64_unsuffixed(max);
        let message = format!("`{}` must be between 1 and {max}", size.name);
        quote! {
            if let Some(size) = self.#size_ident {
                if !(1..=#max_lit).contains(&size) {
                    return Err(crate::Error::InvalidRequest(#message.into()));
                }
            }
        }
    });
    quote! { #both #max }
}

/// `page_size`, `pages()` and `items()` for a paged operation's builder.
pub fn emit_pagination(
    op: &Operation,
    page_ty: &TokenStream,
    error_ty: &TokenStream,
    allow: &TokenStream,
) -> TokenStream {
    let Some(p) = &op.pagination else {
        return quote! {};
    };
    let item_ty = type_tokens(&p.item);
    let step = next_step(p);
    let clear: Vec<TokenStream> = p
        .backward
        .iter()
        .map(|name| {
            let ident = format_ident!("{}", name);
            quote! { first.#ident = None; }
        })
        .collect();
    let first_binding = if clear.is_empty() {
        quote! { let first = self; }
    } else {
        quote! { let mut first = self; #(#clear)* }
    };
    let owned_items = match access(quote! { page }, &p.items, Mode::Owned) {
        (expr, false) => expr,
        (expr, true) => quote! { #expr.unwrap_or_default() },
    };
    let pages_doc = super::docs::doc_attrs(&pages_doc(p));
    let page_size = page_size_setter(op, p);
    quote! {
        #page_size
        #pages_doc
        #allow
        pub fn pages(self) -> crate::paging::PageStream<'a, #page_ty, #error_ty> {
            #first_binding
            crate::paging::pages(first, Self::send_with_response, |request, page| { #step })
        }
        /// Every item of every page, in order (see [`pages`](Self::pages) for when it stops).
        #allow
        pub fn items(self) -> crate::paging::ItemStream<'a, #item_ty, #error_ty> {
            crate::paging::items(self.pages(), |page| #owned_items)
        }
    }
}

fn page_size_setter(op: &Operation, p: &Pagination) -> Option<TokenStream> {
    let size = p.page_size.as_ref()?;
    if size.location != InputLocation::Query || op.params.iter().any(|q| q.rust_name == "page_size")
    {
        return None;
    }
    let ident = format_ident!("{}", size.rust_name);
    let ty = type_tokens(&size.ty);
    let value = wrap(quote! { size }, size.options);
    let max_doc = p
        .max_page_size
        .map(|m| format!(" (at most {m})"))
        .unwrap_or_default();
    let doc = format!(" Items per page{max_doc}; sent as `{}`.", size.name);
    Some(quote! {
        #[doc = #doc]
        pub fn page_size(mut self, size: #ty) -> Self {
            self.#ident = #value;
            self
        }
    })
}

fn pages_doc(p: &Pagination) -> String {
    let how = match &p.style {
        PageStyle::Cursor { input, token, .. } => format!(
            "sending `{}` back as `{}` until it is absent",
            token.wire(),
            input.name
        ),
        PageStyle::NextLink {
            link: LinkSource::Body { path },
        } => format!("following `{}` until it is absent", path.wire()),
        PageStyle::NextLink {
            link: LinkSource::Header,
        } => "following the `Link: <…>; rel=\"next\"` header until there is none".into(),
        PageStyle::Offset { input, total } => format!(
            "advancing `{}` by the items received{}",
            input.name,
            total
                .as_ref()
                .map(|t| format!(" until `{}` is reached", t.wire()))
                .unwrap_or_default()
        ),
        PageStyle::PageNumber {
            input, total_pages, ..
        } => format!(
            "advancing `{}` by one{}",
            input.name,
            total_pages
                .as_ref()
                .map(|t| format!(" until `{}`", t.wire()))
                .unwrap_or_default()
        ),
        PageStyle::Keyset { input, id, .. } => format!(
            "sending the last item's `{}` as `{}`",
            id.wire(),
            input.name
        ),
    };
    let more = p
        .has_more
        .as_ref()
        .map(|h| format!(", while `{}` is true", h.wire()))
        .unwrap_or_default();
    let short = if short_page_stops(p) {
        ", or after a page shorter than the page size"
    } else {
        ""
    };
    let backward = if p.backward.is_empty() {
        String::new()
    } else {
        format!(
            "\n\nPaging runs forwards, so {} cleared.",
            p.backward
                .iter()
                .map(|b| format!("`{b}`"))
                .collect::<Vec<_>>()
                .join(" and ")
                + if p.backward.len() > 1 { " are" } else { " is" }
        )
    };
    format!(
        "Every page from this one on, {how}{more}. Stops after an empty page{short}; a cursor \
         the server repeats ends the stream with \
         [`Error::RepeatedCursor`](crate::Error::RepeatedCursor).{backward}"
    )
}

/// Offsets, page numbers and keysets have no signal of their own when the spec gives neither
/// a total nor a `has_more`: a page shorter than the size asked for is the last.
fn short_page_stops(p: &Pagination) -> bool {
    let own_signal = match &p.style {
        PageStyle::Offset { total, .. } => total.is_some(),
        PageStyle::PageNumber { total_pages, .. } => total_pages.is_some(),
        PageStyle::Keyset { .. } => false,
        _ => true,
    };
    !own_signal && p.has_more.is_none() && p.page_size.is_some()
}

/// The body of the `|request, page| -> Next<Self>` step closure.
fn next_step(p: &Pagination) -> TokenStream {
    let len = match access(quote! { page.value() }, &p.items, Mode::Ref) {
        (expr, false) => quote! { #expr.len() },
        (expr, true) => quote! { #expr.map_or(0, |items| items.len()) },
    };
    let has_more = p.has_more.as_ref().map(|path| {
        let (expr, optional) = access(quote! { page.value() }, path, Mode::Copied);
        let expr = if optional {
            quote! { #expr.unwrap_or(false) }
        } else {
            expr
        };
        quote! { if !#expr { return None; } }
    });
    let short = short_page_stops(p).then(|| {
        let size = p.page_size.as_ref().map(read_input);
        quote! {
            if let Some(size) = #size {
                if crate::paging::below(len, size) {
                    return None;
                }
            }
        }
    });
    let step = match &p.style {
        PageStyle::Cursor {
            input,
            token,
            token_ty,
            convert,
        } => {
            let bind = bind_ref(
                quote! { token },
                access(quote! { page.value() }, token, Mode::Ref),
            );
            let empty =
                is_string(token_ty).then(|| quote! { if token.is_empty() { return None; } });
            let value = match convert {
                TokenConversion::Same => copy_or_clone(quote! { token }, token_ty),
                TokenConversion::Text => quote! { token.to_string() },
                TokenConversion::Json => quote! { crate::paging::convert(token)? },
            };
            let write = write_input(input, value);
            quote! {
                #bind
                #empty
                let mut next = request.clone();
                #write
                Some((next, crate::paging::key(token)))
            }
        }
        PageStyle::NextLink { link } => {
            let field = format_ident!("{}", LINK_FIELD);
            let bind = match link {
                LinkSource::Header => {
                    quote! { let link = crate::paging::next_link(page.headers())?; }
                }
                LinkSource::Body { path } => {
                    let bind = bind_ref(
                        quote! { link },
                        access(quote! { page.value() }, path, Mode::Ref),
                    );
                    quote! { #bind let link = link.clone(); }
                }
            };
            quote! {
                #bind
                if link.is_empty() { return None; }
                let mut next = request.clone();
                next.#field = Some(link.clone());
                Some((next, link))
            }
        }
        PageStyle::Offset { input, total } => {
            let current = read_input(input);
            let total = total.as_ref().map(|t| {
                let (expr, optional) = access(quote! { page.value() }, t, Mode::Copied);
                let check = |value: TokenStream| {
                    quote! { if !crate::paging::below(next_offset, #value) { return None; } }
                };
                if optional {
                    let check = check(quote! { total });
                    quote! { if let Some(total) = #expr { #check } }
                } else {
                    check(expr)
                }
            });
            let write = write_input(input, quote! { next_offset });
            quote! {
                #short
                let next_offset = crate::paging::advance(#current.unwrap_or_default(), len)?;
                #total
                let mut next = request.clone();
                #write
                Some((next, next_offset.to_string()))
            }
        }
        PageStyle::PageNumber {
            input,
            first,
            total_pages,
        } => {
            let current = read_input(input);
            let first = proc_macro2::Literal::i64_unsuffixed(*first);
            let total = total_pages.as_ref().map(|t| {
                let (expr, optional) = access(quote! { page.value() }, t, Mode::Copied);
                let check = |value: TokenStream| {
                    quote! { if !crate::paging::below(current, #value) { return None; } }
                };
                if optional {
                    let check = check(quote! { total });
                    quote! { if let Some(total) = #expr { #check } }
                } else {
                    check(expr)
                }
            });
            let write = write_input(input, quote! { next_page });
            quote! {
                #short
                let current = #current.unwrap_or(#first);
                #total
                let next_page = crate::paging::advance(current, 1)?;
                let mut next = request.clone();
                #write
                Some((next, next_page.to_string()))
            }
        }
        PageStyle::Keyset { input, id, id_ty } => {
            let last = match access(quote! { page.value() }, &p.items, Mode::Ref) {
                (expr, false) => quote! { #expr.last()? },
                (expr, true) => quote! { #expr.and_then(|items| items.last())? },
            };
            let bind = bind_ref(quote! { id }, access(quote! { item }, id, Mode::Ref));
            let value = if &input.ty == id_ty {
                copy_or_clone(quote! { id }, id_ty)
            } else if is_string(&input.ty) {
                quote! { id.to_string() }
            } else {
                // A string id into an id type (both are text on the wire).
                quote! { id.to_string().into() }
            };
            let write = write_input(input, value);
            quote! {
                #short
                let item = #last;
                #bind
                let mut next = request.clone();
                #write
                Some((next, crate::paging::key(id)))
            }
        }
    };
    quote! {
        let len = #len;
        if len == 0 { return None; }
        #has_more
        #step
    }
}

/// `let name = <expr>;`, returning early from the step when an `Option` on the way is `None`.
fn bind_ref(name: TokenStream, (expr, optional): (TokenStream, bool)) -> TokenStream {
    if optional {
        quote! { let #name = #expr?; }
    } else {
        quote! { let #name = &#expr; }
    }
}

fn is_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(Primitive::String))
}

fn copy_or_clone(value: TokenStream, ty: &TypeRef) -> TokenStream {
    let copy = matches!(
        ty,
        TypeRef::Primitive(
            Primitive::Bool
                | Primitive::I32
                | Primitive::I64
                | Primitive::U32
                | Primitive::U64
                | Primitive::F32
                | Primitive::F64
                | Primitive::Uuid
                | Primitive::Date
                | Primitive::DateTime
        )
    );
    if copy {
        quote! { *#value }
    } else {
        quote! { #value.clone() }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// `&T` / `Option<&T>`.
    Ref,
    /// `T` / `Option<T>`, moving out of the root.
    Owned,
    /// `T` / `Option<T>` for a `Copy` leaf, borrowing on the way.
    Copied,
}

/// Walks `path` from `root`; returns the expression and whether it is an `Option`. Plain steps
/// stay a field chain (`page.meta.next`, a place: callers borrow it as they need); from the
/// first optional step on, `Option` combinators.
fn access(root: TokenStream, path: &FieldPath, mode: Mode) -> (TokenStream, bool) {
    let by_ref = mode != Mode::Owned;
    let mut plain = (!path.root_optional).then(|| root.clone());
    let mut optional = path.root_optional.then(|| {
        if by_ref {
            quote! { #root.as_ref() }
        } else {
            root.clone()
        }
    });
    for step in &path.steps {
        let f = format_ident!("{}", step.rust_name);
        if let Some(p) = plain.take() {
            if step.optional {
                optional = Some(if by_ref {
                    quote! { #p.#f.as_ref() }
                } else {
                    quote! { #p.#f }
                });
            } else {
                plain = Some(quote! { #p.#f });
            }
        } else if let Some(o) = optional.take() {
            optional = Some(match (step.optional, by_ref) {
                (true, true) => quote! { #o.and_then(|v| v.#f.as_ref()) },
                (true, false) => quote! { #o.and_then(|v| v.#f) },
                (false, true) => quote! { #o.map(|v| &v.#f) },
                (false, false) => quote! { #o.map(|v| v.#f) },
            });
        }
    }
    match (plain, optional, mode) {
        (Some(p), _, _) => (p, false),
        (None, Some(o), Mode::Copied) => (quote! { #o.copied() }, true),
        (None, Some(o), _) => (o, true),
        (None, None, _) => unreachable!("a path is either plain or optional"),
    }
}

/// The input's current value on `request`, as `Option<T>` (integers only: they are `Copy`).
fn read_input(input: &PageInput) -> TokenStream {
    let f = format_ident!("{}", input.rust_name);
    match (input.location, input.options) {
        (InputLocation::Query, 2) => quote! { request.#f.flatten() },
        (InputLocation::Query, _) => quote! { request.#f },
        (
            InputLocation::Body {
                optional_body: false,
            },
            0,
        ) => quote! { Some(request.body.#f) },
        (
            InputLocation::Body {
                optional_body: false,
            },
            _,
        ) => quote! { request.body.#f },
        (
            InputLocation::Body {
                optional_body: true,
            },
            0,
        ) => {
            quote! { request.body.as_ref().map(|body| body.#f) }
        }
        (
            InputLocation::Body {
                optional_body: true,
            },
            _,
        ) => {
            quote! { request.body.as_ref().and_then(|body| body.#f) }
        }
    }
}

/// `next.<input> = value` (wrapped in as many `Some` as the field needs).
fn write_input(input: &PageInput, value: TokenStream) -> TokenStream {
    let f = format_ident!("{}", input.rust_name);
    let value = wrap(value, input.options);
    match input.location {
        InputLocation::Query => quote! { next.#f = #value; },
        InputLocation::Body {
            optional_body: false,
        } => quote! { next.body.#f = #value; },
        InputLocation::Body {
            optional_body: true,
        } => quote! { next.body.as_mut()?.#f = #value; },
    }
}

fn wrap(value: TokenStream, options: u8) -> TokenStream {
    (0..options).fold(value, |v, _| quote! { Some(#v) })
}
