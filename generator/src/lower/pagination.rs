//! Recognising pagination patterns from an operation's parameters and response shape.

use std::collections::BTreeMap;

use crate::ir::{Field, Pagination, ParamLocation, Parameter, TypeDef, TypeKind, TypeRef};

fn struct_fields<'a>(
    ty: &TypeRef,
    types: &'a BTreeMap<String, TypeDef>,
) -> Option<(&'a [Field], Vec<TypeRef>)> {
    let (name, args) = match ty {
        TypeRef::Named(n) => (n, Vec::new()),
        TypeRef::Generic { name, args } => (name, args.clone()),
        _ => return None,
    };
    match &types.get(name)?.kind {
        TypeKind::Struct { fields, .. } => Some((fields, args)),
        TypeKind::Alias { target, .. } => struct_fields(target, types),
        _ => None,
    }
}

fn substitute(ty: &TypeRef, args: &[TypeRef]) -> TypeRef {
    match ty {
        TypeRef::Param(_) => args.first().cloned().unwrap_or(TypeRef::Any),
        other => other.clone(),
    }
}

/// Relay connections: `first` + `after` query parameters, and a response with `nodes` (a list)
/// and `page_info` holding `has_next_page` and `end_cursor`.
pub fn detect_relay(
    params: &[Parameter],
    response: &TypeRef,
    types: &BTreeMap<String, TypeDef>,
) -> Option<Pagination> {
    let query = |name: &str| {
        params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.name == name)
    };
    let first = query("first")?;
    let after = query("after")?;
    let (fields, args) = struct_fields(response, types)?;
    let nodes = fields.iter().find(|f| f.name == "nodes")?;
    let TypeRef::List(item) = &nodes.ty else {
        return None;
    };
    let page_info = fields.iter().find(|f| f.name == "page_info")?;
    let (info_fields, _) = struct_fields(&page_info.ty, types)?;
    let has = |name: &str| info_fields.iter().any(|f| f.name == name);
    if !has("has_next_page") || !has("end_cursor") {
        return None;
    }
    Some(Pagination::Relay {
        first: first.rust_name.clone(),
        after: after.rust_name.clone(),
        last: query("last").map(|p| p.rust_name.clone()),
        before: query("before").map(|p| p.rust_name.clone()),
        max_page_size: first.constraints.maximum.map(|m| m as u64),
        item: substitute(item, &args),
    })
}
