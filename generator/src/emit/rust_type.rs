//! [`TypeRef`] → Rust type tokens, and which types need a `Box` to break recursion.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Primitive, TypeDef, TypeKind, TypeRef};

pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive_tokens(*p),
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            quote! { #ident }
        }
        TypeRef::Generic { name, args } => {
            let ident = format_ident!("{}", name);
            let args = args.iter().map(type_tokens);
            quote! { #ident<#(#args),*> }
        }
        TypeRef::Param(p) => {
            let ident = format_ident!("{}", p);
            quote! { #ident }
        }
        TypeRef::List(inner) => {
            let inner = type_tokens(inner);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote! { Option<#inner> }
        }
        TypeRef::Any => quote! { serde_json::Value },
    }
}

fn primitive_tokens(p: Primitive) -> TokenStream {
    match p {
        // Binary inside JSON has no agreed encoding; it is kept as the string the server sent.
        Primitive::String | Primitive::Binary => quote! { String },
        Primitive::Bool => quote! { bool },
        Primitive::I32 => quote! { i32 },
        Primitive::I64 => quote! { i64 },
        Primitive::U32 => quote! { u32 },
        Primitive::U64 => quote! { u64 },
        Primitive::F32 => quote! { f32 },
        Primitive::F64 => quote! { f64 },
        Primitive::Date => quote! { chrono::NaiveDate },
        Primitive::DateTime => quote! { chrono::DateTime<chrono::Utc> },
        Primitive::Uuid => quote! { uuid::Uuid },
        Primitive::Decimal => quote! { crate::Decimal },
    }
}

/// Whether the type is (an alias of) a string, so setters can take `impl Into<String>`.
pub fn is_string_like(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::String) => true,
        TypeRef::Named(n) => matches!(
            types.get(n).map(|d| &d.kind),
            Some(TypeKind::Alias { target, .. }) if is_string_like(target, types)
        ),
        _ => false,
    }
}

/// Primitive crates a set of types needs (`chrono`, `uuid`).
pub fn uses_primitive(types: &[TypeDef], extra: &[&TypeRef], p: Primitive) -> bool {
    fn walk(ty: &TypeRef, p: Primitive) -> bool {
        match ty {
            TypeRef::Primitive(q) => *q == p,
            TypeRef::Generic { args, .. } => args.iter().any(|a| walk(a, p)),
            TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => walk(i, p),
            _ => false,
        }
    }
    let mut found = extra.iter().any(|t| walk(t, p));
    for def in types {
        crate::lower::for_each_type_ref(def, &mut |t| found |= walk(t, p));
    }
    found
}

/// Named types whose fields reach themselves without passing through a `Vec` or map: such
/// fields need a `Box`.
pub struct Recursion {
    direct: BTreeMap<String, BTreeSet<String>>,
}

impl Recursion {
    pub fn new(types: &[TypeDef]) -> Self {
        let mut direct: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for def in types {
            let mut set = BTreeSet::new();
            crate::lower::for_each_type_ref(def, &mut |t| direct_names(t, &mut set));
            direct.insert(def.name.clone(), set);
        }
        Recursion { direct }
    }

    /// Does a value of `ty`, stored inline in `owner`, contain an `owner` again?
    pub fn needs_box(&self, owner: &str, ty: &TypeRef) -> bool {
        let mut start = BTreeSet::new();
        direct_names(ty, &mut start);
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = start.into_iter().collect();
        while let Some(name) = stack.pop() {
            if name == owner {
                return true;
            }
            if seen.insert(name.clone()) {
                if let Some(next) = self.direct.get(&name) {
                    stack.extend(next.iter().cloned());
                }
            }
        }
        false
    }
}

fn direct_names(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Generic { name, .. } => {
            out.insert(name.clone());
        }
        TypeRef::Nullable(inner) => direct_names(inner, out),
        // Vec and maps already live on the heap.
        _ => {}
    }
}
