//! Type definitions → Rust items: structs, open string enums, unions, aliases.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{constraints_line, deprecated_attr, doc_attrs, field_docs, type_docs};
use super::rust_type::{type_tokens, Recursion};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, Variant};

pub fn emit_type(def: &TypeDef, recursion: &Recursion) -> TokenStream {
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            emit_struct(def, fields, additional.as_ref(), recursion)
        }
        TypeKind::Enum { values } => emit_enum(def, values),
        TypeKind::Id { .. } => emit_id(def),
        TypeKind::TaggedUnion {
            tag,
            variants,
            tag_optional: false,
        } => emit_union(def, Some(tag), variants, recursion),
        TypeKind::TaggedUnion {
            tag,
            variants,
            tag_optional: true,
        } => {
            let union = emit_union(def, Some(tag), variants, recursion);
            let decode = super::optional_tag::emit_deserialize(def, tag, variants, recursion);
            quote! { #union #decode }
        }
        TypeKind::UntaggedUnion { variants } => emit_union(def, None, variants, recursion),
        TypeKind::Alias {
            target,
            constraints,
        } => {
            let mut text = type_docs(def);
            if let Some(line) = constraints_line(constraints) {
                text = if text.is_empty() {
                    line
                } else {
                    format!("{line}\n\n{text}")
                };
            }
            let docs = doc_attrs(&text);
            let name = format_ident!("{}", def.name);
            let target = type_tokens(target);
            quote! { #docs pub type #name = #target; }
        }
    }
}

/// The Rust type of a field as stored: `Option` for optional or nullable, `Box` to break cycles.
pub fn field_type(owner: &str, field: &Field, recursion: &Recursion) -> TokenStream {
    let mut inner = type_tokens(&field.ty);
    if recursion.needs_box(owner, &field.ty) {
        inner = quote! { Box<#inner> };
    }
    if field_is_option(field) {
        quote! { Option<#inner> }
    } else {
        inner
    }
}

pub fn field_is_option(field: &Field) -> bool {
    (!field.required || field.nullable) && !matches!(field.ty, TypeRef::Nullable(_) | TypeRef::Any)
}

/// Values with a natural empty form decode as empty when a lenient server omits them.
fn has_natural_empty(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Any | TypeRef::Nullable(_)
    )
}

fn generics_tokens(def: &TypeDef) -> TokenStream {
    if def.generics.is_empty() {
        return quote! {};
    }
    let params = def.generics.iter().map(|g| format_ident!("{}", g));
    quote! { <#(#params),*> }
}

fn emit_struct(
    def: &TypeDef,
    fields: &[Field],
    additional: Option<&TypeRef>,
    recursion: &Recursion,
) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let generics = generics_tokens(def);
    let docs = doc_attrs(&type_docs(def));
    let field_items = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let ty = field_type(&def.name, f, recursion);
        let docs = doc_attrs(&field_docs(f));
        let deprecated = deprecated_attr(&f.docs, &format!("`{}.{}`", def.name, f.name));
        let rename = (f.rust_name != f.name).then(|| {
            let wire = &f.name;
            quote! { #[serde(rename = #wire)] }
        });
        let behaviour = if field_is_option(f) && !f.required {
            quote! { #[serde(default, skip_serializing_if = "Option::is_none")] }
        } else if field_is_option(f) || has_natural_empty(&f.ty) {
            // Required-but-nullable: always sent (explicit null), absent decodes as None.
            quote! { #[serde(default)] }
        } else {
            quote! {}
        };
        quote! { #docs #deprecated #rename #behaviour pub #ident: #ty, }
    });
    let extra = additional.map(|value| {
        let value = type_tokens(value);
        let ident = format_ident!("{}", extra_field_name(fields));
        quote! {
            #[doc = " Properties beyond those the spec names."]
            #[serde(flatten, default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
            pub #ident: std::collections::BTreeMap<String, #value>,
        }
    });
    let constructor =
        super::construction::emit_construction(def, fields, additional.is_some(), recursion);
    // serde would otherwise ask `T: Default` for the lenient `#[serde(default)]` lists.
    let bound = (!def.generics.is_empty()).then(|| {
        let ser = def
            .generics
            .iter()
            .map(|g| format!("{g}: serde::Serialize"))
            .collect::<Vec<_>>()
            .join(", ");
        let de = def
            .generics
            .iter()
            .map(|g| format!("{g}: serde::Deserialize<'de>"))
            .collect::<Vec<_>>()
            .join(", ");
        quote! { #[serde(bound(serialize = #ser, deserialize = #de))] }
    });
    // Nested maps and lists are what the spec says; an alias per nesting would only hide them.
    let config_derives = extra_derives(def, &["Debug", "Clone", "PartialEq"]);
    let complex = fields
        .iter()
        .any(|f| nesting(&f.ty) >= 3)
        .then(|| quote! { #[allow(clippy::type_complexity)] });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #config_derives
        #bound
        #complex
        #[non_exhaustive]
        pub struct #name #generics {
            #(#field_items)*
            #extra
        }
        #constructor
    }
}

/// How deeply containers nest in a type (`Option<Map<Map<T>>>` counts 3 with the field's Option).
fn nesting(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => 1 + nesting(i),
        TypeRef::Generic { args, .. } => 1 + args.iter().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

pub(super) fn extra_field_name(fields: &[Field]) -> String {
    let mut name = "additional_properties".to_string();
    while fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    name
}

fn emit_enum(def: &TypeDef, values: &[crate::ir::EnumValue]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let config_derives = extra_derives(
        def,
        &[
            "Debug",
            "Clone",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    let docs = doc_attrs(&type_docs(def));
    let variants: Vec<_> = values
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let wires: Vec<&String> = values.iter().map(|v| &v.value).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{}`", w.replace('`', "'")));
    quote! {
        #docs
        ///
        /// Open: values this version of the client does not know decode as `Unknown` and are
        /// sent back unchanged. `Unknown` is public so a `match` can read such a value and a
        /// caller can send one this client predates; decoding and `From<&str>` always pick the
        /// named variant for a listed value, so build values from strings with `.into()`, never
        /// `Unknown(..)` by hand (`Unknown("x")` is not the variant for `"x"` and compares unequal
        /// to it). Matches need a `_` or `Unknown(_)` arm.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #config_derives
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value the spec did not list when this client was generated (never one it
            /// lists, unless built by hand).
            Unknown(String),
        }
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }
        // Ordered by the wire value, never by declaration order: a value the vendor inserts
        // into the list must not reorder the others.
        impl PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for #name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn emit_union(
    def: &TypeDef,
    tag: Option<&String>,
    variants: &[Variant],
    recursion: &Recursion,
) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let generics = generics_tokens(def);
    let docs = doc_attrs(&type_docs(def));
    let tag_attr = match tag {
        Some(tag) => quote! { #[serde(tag = #tag)] },
        None => quote! { #[serde(untagged)] },
    };
    let items = variants.iter().map(|v| {
        let ident = format_ident!("{}", v.rust_name);
        let mut ty = type_tokens(&v.ty);
        if recursion.needs_box(&def.name, &v.ty) {
            ty = quote! { Box<#ty> };
        }
        let rename = v
            .tag_value
            .as_ref()
            .map(|t| quote! { #[serde(rename = #t)] });
        let doc = match &v.tag_value {
            Some(t) => format!(" `{}` = `{}`", tag.map(String::as_str).unwrap_or(""), t),
            None => format!(
                " A `{}`.",
                super::rust_type::type_tokens(&v.ty)
                    .to_string()
                    .replace(' ', "")
            ),
        };
        quote! { #[doc = #doc] #rename #ident(#ty), }
    });
    // A union whose tag may be absent decodes by hand (`optional_tag`); it still writes the tag.
    let derive_deserialize = match &def.kind {
        TypeKind::TaggedUnion {
            tag_optional: true, ..
        } => quote! {},
        _ => quote! { serde::Deserialize },
    };
    let config_derives = extra_derives(def, &["Debug", "Clone", "PartialEq"]);
    let conversions = union_conversions(def, variants, recursion);
    // Variant sizes come from the spec; boxing them would make every union awkward to build.
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, #derive_deserialize)]
        #config_derives
        #tag_attr
        #[allow(clippy::large_enum_variant)]
        pub enum #name #generics {
            #(#items)*
        }
        #conversions
    }
}

/// `From` each variant's type (and `&str` for a string variant), so a field or setter typed
/// with the union takes the value itself: `.description("x")`. Only for types that one variant
/// alone holds (two variants of one type would make the conversion a guess).
fn union_conversions(def: &TypeDef, variants: &[Variant], recursion: &Recursion) -> TokenStream {
    if !def.generics.is_empty() {
        return quote! {};
    }
    let name = format_ident!("{}", def.name);
    let count = |ty: &TypeRef| {
        let ty = recursion.resolve(ty);
        variants
            .iter()
            .filter(|v| recursion.resolve(&v.ty) == ty)
            .count()
    };
    let string = TypeRef::Primitive(crate::ir::Primitive::String);
    let impls = variants
        .iter()
        .filter(|v| {
            count(&v.ty) == 1
                && !matches!(recursion.resolve(&v.ty), TypeRef::Any | TypeRef::Param(_))
        })
        .map(|v| {
            let ident = format_ident!("{}", v.rust_name);
            let ty = type_tokens(&v.ty);
            let boxed = recursion.needs_box(&def.name, &v.ty);
            let value = if boxed {
                quote! { Box::new(value) }
            } else {
                quote! { value }
            };
            let from_str = (recursion.resolve(&v.ty) == string).then(|| {
                quote! {
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#ident(value.to_owned())
                        }
                    }
                }
            });
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#ident(#value)
                    }
                }
                #from_str
            }
        });
    quote! { #(#impls)* }
}

/// The generator config's extra derives, minus those the type already has.
fn extra_derives(def: &TypeDef, built_in: &[&str]) -> Option<TokenStream> {
    let paths: Vec<syn::Path> = def
        .derives
        .iter()
        .filter(|d| {
            !built_in.contains(&d.as_str())
                && !d.ends_with("Serialize")
                && !d.ends_with("Deserialize")
        })
        .filter_map(|d| syn::parse_str(d).ok())
        .collect();
    (!paths.is_empty()).then(|| quote! { #[derive(#(#paths),*)] })
}

/// A string newtype for one entity's ids: transparent on the wire, built from any string
/// (`"ctb_…".into()`), never mistaken for another entity's id.
fn emit_id(def: &TypeDef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(&type_docs(def));
    let config_derives = extra_derives(
        def,
        &[
            "Debug",
            "Clone",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #config_derives
        #[serde(transparent)]
        pub struct #name(String);
        crate::typed_id::impl_typed_id!(#name);
    }
}
