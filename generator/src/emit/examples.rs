//! A test file for the generated crate: every example the spec documents for a schema or a
//! property decodes into the generated type, and what it encodes to decodes back to the same
//! value. This proves on each regeneration that the types accept what the vendor says it sends.

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::rust_type::{type_tokens, Recursion};
use crate::ir::{Api, TypeKind, TypeRef};

/// `None` when the spec documents no examples.
pub fn emit(api: &Api, crate_name: &str, recursion: &Recursion) -> Option<(TokenStream, usize)> {
    let krate = format_ident!("{}", crate_name.to_snake_case());
    let mut tests = Vec::new();
    let mut total = 0;
    for def in api.types.iter().filter(|d| d.generics.is_empty()) {
        let ident = format_ident!("{}", def.name);
        let mut checks = Vec::new();
        for example in &def.docs.examples {
            let text = Literal::string(&example.to_string());
            checks.push(quote! { round_trip::<#ident>(#text); });
        }
        if let TypeKind::Struct { fields, .. } = &def.kind {
            for field in fields {
                if contains_param(&field.ty) {
                    continue;
                }
                let mut ty = type_tokens(&field.ty);
                if recursion.needs_box(&def.name, &field.ty) {
                    ty = quote! { Box<#ty> };
                }
                for example in &field.docs.examples {
                    let text = Literal::string(&example.to_string());
                    checks.push(quote! { round_trip::<#ty>(#text); });
                }
            }
        }
        if checks.is_empty() {
            continue;
        }
        total += checks.len();
        let test = format_ident!("{}", format!("{}_examples", def.name.to_snake_case()));
        tests.push(quote! {
            #[test]
            fn #test() {
                #(#checks)*
            }
        });
    }
    if tests.is_empty() {
        return None;
    }
    let tokens = quote! {
        //! Every example the spec documents for a schema or property decodes into its type.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #[allow(unused_imports)]
        use #krate::*;

        /// Decode `json`, encode it again: the JSON must come back the same (up to `null` for an
        /// absent property and the spelling of numbers), and decode to the same value.
        fn round_trip<T>(json: &str)
        where
            T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
        {
            let value: T = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("example {json} does not decode: {e}"));
            let encoded = serde_json::to_value(&value).expect("encodes");
            let original: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
            assert_eq!(normalize(encoded.clone()), normalize(original), "example {json} re-encodes differently");
            let again: T = serde_json::from_value(encoded).expect("re-encoded example decodes");
            assert_eq!(value, again, "example {json} does not round-trip");
        }

        /// Drop `null` properties and write every number as a float, so equal data compares equal.
        fn normalize(value: serde_json::Value) -> serde_json::Value {
            match value {
                serde_json::Value::Object(map) => map
                    .into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k, normalize(v)))
                    .collect(),
                serde_json::Value::Array(items) => items.into_iter().map(normalize).collect(),
                serde_json::Value::Number(n) => n.as_f64().map(serde_json::Value::from).unwrap_or(serde_json::Value::Number(n)),
                other => other,
            }
        }

        #(#tests)*
    };
    Some((tokens, total))
}

fn contains_param(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Param(_) => true,
        TypeRef::Generic { args, .. } => args.iter().any(contains_param),
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => contains_param(i),
        _ => false,
    }
}
