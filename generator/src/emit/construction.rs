//! How callers build a model. One required field: `new(value)`. Two or more: a builder whose
//! required fields are checked by the compiler — each is a type parameter that a setter turns
//! from `Unset` to `Set`, and `build()` exists only when all are `Set`, with an error naming the
//! missing field otherwise. Arguments never depend on the order of `properties`, so reordering
//! them (not a change under most vendors' policies) breaks nobody; adding an optional property
//! breaks nobody either, adding a required one breaks at `build()`.
//!
//! Every setter takes `impl Into<T>`: `&str` for strings, a variant's value for unions.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{allow_deprecated, deprecated_attr};
use super::rust_type::{type_tokens, Recursion};
use super::types::{extra_field_name, field_is_option, field_type};
use crate::ir::{Field, TypeDef};

/// Required fields: present and not nullable (a required nullable field may be left `None`).
fn is_required(f: &Field) -> bool {
    f.required && !f.nullable
}

/// Whether `def` gets a builder (and so a marker trait per required field).
pub fn uses_builder(fields: &[Field]) -> bool {
    fields.iter().filter(|f| is_required(f)).count() >= 2
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
        let (param, value) = setter_value(def, f, recursion);
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
        let (builder, empty_builder) = emit_builder(def, fields, extra_init, recursion);
        let doc = format!(
            " A builder for [`{}`]: set each required field by name, then `build()`.",
            def.name
        );
        let builder_name = format_ident!("{}Builder", def.name);
        // Every state parameter defaults to `Unset`, so the fresh builder's type names only the
        // model's own parameters.
        let type_args = type_params(def);
        let builder_type = if type_args.is_empty() {
            quote! { #builder_name }
        } else {
            quote! { #builder_name<#(#type_args),*> }
        };
        return quote! {
            impl #generics #name #generics {
                #[doc = #doc]
                pub fn builder() -> #builder_type {
                    #empty_builder
                }
                #(#with_setters)*
            }
            #builder
        };
    }
    let required: Vec<&Field> = fields.iter().filter(|f| is_required(f)).collect();
    let params = required.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let (param, _) = setter_value(def, f, recursion);
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

/// The builder's type and impl, and the expression of a builder with nothing set.
fn emit_builder(
    def: &TypeDef,
    fields: &[Field],
    extra_init: Option<TokenStream>,
    recursion: &Recursion,
) -> (TokenStream, TokenStream) {
    let model = format_ident!("{}", def.name);
    let builder = format_ident!("{}Builder", def.name);
    let model_params = type_params(def);
    let required: Vec<&Field> = fields.iter().filter(|f| is_required(f)).collect();
    let states: Vec<_> = (0..required.len())
        .map(|i| format_ident!("S{}", i))
        .collect();
    // Required fields wait in an `Option` until their setter runs; the state parameters say
    // which have run, so `build()` never finds one empty.
    let storage = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let ty = field_type(&def.name, f, recursion);
        if is_required(f) {
            quote! { #ident: Option<#ty>, }
        } else {
            quote! { #ident: #ty, }
        }
    });
    let empty = fields.iter().map(|f| {
        if is_required(f) {
            let ident = format_ident!("{}", f.rust_name);
            quote! { #ident: None }
        } else {
            empty_value(f)
        }
    });
    let all_params = quote! { #(#model_params,)* #(#states),* };
    let required_setters = required.iter().enumerate().map(|(i, f)| {
        let ident = format_ident!("{}", f.rust_name);
        let (param, value) = setter_value(def, f, recursion);
        let next_states = states.iter().enumerate().map(|(j, s)| {
            if i == j {
                quote! { crate::builder::Set }
            } else {
                quote! { #s }
            }
        });
        let doc = field_setter_doc(def, f, true);
        let deprecated = deprecated_attr(&f.docs, &format!("`{}.{}`", def.name, f.name));
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #ident(mut self, value: #param) -> #builder<#(#model_params,)* #(#next_states),*> {
                self.#ident = Some(#value);
                self.__retype()
            }
        }
    });
    // One move of every field into a builder of other states, shared by the required setters
    // (each setter writing the whole struct out again would grow as fields²).
    let next: Vec<_> = (0..required.len())
        .map(|i| format_ident!("N{}", i))
        .collect();
    let moves = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        quote! { #ident: self.#ident }
    });
    let retype = quote! {
        fn __retype<#(#next),*>(self) -> #builder<#(#model_params,)* #(#next),*> {
            #builder { #(#moves,)* __state: std::marker::PhantomData }
        }
    };
    let optional_setters = fields.iter().filter(|f| !is_required(f)).map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let (param, value) = setter_value(def, f, recursion);
        let doc = field_setter_doc(def, f, false);
        let deprecated = deprecated_attr(&f.docs, &format!("`{}.{}`", def.name, f.name));
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #ident(mut self, value: #param) -> Self {
                self.#ident = #value;
                self
            }
        }
    });
    let bounds = required.iter().zip(&states).map(|(f, s)| {
        let marker = marker_ident(&f.rust_name);
        quote! { #s: crate::builder::required::#marker }
    });
    let finish = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        if is_required(f) {
            let message = format!("`{}` is set: the builder's type says so", f.rust_name);
            quote! { #ident: self.#ident.expect(#message) }
        } else {
            quote! { #ident: self.#ident }
        }
    });
    let doc = format!(
        " Builds a [`{}`]: `{}::builder()`, a setter per field, then [`build`]({}Builder::build). \
         Leaving out a required field is a compile error naming it.",
        def.name, def.name, def.name
    );
    let build_doc = format!(" The [`{}`], once every required field is set.", def.name);
    let lint = complex(fields);
    // `build` sets every field of the model, deprecated ones included.
    let build_allow = allow_deprecated(fields.iter().any(|f| f.docs.deprecated));
    let empty_builder = quote! {
        #builder { #(#empty,)* __state: std::marker::PhantomData }
    };
    let items = quote! {
        #[doc = #doc]
        #[must_use = "a builder does nothing until `.build()`"]
        #[derive(Debug, Clone)]
        #lint
        pub struct #builder<#(#model_params,)* #(#states = crate::builder::Unset),*> {
            #(#storage)*
            __state: std::marker::PhantomData<(#(#states,)*)>,
        }
        #lint
        impl<#all_params> #builder<#all_params> {
            #(#required_setters)*
            #(#optional_setters)*
            #retype
            #[doc = #build_doc]
            #build_allow
            pub fn build(self) -> #model<#(#model_params),*>
            where
                #(#bounds,)*
            {
                #model { #(#finish,)* #extra_init }
            }
        }
    };
    (items, empty_builder)
}

fn field_setter_doc(def: &TypeDef, f: &Field, required: bool) -> String {
    let kind = if required { "Required" } else { "Optional" };
    format!(" {kind}: sets [`{}::{}`].", def.name, f.rust_name)
}

/// The setter's parameter type and the stored value made from `value`.
fn setter_value(def: &TypeDef, f: &Field, recursion: &Recursion) -> (TokenStream, TokenStream) {
    setter_value_of(def, f, recursion, quote! { value })
}

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

fn marker_ident(rust_name: &str) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        rust_name.trim_start_matches("r#").to_upper_camel_case()
    )
}

/// `crate::builder::required`: one marker trait per required field name of any builder, whose
/// only implementation is for `Set`; its diagnostic names the field a `build()` call lacks.
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
        let marker = marker_ident(name);
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
    quote! { #(#markers)* }
}

/// A builder's type lists one state per required field; clippy finds long lists complex, and
/// they are what the compile-time check is made of.
fn complex(fields: &[Field]) -> Option<TokenStream> {
    (fields.iter().filter(|f| is_required(f)).count() >= 5)
        .then(|| quote! { #[allow(clippy::type_complexity)] })
}
