//! The generator config applied to the lowered model: schemas replaced by the user's own Rust
//! types, renamed types, fields and methods, extra derives. Every name the config gives must
//! exist, and no rename may collide with another name; otherwise an error names the key.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::error::Result;
use crate::ir::{Constraints, Operation, PageStyle, TypeDef, TypeKind, TypeRef};

pub fn apply(config: &Config, types: &mut [TypeDef], operations: &mut [Operation]) -> Result<()> {
    replace_schemas(config, types)?;
    rename_types(config, types, operations)?;
    rename_properties(config, types)?;
    rename_operations(config, operations)?;
    add_derives(config, types)
}

/// The type a config key names: by `components.schemas` key, else by generated Rust name.
fn find(types: &[TypeDef], name: &str) -> Option<usize> {
    types
        .iter()
        .position(|t| t.schema_names.iter().any(|s| s == name))
        .or_else(|| types.iter().position(|t| t.name == name))
}

fn replace_schemas(config: &Config, types: &mut [TypeDef]) -> Result<()> {
    for (schema, external) in &config.types.schema {
        let index = find(types, schema).ok_or_else(|| {
            config.error(
                &format!("types.schema.{schema}"),
                format!("the spec has no schema `{schema}`"),
            )
        })?;
        types[index].kind = TypeKind::Alias {
            target: TypeRef::External(external.path.clone()),
            constraints: Constraints::default(),
        };
        types[index].generics.clear();
    }
    Ok(())
}

fn rename_types(
    config: &Config,
    types: &mut [TypeDef],
    operations: &mut [Operation],
) -> Result<()> {
    let mut map = BTreeMap::new();
    for (from, to) in &config.rename.types {
        let key = format!("rename.types.{from}");
        let index = find(types, from)
            .ok_or_else(|| config.error(&key, format!("the spec has no schema `{from}`")))?;
        map.insert(types[index].name.clone(), to.clone());
    }
    let kept: BTreeSet<&str> = types
        .iter()
        .map(|t| t.name.as_str())
        .filter(|n| !map.contains_key(*n))
        .collect();
    let mut targets = BTreeSet::new();
    for (from, to) in &config.rename.types {
        if kept.contains(to.as_str()) || !targets.insert(to.as_str()) || reserved(to) {
            return Err(config.error(
                &format!("rename.types.{from}"),
                format!("`{to}` is already the name of another type"),
            ));
        }
    }
    if map.is_empty() {
        return Ok(());
    }
    let rename = |ty: &mut TypeRef| rename_refs(ty, &map);
    for def in types.iter_mut() {
        if let Some(to) = map.get(&def.name) {
            def.name = to.clone();
        }
        super::type_passes::for_each_ref_mut(def, &mut |t| rename(t));
    }
    for op in operations.iter_mut() {
        for_each_operation_ref_mut(op, &mut |t| rename(t));
    }
    Ok(())
}

/// Names the generated crate defines beside the models.
fn reserved(name: &str) -> bool {
    matches!(name, "Client" | "ClientBuilder" | "Environment" | "Error")
}

fn rename_properties(config: &Config, types: &mut [TypeDef]) -> Result<()> {
    for (key, to) in &config.rename.properties {
        let config_key = format!("rename.properties.\"{key}\"");
        let (schema, property) = key.rsplit_once('.').unwrap_or((key, ""));
        let index = find(types, schema).ok_or_else(|| {
            config.error(&config_key, format!("the spec has no schema `{schema}`"))
        })?;
        let TypeKind::Struct { fields, .. } = &mut types[index].kind else {
            return Err(config.error(&config_key, format!("`{schema}` is not an object")));
        };
        if fields
            .iter()
            .any(|f| f.rust_name == *to && f.name != property)
        {
            return Err(config.error(
                &config_key,
                format!("`{schema}` already has a field named `{to}`"),
            ));
        }
        let field = fields
            .iter_mut()
            .find(|f| f.name == property)
            .ok_or_else(|| {
                config.error(
                    &config_key,
                    format!("`{schema}` has no property `{property}`"),
                )
            })?;
        field.rust_name = to.clone();
    }
    Ok(())
}

fn rename_operations(config: &Config, operations: &mut [Operation]) -> Result<()> {
    for (id, to) in &config.rename.operations {
        let key = format!("rename.operations.{id}");
        if operations.iter().any(|o| o.rust_name == *to && o.id != *id) {
            return Err(config.error(
                &key,
                format!("`{to}` is already the name of another method"),
            ));
        }
        let op = operations.iter_mut().find(|o| o.id == *id).ok_or_else(|| {
            config.error(
                &key,
                format!("the spec has no operation with operationId `{id}`"),
            )
        })?;
        op.rust_name = to.clone();
    }
    Ok(())
}

fn add_derives(config: &Config, types: &mut [TypeDef]) -> Result<()> {
    for (name, derives) in &config.types.derive {
        let index = find(types, name).ok_or_else(|| {
            config.error(
                &format!("types.derive.{name}"),
                format!("the spec has no schema `{name}`"),
            )
        })?;
        types[index].derives.extend(derives.iter().cloned());
    }
    for def in types.iter_mut() {
        if !matches!(def.kind, TypeKind::Alias { .. }) {
            def.derives.extend(config.types.derives.iter().cloned());
        }
        let mut seen = BTreeSet::new();
        def.derives.retain(|d| seen.insert(d.clone()));
    }
    Ok(())
}

fn rename_refs(ty: &mut TypeRef, map: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(name) | TypeRef::Generic { name, .. } if map.contains_key(name.as_str()) => {
            *name = map[name.as_str()].clone();
        }
        _ => {}
    }
    match ty {
        TypeRef::Generic { args, .. } => args.iter_mut().for_each(|a| rename_refs(a, map)),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            rename_refs(inner, map)
        }
        _ => {}
    }
}

fn for_each_operation_ref_mut(op: &mut Operation, f: &mut dyn FnMut(&mut TypeRef)) {
    op.params.iter_mut().for_each(|p| f(&mut p.ty));
    let contents = op
        .body
        .iter_mut()
        .flat_map(|b| b.contents.iter_mut())
        .chain(op.responses.iter_mut().flat_map(|r| r.contents.iter_mut()));
    for c in contents {
        if let Some(ty) = &mut c.ty {
            f(ty);
        }
    }
    if let Some(p) = &mut op.pagination {
        f(&mut p.item);
        if let Some(size) = &mut p.page_size {
            f(&mut size.ty);
        }
        match &mut p.style {
            PageStyle::Cursor {
                input, token_ty, ..
            } => {
                f(&mut input.ty);
                f(token_ty);
            }
            PageStyle::Keyset { input, id_ty, .. } => {
                f(&mut input.ty);
                f(id_ty);
            }
            PageStyle::Offset { input, .. } | PageStyle::PageNumber { input, .. } => {
                f(&mut input.ty)
            }
            PageStyle::NextLink { .. } => {}
        }
    }
}
