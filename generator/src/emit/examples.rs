//! A test file for the generated crate: every example the spec documents for a schema, a
//! property or a parameter decodes into the generated type, and (for bodies) what it encodes to
//! decodes back to the same value. This proves on each regeneration that the types accept what
//! the vendor says it sends.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::rust_type::{type_tokens, Recursion};
use crate::ir::{resolve_aliases, Api, Primitive, TypeDef, TypeKind, TypeRef};

/// `None` when the spec documents no examples.
pub fn emit(
    api: &Api,
    types: &BTreeMap<String, TypeDef>,
    crate_name: &str,
    recursion: &Recursion,
) -> Option<(TokenStream, usize)> {
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
    let has_round_trips = !tests.is_empty();
    let parameter_checks = parameter_examples(api, types);
    let mut decodes_helper = quote! {};
    if !parameter_checks.is_empty() {
        decodes_helper = quote! {
            /// Decode `json` as `T`; for values that are never sent as JSON (parameters).
            fn decodes<T: serde::de::DeserializeOwned>(json: &str) {
                if let Err(e) = serde_json::from_str::<T>(json) {
                    panic!("example {json} does not decode: {e}");
                }
            }
        };
        total += parameter_checks.len();
        tests.push(quote! {
            /// Parameter examples (one per distinct type and value) decode into the argument type.
            #[test]
            fn parameter_examples() {
                #(#parameter_checks)*
            }
        });
    }
    if tests.is_empty() {
        return None;
    }
    // Body examples round-trip; only emitted when there are any (else they would be dead code).
    let round_trip_helpers = if has_round_trips {
        quote! {
        /// Decode `json`, encode it again: the JSON must come back the same (up to `null` for an
        /// absent property and the spelling of numbers), and decode to the same value.
        fn round_trip<T>(json: &str)
        where
            T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
        {
            let value: T = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("example {json} does not decode: {e}"));
            // Encoded as text, as the client sends it: an `f32` is written in its shortest form
            // (`0.002`), where `to_value` would widen it to `0.0020000000949949026`.
            let encoded: serde_json::Value = serde_json::to_string(&value)
                .and_then(|text| serde_json::from_str(&text))
                .expect("encodes");
            let original: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
            assert!(same(&encoded, &original), "example {json} re-encodes differently as {encoded}");
            let again: T = serde_json::from_value(encoded).expect("re-encoded example decodes");
            assert_eq!(value, again, "example {json} does not round-trip");
        }

        /// Whether `a` and `b` are the same data: a `null` property counts as absent, numbers
        /// compare by value (`1` is `1.0`), and fractions at `f32` precision: a `format: float`
        /// property is an `f32`, and its example may be written at either precision (`0.8976` or
        /// `0.897599995136261`).
        fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
            use serde_json::Value;
            let present = |map: &serde_json::Map<String, Value>| {
                map.iter().filter(|(_, v)| !v.is_null()).count()
            };
            match (a, b) {
                (Value::Object(a), Value::Object(b)) => {
                    present(a) == present(b)
                        && a.iter()
                            .filter(|(_, v)| !v.is_null())
                            .all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
                }
                (Value::Array(a), Value::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same(v, w))
                }
                (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
                    (Some(x), Some(y)) => {
                        x == y || ((x.fract() != 0.0 || y.fract() != 0.0) && x as f32 == y as f32)
                    }
                    _ => a == b,
                },
                _ => a == b,
            }
        }

        }
    } else {
        quote! {}
    };
    let tokens = quote! {
        //! Every example the spec documents for a schema, property or parameter decodes into its
        //! type.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #[allow(unused_imports)]
        use #krate::types::*;

        #round_trip_helpers

        #decodes_helper

        #(#tests)*
    };
    Some((tokens, total))
}

/// `decodes::<T>(json)` for every distinct (type, example) of an operation parameter. Parameters
/// travel as text, not JSON, so only decoding is checked: the type accepts the documented value.
fn parameter_examples(api: &Api, types: &BTreeMap<String, TypeDef>) -> Vec<TokenStream> {
    let mut seen = std::collections::BTreeSet::new();
    let mut checks = Vec::new();
    for param in api.operations.iter().flat_map(|op| &op.params) {
        if contains_param(&param.ty) {
            continue;
        }
        let ty = type_tokens(&param.ty);
        let underlying = resolve_aliases(&param.ty, types);
        for example in &param.docs.examples {
            let Some(example) = as_argument(&underlying, example) else {
                continue;
            };
            let text = example.to_string();
            if seen.insert((ty.to_string(), text.clone())) {
                let literal = Literal::string(&text);
                checks.push(quote! { decodes::<#ty>(#literal); });
            }
        }
    }
    checks
}

/// A parameter example as the argument value it stands for. Parameters travel as text, so a
/// spec may write `12345` for a string or `"10"` for an integer; both mean the same argument.
/// `null` (no value sent) has no argument to check.
fn as_argument(ty: &TypeRef, example: &serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    let text_typed = matches!(ty, TypeRef::Primitive(p) if !matches!(
        p,
        Primitive::Bool
            | Primitive::I32
            | Primitive::I64
            | Primitive::U32
            | Primitive::U64
            | Primitive::F32
            | Primitive::F64
    ));
    match example {
        Value::Null => None,
        Value::Number(_) | Value::Bool(_) if text_typed => Some(Value::String(example.to_string())),
        Value::String(text) if matches!(ty, TypeRef::Primitive(_)) && !text_typed => {
            match serde_json::from_str::<Value>(text) {
                Ok(parsed @ (Value::Number(_) | Value::Bool(_))) => Some(parsed),
                _ => Some(example.clone()),
            }
        }
        other => Some(other.clone()),
    }
}

fn contains_param(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Param(_) => true,
        TypeRef::Generic { args, .. } => args.iter().any(contains_param),
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => contains_param(i),
        _ => false,
    }
}
