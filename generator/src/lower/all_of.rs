//! `allOf` → one struct with the members' properties merged (later members win), or the single
//! member itself when there is only one.

use openapiv3::{ReferenceOr, Schema};

use super::names::{snake_name, type_name, NameScope};
use super::schema::unescape;
use super::view::View;
use super::Lowerer;
use crate::ir::{Field, TypeRef};
use crate::load::escape_pointer;

impl Lowerer<'_> {
    pub(super) fn lower_all_of(
        &mut self,
        view: &View,
        hint: &str,
        pointer: &str,
        nullable: &mut bool,
        fixed_name: Option<&str>,
    ) -> TypeRef {
        let has_own_shape = view.properties.is_some_and(|p| !p.is_empty());
        // Members that only annotate (`{description: …}`, `{nullable: true}`) add no shape: one
        // shaped member among them is that member, not a merge.
        let shaped: Vec<usize> = (0..view.all_of.len())
            .filter(|&i| match &view.all_of[i] {
                ReferenceOr::Reference { .. } => true,
                ReferenceOr::Item(member) => !is_annotation_only(member),
            })
            .collect();
        if let ([only], false) = (shaped.as_slice(), has_own_shape) {
            for member in view.all_of {
                if let ReferenceOr::Item(member) = member {
                    *nullable |= member.schema_data.nullable;
                }
            }
            let member_pointer = format!("{pointer}/allOf/{only}");
            let member = self.lower_ref_or(&view.all_of[*only], hint, &member_pointer);
            *nullable |= member.nullable;
            return member.ty;
        }
        // Merge the members' properties into one struct.
        let mut fields: Vec<(String, Field)> = Vec::new();
        let mut required: Vec<String> = view.required.to_vec();
        for (i, member) in view.all_of.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{i}");
            let collected = self.collect_fields(member, hint, &member_pointer, 0);
            match collected {
                Some((member_fields, member_required)) => {
                    required.extend(member_required);
                    for field in member_fields {
                        if let Some(slot) = fields.iter_mut().find(|(n, _)| *n == field.name) {
                            slot.1 = Field {
                                rust_name: slot.1.rust_name.clone(),
                                ..field
                            };
                        } else {
                            fields.push((field.name.clone(), field));
                        }
                    }
                }
                None => {
                    if view.all_of.len() == 1 {
                        let member = self.lower_ref_or(member, hint, &member_pointer);
                        return member.ty;
                    }
                    self.warn(
                        &member_pointer,
                        "allOf member is not an object; it is left out of the merged type",
                    );
                }
            }
        }
        let mut scope = NameScope::new();
        for (_, field) in &mut fields {
            field.rust_name = scope.claim(&snake_name(&field.name));
            if required.contains(&field.name) {
                field.required = true;
            }
        }
        let merged_view = View {
            required: &required,
            ..View::of_parts(view)
        };
        self.lower_struct(&merged_view, &fields, hint, pointer, fixed_name)
    }

    /// Fields of an object schema (following refs and nested allOf), or None if not an object.
    fn collect_fields<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &str,
        depth: usize,
    ) -> Option<(Vec<Field>, Vec<String>)> {
        if depth > 32 {
            return None;
        }
        let (schema, pointer, hint): (Schema, String, String) = match schema {
            ReferenceOr::Reference { reference } if self.all_of_merging.contains(reference) => {
                self.warn(
                    pointer,
                    format!("allOf member `{reference}` includes the schema being merged (a cycle); it is left out of the merged type"),
                );
                return Some((Vec::new(), Vec::new()));
            }
            ReferenceOr::Reference { reference } => {
                self.all_of_merging.push(reference.clone());
                let collected = self.collect_component_fields(reference, hint, depth);
                self.all_of_merging.pop();
                return collected;
            }
            ReferenceOr::Item(s) => (s.borrow().clone(), pointer.to_string(), hint.to_string()),
        };
        self.collect_schema_fields(&schema, &pointer, &hint, depth)
    }

    fn collect_component_fields(
        &mut self,
        reference: &str,
        hint: &str,
        depth: usize,
    ) -> Option<(Vec<Field>, Vec<String>)> {
        let schema = self.component(reference)?.clone();
        let name = reference.rsplit('/').next().unwrap_or(hint).to_string();
        let pointer = format!("#/components/schemas/{name}");
        self.collect_schema_fields(&schema, &pointer, &type_name(&unescape(&name)), depth)
    }

    fn collect_schema_fields(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Option<(Vec<Field>, Vec<String>)> {
        let view = View::of(schema);
        let mut fields = Vec::new();
        let mut required = view.required.to_vec();
        for (i, member) in view.all_of.iter().enumerate() {
            let (f, r) =
                self.collect_fields(member, hint, &format!("{pointer}/allOf/{i}"), depth + 1)?;
            fields.extend(f);
            required.extend(r);
        }
        if view.all_of.is_empty() && view.properties.is_none() {
            return None;
        }
        for (prop, prop_schema) in view.properties.into_iter().flatten() {
            let field_pointer = format!("{pointer}/properties/{}", escape_pointer(prop));
            let lowered = self.lower_ref_or(
                prop_schema,
                &format!("{hint}{}", type_name(prop)),
                &field_pointer,
            );
            fields.push(lowered.into_field(
                prop,
                snake_name(prop),
                field_pointer,
                view.required.contains(prop),
            ));
        }
        Some((fields, required))
    }
}

/// A schema with no structural keyword: only docs, nullability, defaults or examples.
fn is_annotation_only(schema: &Schema) -> bool {
    let view = View::of(schema);
    view.ty.is_none()
        && view.format.is_none()
        && view.enum_values.is_empty()
        && view.properties.is_none()
        && view.additional.is_none()
        && view.items.is_none()
        && view.one_of.is_empty()
        && view.any_of.is_empty()
        && view.all_of.is_empty()
        && !view.not
}

impl<'a> View<'a> {
    /// A copy of the view's shape keywords (used to re-borrow with merged `required`).
    fn of_parts(view: &View<'a>) -> View<'a> {
        View {
            data: view.data,
            ty: view.ty,
            format: view.format.clone(),
            enum_values: view.enum_values.clone(),
            properties: view.properties,
            required: view.required,
            additional: view.additional,
            items: view.items,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: false,
            constraints: view.constraints.clone(),
        }
    }
}
