//! Naming and lowering `components.schemas`.
//!
//! Server frameworks leave artefacts in schema names. Two are recognised generically:
//! - generic families: pydantic names `Page_Project_` (title `Page[Project]`) for what is one
//!   generic type; when every member is the same schema with only the argument swapped, one
//!   generic `Page<T>` is emitted and used as `Page<Project>`;
//! - alias families: many names (`IdPathParam_X_`, `IdQueryParam_X_`, …) for one primitive shape;
//!   when every member has that `Prefix_X_` shape and they share a name prefix, they collapse
//!   into one alias named by that prefix.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::names::type_name;
use super::type_passes::{for_each_ref, for_each_ref_mut};
use super::view::View;
use super::Lowerer;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use crate::load::escape_pointer;

/// `Page_Project_` → (`Page`, `Project`) when `Project` is another component.
fn split_generic<'k>(key: &'k str, keys: &BTreeSet<&str>) -> Option<(&'k str, &'k str)> {
    let inner = key.strip_suffix('_')?;
    // The argument is the longest suffix after a `_` that names a component.
    inner
        .match_indices('_')
        .map(|(i, _)| (&inner[..i], &inner[i + 1..]))
        .find(|(base, arg)| !base.is_empty() && keys.contains(arg))
}

/// Schema JSON with references to `arg` replaced by a marker and titles dropped, for comparing
/// family members.
fn template_of(schema: &Schema, arg: &str) -> Value {
    let mut value = serde_json::to_value(schema).unwrap_or(Value::Null);
    let target = format!("#/components/schemas/{}", escape_pointer(arg));
    fn walk(v: &mut Value, target: &str) {
        match v {
            Value::Object(map) => {
                map.remove("title");
                map.remove("description");
                if map.get("$ref").and_then(Value::as_str) == Some(target) {
                    map.insert("$ref".into(), Value::String("#T".into()));
                }
                map.values_mut().for_each(|c| walk(c, target));
            }
            Value::Array(items) => items.iter_mut().for_each(|c| walk(c, target)),
            _ => {}
        }
    }
    walk(&mut value, &target);
    value
}

/// Shape of a primitive alias (type, format, constraints), ignoring docs and examples.
/// A plain string schema (what an id is).
fn string_signature(schema: Option<&&ReferenceOr<Schema>>) -> bool {
    matches!(schema, Some(ReferenceOr::Item(s)) if View::of(s).ty == Some("string"))
}

fn primitive_signature(schema: &Schema) -> Option<String> {
    let view = View::of(schema);
    let primitive = matches!(view.ty, Some("string" | "integer" | "number" | "boolean"));
    if !primitive || !view.enum_values.is_empty() || schema.schema_data.nullable {
        return None;
    }
    Some(format!(
        "{:?}|{:?}|{:?}",
        view.ty, view.format, view.constraints
    ))
}

/// Upper-camel words of a name: `IsometricIdPathParam` → [Isometric, Id, Path, Param].
fn words(name: &str) -> Vec<String> {
    let camel = name.to_upper_camel_case();
    let mut out = Vec::new();
    let mut current = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn common_word_prefix(names: &[String]) -> String {
    let all: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let Some(first) = all.first() else {
        return String::new();
    };
    let len = (0..first.len())
        .take_while(|&i| all.iter().all(|w| w.get(i) == first.get(i)))
        .count();
    first[..len].concat()
}

impl<'d> Lowerer<'d> {
    /// A component that is only a `$ref` (`Label: {$ref: LabelV2}`) becomes `type Label = …;`,
    /// so the names the spec's readers know exist in Rust too.
    fn alias_component(&mut self, key: &str, target: TypeRef) {
        let name = self.type_names.claim(&type_name(key));
        let reference = self.add_type(TypeDef {
            name,
            pointer: format!("#/components/schemas/{}", escape_pointer(key)),
            schema_names: vec![key.to_string()],
            docs: Default::default(),
            generics: Vec::new(),
            derives: Vec::new(),
            kind: TypeKind::Alias {
                target,
                constraints: Default::default(),
            },
        });
        self.component_types.insert(key.to_string(), reference);
    }

    pub(super) fn lower_components(&mut self) {
        let doc: &'d openapiv3::OpenAPI = self.doc;
        let Some(components) = doc.components.as_ref() else {
            return;
        };
        let schemas: BTreeMap<String, &'d ReferenceOr<Schema>> = components
            .schemas
            .iter()
            .map(|(k, v)| (k.clone(), v))
            .collect();
        let keys: BTreeSet<&str> = schemas.keys().map(String::as_str).collect();

        // Resolve `$ref`-only components to the key they finally name.
        let resolve_key = |key: &str| -> Option<String> {
            let mut key = key.to_string();
            for _ in 0..64 {
                match schemas.get(&key)? {
                    ReferenceOr::Item(_) => return Some(key),
                    ReferenceOr::Reference { reference } => {
                        key = reference.strip_prefix("#/components/schemas/")?.to_string();
                    }
                }
            }
            None
        };

        // 1. Generic families.
        let mut families: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for key in &keys {
            if let (Some((base, arg)), Some(ReferenceOr::Item(_))) =
                (split_generic(key, &keys), schemas.get(*key))
            {
                families.entry(base).or_default().push((key, arg));
            }
        }
        let mut generic_members: BTreeMap<String, (String, String)> = BTreeMap::new(); // key → (family name, arg)
        let mut generic_templates: Vec<(String, String, String)> = Vec::new(); // (name, template key, arg)
        for (base, members) in &families {
            let templates: Vec<Value> = members
                .iter()
                .filter_map(|(key, arg)| match schemas[*key] {
                    ReferenceOr::Item(s) => Some(template_of(s, arg)),
                    ReferenceOr::Reference { .. } => None,
                })
                .collect();
            let is_object = members.iter().all(|(key, _)| {
                matches!(schemas[*key], ReferenceOr::Item(s) if View::of(s).properties.is_some())
            });
            let refers_to_arg = templates
                .first()
                .is_some_and(|t| t.to_string().contains("\"#T\""));
            if !is_object || !refers_to_arg || templates.windows(2).any(|w| w[0] != w[1]) {
                continue;
            }
            let name = self.type_names.claim(&type_name(base));
            let (first_key, first_arg) = members[0];
            generic_templates.push((name.clone(), first_key.to_string(), first_arg.to_string()));
            for (key, arg) in members {
                generic_members.insert(key.to_string(), (name.clone(), arg.to_string()));
            }
        }

        // 2. Alias families: primitive aliases with one shape, each named `Prefix_X_` after
        // another component (`IsometricIDPathParam_Project_`), with a shared name prefix. Plain
        // names that merely share a first word (`UserName`, `UserEmail`) are unrelated types.
        let mut by_signature: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for key in &keys {
            if let (Some(ReferenceOr::Item(s)), Some(_)) =
                (schemas.get(*key), split_generic(key, &keys))
            {
                if let Some(sig) = primitive_signature(s) {
                    by_signature.entry(sig).or_default().push(key);
                }
            }
        }
        // A family never takes the name of a component of its own.
        let component_names: BTreeSet<String> = keys.iter().map(|k| type_name(k)).collect();
        let mut alias_of: BTreeMap<String, String> = BTreeMap::new(); // key → collapsed name
        let mut id_types: Vec<(String, String, Vec<String>)> = Vec::new(); // (name, entity, keys)
        let mut collapsed: Vec<(String, Vec<String>)> = Vec::new();
        for members in by_signature.values() {
            // Also gather `$ref`-only components that resolve into this group.
            let mut group: Vec<String> = members.iter().map(|s| s.to_string()).collect();
            for key in &keys {
                if matches!(schemas[*key], ReferenceOr::Reference { .. }) {
                    if let Some(target) = resolve_key(key) {
                        if members.contains(&target.as_str()) {
                            group.push(key.to_string());
                        }
                    }
                }
            }
            if group.len() < 2 {
                continue;
            }
            let stems: Vec<String> = group
                .iter()
                .map(|k| {
                    split_generic(k, &keys)
                        .map(|(b, _)| b.to_string())
                        .unwrap_or(k.clone())
                })
                .collect();
            let prefix = common_word_prefix(&stems);
            if prefix.is_empty()
                || component_names.contains(&type_name(&prefix))
                || group.iter().any(|k| generic_members.contains_key(k))
            {
                continue;
            }
            let name = self.type_names.claim(&type_name(&prefix));
            group.sort();
            // String ids named after an entity (`…_CreditBatch_`) become one id type per
            // entity, so an organisation's id cannot be passed for a credit batch's.
            let entity_of = |key: &String| {
                let entity = split_generic(key, &keys)?.1;
                (members.iter().any(|m| string_signature(schemas.get(*m)))
                    && matches!(schemas.get(entity), Some(ReferenceOr::Item(_))))
                .then(|| entity.to_string())
            };
            for key in &group {
                let target = match entity_of(key) {
                    Some(entity) => {
                        let id = match id_types.iter().find(|t| t.1 == entity) {
                            Some(t) => t.0.clone(),
                            None => {
                                let id =
                                    self.type_names.claim(&format!("{}Id", type_name(&entity)));
                                id_types.push((id.clone(), entity, Vec::new()));
                                id
                            }
                        };
                        if let Some(t) = id_types.iter_mut().find(|t| t.0 == id) {
                            t.2.push(key.clone());
                        }
                        id
                    }
                    None => name.clone(),
                };
                alias_of.insert(key.clone(), target);
            }
            collapsed.push((name, group));
        }

        // 3. Every other component gets its own name (in key order, so clashes resolve the
        // same way every time).
        let mut plain: Vec<(String, String)> = Vec::new(); // (key, name)
        for key in &keys {
            if generic_members.contains_key(*key) || alias_of.contains_key(*key) {
                continue;
            }
            if let ReferenceOr::Item(_) = schemas[*key] {
                let name = self.type_names.claim(&type_name(key));
                self.component_types
                    .insert(key.to_string(), TypeRef::Named(name.clone()));
                plain.push((key.to_string(), name));
            }
        }
        for (key, name) in &alias_of {
            self.component_types
                .insert(key.clone(), TypeRef::Named(name.clone()));
        }
        // `$ref`-only components keep their spec name as an alias of their target.
        for key in &keys {
            if let (ReferenceOr::Reference { .. }, false) =
                (schemas[*key], alias_of.contains_key(*key))
            {
                if let Some(target) = resolve_key(key) {
                    if let Some(ty) = self.component_types.get(&target).cloned() {
                        self.alias_component(key, ty);
                    }
                }
            }
        }
        // Generic members last: their arguments are known now.
        for (key, (name, arg)) in &generic_members {
            let arg_ty = self
                .component_types
                .get(arg)
                .cloned()
                .unwrap_or(TypeRef::Any);
            self.component_types.insert(
                key.clone(),
                TypeRef::Generic {
                    name: name.clone(),
                    args: vec![arg_ty],
                },
            );
        }
        // Late-resolving `$ref`s to generic members.
        for key in &keys {
            if !self.component_types.contains_key(*key) {
                if let Some(target) = resolve_key(key) {
                    if let Some(ty) = self.component_types.get(&target).cloned() {
                        self.alias_component(key, ty);
                    }
                }
            }
        }

        // Lower the definitions.
        for (key, name) in plain {
            if let ReferenceOr::Item(schema) = schemas[key.as_str()] {
                let pointer = format!("#/components/schemas/{}", escape_pointer(&key));
                self.define_component(schema, &name, &pointer, &key);
            }
        }
        for (name, group) in collapsed {
            let source = group
                .iter()
                .find(|k| matches!(schemas[k.as_str()], ReferenceOr::Item(_)))
                .cloned();
            if let Some(ReferenceOr::Item(schema)) = source.as_deref().map(|k| schemas[k]) {
                let pointer = format!(
                    "#/components/schemas/{}",
                    escape_pointer(source.as_deref().unwrap_or(""))
                );
                self.define_component(schema, &name, &pointer, source.as_deref().unwrap_or(""));
                if let Some(def) = self.types.get_mut(&name) {
                    def.schema_names = group.clone();
                    if let TypeKind::Alias { .. } = def.kind {
                        // Examples of every member, so docs show each ID prefix.
                        let mut examples: Vec<Value> = Vec::new();
                        for key in &group {
                            if let ReferenceOr::Item(s) = schemas[key.as_str()] {
                                for e in View::of(s).examples() {
                                    if !examples.contains(&e) {
                                        examples.push(e);
                                    }
                                }
                            }
                        }
                        def.docs.examples = examples;
                        def.docs.summary = None;
                    }
                }
            }
        }
        for (name, entity, members) in id_types {
            let examples: Vec<Value> = members
                .iter()
                .filter_map(|k| match schemas.get(k.as_str()) {
                    Some(ReferenceOr::Item(s)) => Some(View::of(s).examples()),
                    _ => None,
                })
                .flatten()
                .fold(Vec::new(), |mut all, e| {
                    if !all.contains(&e) {
                        all.push(e);
                    }
                    all
                });
            let pointer = format!("#/components/schemas/{}", escape_pointer(&members[0]));
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    pointer,
                    schema_names: members,
                    docs: crate::ir::Docs {
                        summary: None,
                        description: Some(format!("The id of a [`{}`].", type_name(&entity))),
                        examples,
                        deprecated: false,
                    },
                    generics: Vec::new(),
                    derives: Vec::new(),
                    kind: TypeKind::Id { entity },
                },
            );
        }
        for (name, template_key, arg) in generic_templates {
            if let ReferenceOr::Item(schema) = schemas[template_key.as_str()] {
                let pointer = format!("#/components/schemas/{}", escape_pointer(&template_key));
                let before: BTreeSet<String> = self.types.keys().cloned().collect();
                self.generic_arg = Some(arg);
                self.define_component(schema, &name, &pointer, &template_key);
                self.generic_arg = None;
                let hoisted: BTreeSet<String> = self
                    .types
                    .keys()
                    .filter(|n| !before.contains(*n) && **n != name)
                    .cloned()
                    .collect();
                self.carry_parameter_into(&name, &hoisted);
                if let Some(def) = self.types.get_mut(&name) {
                    def.generics = vec!["T".into()];
                    def.docs.summary = None;
                    def.schema_names = generic_members
                        .iter()
                        .filter(|(_, (n, _))| *n == name)
                        .map(|(k, _)| k.clone())
                        .collect();
                }
            }
        }
    }
}

impl Lowerer<'_> {
    /// Inline types hoisted out of a generic template (`entities: anyOf[string, T]` →
    /// `BulkDeleteActionEntitiesItem`) that mention `T`, directly or through one another, take
    /// the parameter too, and every reference to them passes it on; otherwise they would name a
    /// `T` nothing declares.
    fn carry_parameter_into(&mut self, template: &str, hoisted: &BTreeSet<String>) {
        let mut generic: BTreeSet<String> = BTreeSet::new();
        loop {
            let grown: Vec<String> = hoisted
                .iter()
                .filter(|n| !generic.contains(*n))
                .filter(|n| {
                    let mut mentions = false;
                    for_each_ref(&self.types[*n], &mut |r| {
                        mentions |= mentions_param_or(r, &generic)
                    });
                    mentions
                })
                .cloned()
                .collect();
            if grown.is_empty() {
                break;
            }
            generic.extend(grown);
        }
        if generic.is_empty() {
            return;
        }
        for name in hoisted.iter().map(String::as_str).chain([template]) {
            let Some(def) = self.types.get_mut(name) else {
                continue;
            };
            if generic.contains(name) {
                def.generics = vec!["T".into()];
            }
            for_each_ref_mut(def, &mut |r| apply_parameter(r, &generic));
        }
    }
}

/// Whether `r` is the parameter or names one of `generic` (which will take it).
fn mentions_param_or(r: &TypeRef, generic: &BTreeSet<String>) -> bool {
    match r {
        TypeRef::Param(_) => true,
        TypeRef::Named(n) => generic.contains(n),
        TypeRef::Generic { args, .. } => args.iter().any(|a| mentions_param_or(a, generic)),
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => mentions_param_or(i, generic),
        TypeRef::Primitive(_) | TypeRef::Any | TypeRef::External(_) => false,
    }
}

/// `Item` → `Item<T>` for every type in `generic`.
fn apply_parameter(r: &mut TypeRef, generic: &BTreeSet<String>) {
    match r {
        TypeRef::Named(n) if generic.contains(n) => {
            *r = TypeRef::Generic {
                name: n.clone(),
                args: vec![TypeRef::Param("T".into())],
            }
        }
        TypeRef::Generic { args, .. } => args.iter_mut().for_each(|a| apply_parameter(a, generic)),
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => apply_parameter(i, generic),
        _ => {}
    }
}
