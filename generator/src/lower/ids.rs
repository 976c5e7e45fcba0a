//! Typed ids beyond the id schemas themselves. Where the spec names an entity's id schema
//! (`IsometricIDPathParam_CreditBatch_` → `CreditBatchId`, see `components`), the generator
//! also knows that entity's own `id` property and every `<entity>_id` property and query
//! parameter (`credit_batch_id`, `owner_organisation_id`) hold such an id, and types them so.
//! Anything else stays `String`: a name alone, without an id schema for the entity, proves
//! nothing.

use heck::ToSnakeCase;

use crate::ir::{
    InputLocation, Operation, PageStyle, ParamLocation, Primitive, TypeDef, TypeKind, TypeRef,
};

struct Entity {
    /// `credit_batch`.
    snake: String,
    /// `credit_batch_id`, the name of a field or parameter holding one.
    field: String,
    /// The entity's own type (`CreditBatch`), if the spec has it.
    type_name: Option<String>,
    id: String,
}

pub fn apply(types: &mut [TypeDef], operations: &mut [Operation]) {
    let mut entities: Vec<Entity> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Id { entity } => Some(Entity {
                snake: entity.to_snake_case(),
                field: format!("{}_id", entity.to_snake_case()),
                type_name: types
                    .iter()
                    .find(|d| d.schema_names.iter().any(|s| s == entity))
                    .map(|d| d.name.clone()),
                id: t.name.clone(),
            }),
            _ => None,
        })
        .collect();
    if entities.is_empty() {
        return;
    }
    // Longest first: `buffer_pool_refund_id` is a buffer pool refund's, not a refund's.
    entities.sort_by(|a, b| {
        b.snake
            .len()
            .cmp(&a.snake.len())
            .then(a.snake.cmp(&b.snake))
    });
    let id_for = |name: &str| {
        let name = name.to_snake_case();
        entities.iter().find(|e| {
            name.strip_suffix(&e.field)
                .is_some_and(|head| head.is_empty() || head.ends_with('_'))
        })
    };
    for def in types.iter_mut() {
        let own = entities
            .iter()
            .find(|e| e.type_name.as_deref() == Some(def.name.as_str()));
        let TypeKind::Struct { fields, .. } = &mut def.kind else {
            continue;
        };
        for field in fields.iter_mut() {
            let entity = if field.name == "id" {
                own
            } else {
                id_for(&field.name)
            };
            if let Some(entity) = entity {
                retype(&mut field.ty, &entity.id);
            }
        }
    }
    for op in operations.iter_mut() {
        for param in op.params.iter_mut() {
            if matches!(param.location, ParamLocation::Query | ParamLocation::Path) {
                if let Some(entity) = id_for(&param.name) {
                    retype(&mut param.ty, &entity.id);
                }
            }
        }
        // A pager copies values into these parameters: keep its view of their types current.
        if let Some(p) = &mut op.pagination {
            if let (PageStyle::Keyset { id, id_ty, .. }, TypeRef::Named(item)) =
                (&mut p.style, &p.item)
            {
                let field = types
                    .iter()
                    .find(|t| &t.name == item)
                    .and_then(|t| match &t.kind {
                        TypeKind::Struct { fields, .. } => fields
                            .iter()
                            .find(|f| id.steps.len() == 1 && f.name == id.steps[0].name),
                        _ => None,
                    });
                if let Some(field) = field {
                    *id_ty = match &field.ty {
                        TypeRef::Nullable(inner) => (**inner).clone(),
                        other => other.clone(),
                    };
                }
            }
            let inputs = match &mut p.style {
                PageStyle::Cursor { input, .. }
                | PageStyle::Offset { input, .. }
                | PageStyle::PageNumber { input, .. }
                | PageStyle::Keyset { input, .. } => Some(input),
                PageStyle::NextLink { .. } => None,
            };
            if let Some(input) = inputs.filter(|i| i.location == InputLocation::Query) {
                if let Some(param) = op.params.iter().find(|q| q.name == input.name) {
                    input.ty = match &param.ty {
                        TypeRef::Nullable(inner) => (**inner).clone(),
                        other => other.clone(),
                    };
                }
            }
        }
    }
}

/// `String` (or a nullable one) → the id type.
fn retype(ty: &mut TypeRef, id: &str) {
    match ty {
        TypeRef::Primitive(Primitive::String) => *ty = TypeRef::Named(id.to_string()),
        TypeRef::Nullable(inner) => retype(inner, id),
        _ => {}
    }
}
