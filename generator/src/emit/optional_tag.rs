//! `Deserialize` for a tagged union whose tag some member does not require (a `const` with a
//! `default`, as pydantic writes `__typename`). An object without the tag is valid for the
//! spec, so serde's internally tagged decoding ("missing field") is too strict: the tag picks
//! the variant when present; otherwise the object's shape does, and it must fit exactly one.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_type::{type_tokens, Recursion};
use crate::ir::{TypeDef, Variant};

pub fn emit_deserialize(
    def: &TypeDef,
    tag: &str,
    variants: &[Variant],
    recursion: &Recursion,
) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let types: Vec<_> = variants
        .iter()
        .map(|v| {
            let ty = type_tokens(&v.ty);
            if recursion.needs_box(&def.name, &v.ty) {
                quote! { Box<#ty> }
            } else {
                ty
            }
        })
        .collect();
    let tag_values: Vec<&str> = variants
        .iter()
        .map(|v| v.tag_value.as_deref().unwrap_or(&v.rust_name))
        .collect();
    let not_string = format!("`{tag}` must be a string");
    let none = format!(
        "no `{tag}`, and the object has the shape of none of {}",
        tag_values.join(", ")
    );
    let several = format!("no `{tag}`, and the object has the shape of several variants: ");
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let mut value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.as_object_mut().and_then(|object| object.remove(#tag));
                match tag {
                    Some(serde_json::Value::String(tag)) => match tag.as_str() {
                        #(#tag_values => serde_json::from_value::<#types>(value)
                            .map(Self::#idents)
                            .map_err(D::Error::custom),)*
                        other => Err(D::Error::unknown_variant(other, &[#(#tag_values),*])),
                    },
                    Some(_) => Err(D::Error::custom(#not_string)),
                    None => {
                        let mut fits: Vec<(&str, Self)> = Vec::new();
                        #(
                            if let Ok(variant) = serde_json::from_value::<#types>(value.clone()) {
                                fits.push((#tag_values, Self::#idents(variant)));
                            }
                        )*
                        match fits.len() {
                            0 => Err(D::Error::custom(#none)),
                            1 => Ok(fits.remove(0).1),
                            _ => {
                                let names: Vec<&str> = fits.iter().map(|(name, _)| *name).collect();
                                Err(D::Error::custom(format!("{}{}", #several, names.join(", "))))
                            }
                        }
                    }
                }
            }
        }
    }
}
