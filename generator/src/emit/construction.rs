//! How callers build a model. One required field: `new(value)`. Two or more: a builder whose
//! required fields are checked by the compiler — each is a type parameter that a setter turns
//! from `Unset` to `Set`, and `build()` exists only when all are `Set`, with an error naming the
//! missing field otherwise. Arguments never depend on the order of `properties`, so reordering
//! them (not a change under most vendors' policies) breaks nobody; adding an optional property
//! breaks nobody either, adding a required one breaks at `build()`.
//!
//! Every setter takes `impl Into<T>`: `&str` for strings, a variant's value for unions.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{allow_deprecated, deprecated_attr};
use super::rust_type::{type_tokens, Recursion};
use super::types::{extra_field_name, field_is_option};
use crate::ir::{Field, TypeDef};

/// Required fields: present and not nullable (a required nullable field may be left `None`).
fn is_required(f: &Field) -> bool {
    f.required && !f.nullable
}

/// Whether `def` gets a builder (and so a marker trait per required field).
pub fn uses_builder(fields: &[Field]) -> bool {
    // `model_builder!` has names for 64 states; a model with more takes them all in `new`.
    (2..=64).contains(&fields.iter().filter(|f| is_required(f)).count())
        && !fields.iter().any(|f| f.rust_name == "build")
}

/// `new` or `builder()`, and `with_*` setters for the optional fields.
pub fn emit_construction(
    def: &TypeDef,
    fields: &[Field],
    has_extra: bool,
    recursion: &Recursion,
) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let generics = generics(def);
    let extra_init = has_extra.then(|| {
        let ident = format_ident!("{}", extra_field_name(fields));
        quote! { #ident: Default::default(), }
    });
    let with_setters = fields.iter().filter(|f| !is_required(f)).map(|f| {
        let field = format_ident!("{}", f.rust_name);
        let setter = format_ident!("with_{}", f.rust_name.trim_end_matches('_'));
        let doc = format!(" Sets [`{}::{}`].", def.name, f.rust_name);
        let (param, value) = setter_value_of(def, f, recursion, quote! { value });
        let deprecated = deprecated_attr(&f.docs, &format!("`{}.{}`", def.name, f.name));
        let allow = allow_deprecated(f.docs.deprecated);
        quote! {
            #[doc = #doc]
            #deprecated
            #allow
            pub fn #setter(mut self, value: #param) -> Self {
                self.#field = #value;
                self
            }
        }
    });
    if uses_builder(fields) {
        let builder = emit_builder(def, fields, has_extra, recursion);
        let with_setters: Vec<_> = with_setters.collect();
        let setters = (!with_setters.is_empty()).then(|| {
            quote! {
                impl #generics #name #generics {
                    #(#with_setters)*
                }
            }
        });
        return quote! {
            #setters
            #builder
        };
    }
    let required: Vec<&Field> = fields.iter().filter(|f| is_required(f)).collect();
    let params = required.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let (param, _) = setter_value_of(def, f, recursion, quote! { value });
        quote! { #ident: #param }
    });
    let inits = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        if is_required(f) {
            let (_, value) = setter_value_of(def, f, recursion, quote! { #ident });
            quote! { #ident: #value }
        } else {
            empty_value(f)
        }
    });
    let new_doc = format!(
        " A [`{}`] with the required fields set and every other field empty.",
        def.name
    );
    let default_impl = required.is_empty().then(|| {
        quote! {
            impl #generics Default for #name #generics {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    // `new` sets every field, deprecated ones included.
    let allow = allow_deprecated(fields.iter().any(|f| f.docs.deprecated));
    quote! {
        impl #generics #name #generics {
            #[doc = #new_doc]
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #extra_init }
            }
            #(#with_setters)*
        }
        #default_impl
    }
}

/// The builder, declared through the runtime's `model_builder!`: its code is the same for every
/// model, and grows with the square of the required fields (each setter names every state), so
/// the compiler expands it rather than the generator writing and formatting it per model.
fn emit_builder(
    def: &TypeDef,
    fields: &[Field],
    has_extra: bool,
    recursion: &Recursion,
) -> TokenStream {
    let model = format_ident!("{}", def.name);
    let builder = format_ident!("{}Builder", def.name);
    let params = type_params(def);
    let model_type = if params.is_empty() {
        quote! { #model }
    } else {
        quote! { #model<#(#params),*> }
    };
    let entry = |f: &Field, required: bool| {
        let ident = format_ident!("{}", f.rust_name);
        let ty = type_tokens(&f.ty);
        let boxed = recursion
            .needs_box(&def.name, &f.ty)
            .then(|| quote! { boxed });
        // An optional field is stored in an `Option` unless its type has an empty value itself.
        let plain = (!required && !field_is_option(f)).then(|| quote! { plain });
        let deprecated = deprecated_attr(&f.docs, &format!("`{}.{}`", def.name, f.name));
        quote! { #deprecated #ident: #plain #boxed #ty, }
    };
    let required = fields
        .iter()
        .filter(|f| is_required(f))
        .map(|f| entry(f, true));
    let optional = fields
        .iter()
        .filter(|f| !is_required(f))
        .map(|f| entry(f, false));
    let default = has_extra.then(|| {
        let ident = format_ident!("{}", extra_field_name(fields));
        quote! { default { #ident } }
    });
    quote! {
        crate::builder::model_builder! {
            #model_type => #builder {
                required { #(#required)* }
                optional { #(#optional)* }
                #default
            }
        }
    }
}

/// The setter's parameter type and the stored value made from `value`.
fn setter_value_of(
    def: &TypeDef,
    f: &Field,
    recursion: &Recursion,
    value: TokenStream,
) -> (TokenStream, TokenStream) {
    let inner = type_tokens(&f.ty);
    let boxed = recursion.needs_box(&def.name, &f.ty);
    let mut stored = quote! { #value.into() };
    if boxed {
        stored = quote! { Box::new(#stored) };
    }
    if field_is_option(f) {
        stored = quote! { Some(#stored) };
    }
    (quote! { impl Into<#inner> }, stored)
}

fn empty_value(f: &Field) -> TokenStream {
    let ident = format_ident!("{}", f.rust_name);
    if field_is_option(f) {
        quote! { #ident: None }
    } else {
        quote! { #ident: Default::default() }
    }
}

fn generics(def: &TypeDef) -> TokenStream {
    if def.generics.is_empty() {
        return quote! {};
    }
    let params = def.generics.iter().map(|g| format_ident!("{}", g));
    quote! { <#(#params),*> }
}

fn type_params(def: &TypeDef) -> Vec<proc_macro2::Ident> {
    def.generics
        .iter()
        .map(|g| format_ident!("{}", g))
        .collect()
}

/// `crate::builder::required`: one marker trait per required field name of any builder, whose
/// only implementation is for `Set`; its diagnostic names the field a `build()` call lacks. A
/// trait is named as its field (`required::owner_id`), so `model_builder!` can name it.
pub fn emit_required_markers(types: &[TypeDef]) -> TokenStream {
    let mut names = BTreeSet::new();
    for def in types {
        if let crate::ir::TypeKind::Struct { fields, .. } = &def.kind {
            if uses_builder(fields) {
                names.extend(
                    fields
                        .iter()
                        .filter(|f| is_required(f))
                        .map(|f| f.rust_name.clone()),
                );
            }
        }
    }
    let markers = names.iter().map(|name| {
        let marker = format_ident!("{}", name);
        let plain = name.trim_start_matches("r#");
        let message = format!("the required field `{plain}` is not set");
        let label = format!("call `.{plain}(…)` before `.build()`");
        let doc = format!(" `{plain}` is set on a builder.");
        // Written out rather than through a runtime macro: the marker's impl is what a missing
        // field's error points at, and a macro would add its expansion to that error.
        quote! {
            #[doc = #doc]
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            pub trait #marker {}
            impl #marker for crate::builder::Set {}
        }
    });
    quote! {
        #![allow(non_camel_case_types)]
        #(#markers)*
    }
}
