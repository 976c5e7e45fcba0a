//! Schemas → types. Each schema becomes a [`TypeRef`]; schemas that need a Rust definition
//! (objects, enums, unions) also add a [`TypeDef`] under a name derived from where they sit.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::names::{snake_name, type_name, NameScope};
use super::view::View;
use super::Lowerer;
use crate::ir::{Constraints, Docs, EnumValue, Field, Primitive, TypeDef, TypeKind, TypeRef};
use crate::load::escape_pointer;

/// A lowered schema: its type and whether `null` is also allowed.
pub struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub constraints: Constraints,
    pub default: Option<Value>,
    pub docs: Docs,
    pub read_only: bool,
    pub write_only: bool,
}

impl Lowered {
    /// The property `name` of an object, typed by this schema.
    pub(super) fn into_field(
        self,
        name: &str,
        rust_name: String,
        pointer: String,
        required: bool,
    ) -> Field {
        Field {
            name: name.to_string(),
            rust_name,
            pointer,
            ty: self.ty,
            required,
            nullable: self.nullable,
            read_only: self.read_only,
            write_only: self.write_only,
            default: self.default,
            constraints: self.constraints,
            docs: self.docs,
        }
    }
}

pub fn docs_of(view: &View) -> Docs {
    let data = view.data;
    Docs {
        summary: data.title.clone(),
        description: data.description.clone(),
        examples: view.examples(),
        deprecated: data.deprecated,
    }
}

impl Lowerer<'_> {
    /// Lower a schema or reference found at `pointer`; `hint` names any type it defines.
    pub fn lower_ref_or<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &str,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => Lowered {
                ty: self.resolve_schema_ref(reference, pointer),
                nullable: self.ref_is_nullable(reference),
                constraints: Constraints::default(),
                default: None,
                docs: Docs::default(),
                read_only: false,
                write_only: false,
            },
            ReferenceOr::Item(schema) => self.lower_schema(schema.borrow(), hint, pointer),
        }
    }

    /// Whether a referenced component schema is itself nullable (3.1 `anyOf [X, null]` aliases).
    fn ref_is_nullable(&self, reference: &str) -> bool {
        self.component(reference)
            .map(|s| s.schema_data.nullable)
            .unwrap_or(false)
    }

    pub fn component(&self, reference: &str) -> Option<&Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        let schemas = &self.doc.components.as_ref()?.schemas;
        match schemas.get(&unescape(name))? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.component(reference),
        }
    }

    /// The type a `$ref` to a component schema stands for.
    pub fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            self.warn(
                pointer,
                format!("unsupported $ref `{reference}`; typed as any JSON value"),
            );
            return TypeRef::Any;
        };
        let name = unescape(name);
        if self.generic_arg.as_deref() == Some(name.as_str()) {
            return TypeRef::Param("T".into());
        }
        match self.component_types.get(&name) {
            Some(ty) => ty.clone(),
            None => {
                self.warn(
                    pointer,
                    format!("$ref `{reference}` does not resolve; typed as any JSON value"),
                );
                TypeRef::Any
            }
        }
    }

    pub fn lower_schema(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Lowered {
        let view = View::of(schema);
        let docs = docs_of(&view);
        let mut nullable = schema.schema_data.nullable;
        let ty = self.lower_view(&view, hint, pointer, &mut nullable, None);
        let mut lowered = Lowered {
            ty,
            nullable,
            constraints: wrapped_constraints(&view),
            default: schema.schema_data.default.clone(),
            docs,
            read_only: schema.schema_data.read_only,
            write_only: schema.schema_data.write_only,
        };
        self.fit_numbers(
            &lowered.ty,
            &mut lowered.constraints,
            &mut lowered.default,
            &mut lowered.docs.examples,
            pointer,
        );
        lowered
    }

    /// Lower a schema that defines the named type `name` (components), returning its TypeRef.
    /// Non-defining schemas (primitives, lists, refs) become an alias.
    pub fn define_component(
        &mut self,
        schema: &Schema,
        name: &str,
        pointer: &str,
        schema_name: &str,
    ) {
        let view = View::of(schema);
        let mut nullable = schema.schema_data.nullable;
        let ty = self.lower_view(&view, name, pointer, &mut nullable, Some(name));
        let defined_here = matches!(&ty, TypeRef::Named(n) if n == name);
        if defined_here {
            if let Some(def) = self.types.get_mut(name) {
                def.schema_names.push(schema_name.to_string());
            }
        } else {
            let target = if nullable {
                TypeRef::Nullable(Box::new(ty))
            } else {
                ty
            };
            let mut docs = docs_of(&view);
            let mut constraints = view.constraints.clone();
            self.fit_numbers(
                &target,
                &mut constraints,
                &mut None,
                &mut docs.examples,
                pointer,
            );
            self.add_type(TypeDef {
                name: name.to_string(),
                pointer: pointer.to_string(),
                schema_names: vec![schema_name.to_string()],
                docs,
                generics: Vec::new(),
                derives: Vec::new(),
                kind: TypeKind::Alias {
                    target,
                    constraints,
                },
            });
        }
    }

    /// `fixed_name`: the name to define under (components); otherwise a fresh name from `hint`.
    fn lower_view(
        &mut self,
        view: &View,
        hint: &str,
        pointer: &str,
        nullable: &mut bool,
        fixed_name: Option<&str>,
    ) -> TypeRef {
        if view.not {
            self.warn(
                pointer,
                "`not` schemas cannot be typed; using any JSON value",
            );
            return TypeRef::Any;
        }
        if !view.all_of.is_empty() {
            return self.lower_all_of(view, hint, pointer, nullable, fixed_name);
        }
        let union = if !view.one_of.is_empty() {
            view.one_of
        } else {
            view.any_of
        };
        if !union.is_empty() && view.properties.is_none_or(|p| p.is_empty()) {
            let key = if !view.one_of.is_empty() {
                "oneOf"
            } else {
                "anyOf"
            };
            if union.len() == 1 {
                let member = self.lower_ref_or(&union[0], hint, &format!("{pointer}/{key}/0"));
                *nullable |= member.nullable;
                return member.ty;
            }
            return self.lower_union(view, union, key, hint, pointer, fixed_name);
        }
        // String enums become open Rust enums; numeric and boolean enums stay plain numbers and
        // booleans (an unknown value must still decode).
        let string_enum =
            !view.enum_values.is_empty() && view.enum_values.iter().all(Value::is_string);
        if string_enum && view.ty != Some("boolean") {
            let name = self.fresh_name(hint, fixed_name);
            let values = enum_values(&view.enum_values);
            return self.add_type(TypeDef {
                name,
                pointer: pointer.to_string(),
                schema_names: Vec::new(),
                docs: docs_of(view),
                generics: Vec::new(),
                derives: Vec::new(),
                kind: TypeKind::Enum { values },
            });
        }
        // The generator config's Rust type for this format wins over the built-in mapping.
        if let Some(path) = view
            .format
            .as_deref()
            .and_then(|f| self.format_types.get(f))
        {
            if matches!(view.ty, Some("string" | "integer" | "number")) {
                return TypeRef::External(path.clone());
            }
        }
        match view.ty {
            Some("string")
                if view.constraints.pattern.as_deref() == Some(PYDANTIC_DECIMAL_PATTERN) =>
            {
                TypeRef::Primitive(Primitive::Decimal)
            }
            Some("string") => TypeRef::Primitive(string_primitive(view.format.as_deref())),
            Some("integer") => TypeRef::Primitive(match view.format.as_deref() {
                Some("int32") => Primitive::I32,
                Some("uint32") => Primitive::U32,
                Some("uint64" | "uint") => Primitive::U64,
                _ => Primitive::I64,
            }),
            Some("number") => TypeRef::Primitive(match view.format.as_deref() {
                Some("float") => Primitive::F32,
                Some("decimal") => Primitive::Decimal,
                _ => Primitive::F64,
            }),
            Some("boolean") => TypeRef::Primitive(Primitive::Bool),
            Some("array") => {
                let items = match view.items {
                    Some(items) => {
                        let item = self.lower_ref_or(
                            items,
                            &format!("{hint}Item"),
                            &format!("{pointer}/items"),
                        );
                        wrap_nullable(item.ty, item.nullable)
                    }
                    None => TypeRef::Any,
                };
                TypeRef::List(Box::new(items))
            }
            Some("object") | None if view.properties.is_some_and(|p| !p.is_empty()) => {
                self.lower_struct(view, &[], hint, pointer, fixed_name)
            }
            Some("object") => self.map_of(view.additional, hint, pointer),
            None if view.additional.is_some() => self.map_of(view.additional, hint, pointer),
            None => TypeRef::Any,
            Some(other) => {
                self.warn(
                    pointer,
                    format!("unknown type `{other}`; using any JSON value"),
                );
                TypeRef::Any
            }
        }
    }

    fn map_of(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let v = self.lower_ref_or(
                    schema.as_ref(),
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                );
                wrap_nullable(v.ty, v.nullable)
            }
            _ => TypeRef::Any,
        };
        TypeRef::Map(Box::new(value))
    }

    pub(super) fn fresh_name(&mut self, hint: &str, fixed_name: Option<&str>) -> String {
        match fixed_name {
            Some(name) => name.to_string(),
            None => self.type_names.claim(&type_name(hint)),
        }
    }

    /// Objects, with properties gathered from `extra` (allOf members) then the schema's own.
    pub(super) fn lower_struct(
        &mut self,
        view: &View,
        extra: &[(String, Field)],
        hint: &str,
        pointer: &str,
        fixed_name: Option<&str>,
    ) -> TypeRef {
        let name = self.fresh_name(hint, fixed_name);
        // Reserve the name before lowering fields so recursive references find it.
        let mut fields: Vec<Field> = extra.iter().map(|(_, f)| f.clone()).collect();
        let mut scope = NameScope::with_taken(fields.iter().map(|f| f.rust_name.clone()));
        for (prop, schema) in view.properties.into_iter().flatten() {
            let field_pointer = format!("{pointer}/properties/{}", escape_pointer(prop));
            let lowered = self.lower_ref_or(
                schema,
                &format!("{name}{}", type_name(prop)),
                &field_pointer,
            );
            let field = lowered.into_field(
                prop,
                String::new(),
                field_pointer,
                view.required.contains(prop),
            );
            if let Some(existing) = fields.iter_mut().find(|f| f.name == *prop) {
                // A property restated by a later allOf member: the later schema wins.
                let rust_name = std::mem::take(&mut existing.rust_name);
                let required = existing.required || field.required;
                *existing = Field {
                    rust_name,
                    required,
                    ..field
                };
            } else {
                fields.push(Field {
                    rust_name: scope.claim(&snake_name(prop)),
                    ..field
                });
            }
        }
        for field in &mut fields {
            if view.required.contains(&field.name) {
                field.required = true;
            }
        }
        let additional = match view.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let v = self.lower_ref_or(
                    schema.as_ref(),
                    &format!("{name}Extra"),
                    &format!("{pointer}/additionalProperties"),
                );
                Some(wrap_nullable(v.ty, v.nullable))
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            _ => None,
        };
        self.add_type(TypeDef {
            name,
            pointer: pointer.to_string(),
            schema_names: Vec::new(),
            docs: docs_of(view),
            generics: Vec::new(),
            derives: Vec::new(),
            kind: TypeKind::Struct { fields, additional },
        })
    }
}

/// Constraints of a schema, looking through a one-member wrapper (`anyOf: [{maxLength: 5}, null]`).
fn wrapped_constraints(view: &View) -> Constraints {
    let wrapped = match (view.one_of, view.any_of, view.all_of) {
        ([only], [], []) | ([], [only], []) | ([], [], [only]) => Some(only),
        _ => None,
    };
    match wrapped {
        Some(ReferenceOr::Item(member)) if view.constraints.is_empty() => {
            wrapped_constraints(&View::of(member))
        }
        _ => view.constraints.clone(),
    }
}

pub fn wrap_nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && !matches!(ty, TypeRef::Any | TypeRef::Nullable(_)) {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// The pattern pydantic puts on `Decimal` fields serialized as strings.
const PYDANTIC_DECIMAL_PATTERN: &str = r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$";

fn string_primitive(format: Option<&str>) -> Primitive {
    match format {
        Some("date") => Primitive::Date,
        Some("date-time") => Primitive::DateTime,
        Some("uuid") => Primitive::Uuid,
        Some("decimal") => Primitive::Decimal,
        Some("binary") => Primitive::Binary,
        _ => Primitive::String,
    }
}

fn enum_values(values: &[Value]) -> Vec<EnumValue> {
    let mut scope = NameScope::with_taken(["Unknown".to_string()]);
    let mut out: Vec<EnumValue> = Vec::new();
    for value in values.iter().filter_map(Value::as_str) {
        if out.iter().any(|v| v.value == value) {
            continue;
        }
        out.push(EnumValue {
            value: value.to_string(),
            rust_name: scope.claim(&type_name(value)),
        });
    }
    out
}

pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
