//! `oneOf`/`anyOf` → tagged unions (told apart by a discriminator or a shared `const` property)
//! or untagged unions (decoded by trying each member in order).

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::names::{type_name, NameScope};
use super::schema::{docs_of, unescape, wrap_nullable};
use super::view::View;
use super::Lowerer;
use crate::ir::{Primitive, TypeDef, TypeKind, TypeRef, Variant};

impl Lowerer<'_> {
    pub(super) fn lower_union(
        &mut self,
        view: &View,
        members: &[ReferenceOr<Schema>],
        key: &str,
        hint: &str,
        pointer: &str,
        fixed_name: Option<&str>,
    ) -> TypeRef {
        let name = self.fresh_name(hint, fixed_name);
        if let Some((tag, variants)) = self.tagged_variants(view, members) {
            let tag_optional = members.iter().any(|m| match m {
                ReferenceOr::Reference { reference } => !self.requires(reference, &tag),
                ReferenceOr::Item(_) => false,
            });
            return self.add_type(TypeDef {
                name,
                pointer: pointer.to_string(),
                schema_names: Vec::new(),
                docs: docs_of(view),
                generics: Vec::new(),
                derives: Vec::new(),
                kind: TypeKind::TaggedUnion {
                    tag,
                    variants,
                    tag_optional,
                },
            });
        }
        let mut scope = NameScope::new();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let lowered = self.lower_ref_or(
                member,
                &format!("{name}Variant{i}"),
                &format!("{pointer}/{key}/{i}"),
            );
            let ty = wrap_nullable(lowered.ty, lowered.nullable);
            if variants.iter().any(|v: &Variant| v.ty == ty) {
                continue;
            }
            let rust_name = scope.claim(&variant_name_for(&ty, i));
            variants.push(Variant {
                rust_name,
                ty,
                tag_value: None,
            });
        }
        self.add_type(TypeDef {
            name,
            pointer: pointer.to_string(),
            schema_names: Vec::new(),
            docs: docs_of(view),
            generics: Vec::new(),
            derives: Vec::new(),
            kind: TypeKind::UntaggedUnion { variants },
        })
    }

    /// A union is tagged when a discriminator says so, or when every member is an object
    /// reference with the same required single-value property (`__typename: const X`).
    fn tagged_variants(
        &mut self,
        view: &View,
        members: &[ReferenceOr<Schema>],
    ) -> Option<(String, Vec<Variant>)> {
        let refs: Vec<&str> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            })
            .collect::<Option<_>>()?;
        let tag = match &view.data.discriminator {
            Some(d) => d.property_name.clone(),
            None => self.common_const_property(&refs)?,
        };
        let mapping = view
            .data
            .discriminator
            .as_ref()
            .map(|d| d.mapping.clone())
            .unwrap_or_default();
        let mut scope = NameScope::new();
        let mut variants = Vec::new();
        for reference in refs {
            let schema_name = unescape(reference.rsplit('/').next().unwrap_or(reference));
            let tag_value = mapping
                .iter()
                .find(|(_, target)| target.as_str() == reference || **target == schema_name)
                .map(|(value, _)| value.clone())
                .or_else(|| self.const_value(reference, &tag))
                .unwrap_or_else(|| schema_name.clone());
            if variants
                .iter()
                .any(|v: &Variant| v.tag_value.as_deref() == Some(&tag_value))
            {
                return None;
            }
            let ty = self.resolve_schema_ref(reference, "#");
            let TypeRef::Named(_) = &ty else { return None };
            variants.push(Variant {
                rust_name: scope.claim(&type_name(&tag_value)),
                ty,
                tag_value: Some(tag_value),
            });
        }
        Some((tag, variants))
    }

    fn common_const_property(&self, refs: &[&str]) -> Option<String> {
        let first = View::of(self.component(refs.first()?)?);
        let candidates: Vec<String> = first.properties?.keys().cloned().collect();
        candidates
            .into_iter()
            .find(|prop| refs.iter().all(|r| self.const_value(r, prop).is_some()))
    }

    /// Whether the referenced object schema (or a part of its `allOf`) lists `prop` as required.
    fn requires(&self, reference: &str, prop: &str) -> bool {
        self.component(reference)
            .is_some_and(|s| self.schema_requires(s, prop, 0))
    }

    fn schema_requires(&self, schema: &Schema, prop: &str, depth: usize) -> bool {
        let view = View::of(schema);
        // The depth bound only guards against an `allOf` that includes itself.
        view.required.iter().any(|r| r == prop)
            || depth < 16
                && view.all_of.iter().any(|part| match part {
                    ReferenceOr::Item(s) => self.schema_requires(s, prop, depth + 1),
                    ReferenceOr::Reference { reference } => self
                        .component(reference)
                        .is_some_and(|s| self.schema_requires(s, prop, depth + 1)),
                })
    }

    /// The single allowed value of `prop` in the referenced object schema.
    fn const_value(&self, reference: &str, prop: &str) -> Option<String> {
        let schema = self.component(reference)?;
        let view = View::of(schema);
        let prop_schema = match view.properties?.get(prop)? {
            ReferenceOr::Item(s) => s.as_ref().clone(),
            ReferenceOr::Reference { reference } => self.component(reference)?.clone(),
        };
        let prop_view = View::of(&prop_schema);
        match prop_view.enum_values.as_slice() {
            [Value::String(s)] => Some(s.clone()),
            _ => None,
        }
    }
}

/// Variant names for untagged unions: the member type's own name where it has one.
fn variant_name_for(ty: &TypeRef, index: usize) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::Generic { name, args } => {
            let mut s = name.clone();
            for a in args {
                s.push_str(&variant_name_for(a, index));
            }
            s
        }
        TypeRef::Primitive(p) => match p {
            Primitive::String => "String",
            Primitive::Bool => "Bool",
            Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => "Integer",
            Primitive::F32 | Primitive::F64 => "Number",
            Primitive::Date => "Date",
            Primitive::DateTime => "DateTime",
            Primitive::Uuid => "Uuid",
            Primitive::Decimal => "Decimal",
            Primitive::Binary => "Binary",
        }
        .to_string(),
        TypeRef::List(inner) => format!("{}List", variant_name_for(inner, index)),
        TypeRef::Map(inner) => format!("{}Map", variant_name_for(inner, index)),
        TypeRef::Nullable(inner) => variant_name_for(inner, index),
        TypeRef::Param(p) => p.clone(),
        TypeRef::Any => format!("Variant{index}"),
        TypeRef::External(path) => path.rsplit("::").next().unwrap_or(path).to_string(),
    }
}
