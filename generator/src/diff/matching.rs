//! Pairing old type definitions with new ones. In order: same name at the same pointer; same
//! pointer (a Rust rename, e.g. a name clash shifted or an operationId changed); same name;
//! then same structure ignoring docs and names (a renamed schema). What is left is removed or
//! added.

use std::collections::{BTreeMap, HashMap};

use super::compare::{rename, Renames};
use crate::ir::{Field, TypeDef, TypeKind};

pub struct Matched<'a> {
    /// (old, new) pairs; `old.name != new.name` means a rename.
    pub pairs: Vec<(&'a TypeDef, &'a TypeDef)>,
    pub renames: Renames,
    /// Old types nothing in the new spec corresponds to (new-only types are not reported).
    pub removed: Vec<&'a TypeDef>,
}

/// The part of a definition that is its wire shape: docs, pointers and names left out, type
/// references put in the new spec's names.
fn shape(def: &TypeDef, renames: &Renames) -> (Vec<String>, TypeKind) {
    let field = |f: &Field| Field {
        pointer: String::new(),
        docs: Default::default(),
        ty: rename(&f.ty, renames),
        ..f.clone()
    };
    let kind = match &def.kind {
        TypeKind::Struct { fields, additional } => TypeKind::Struct {
            fields: fields.iter().map(field).collect(),
            additional: additional.as_ref().map(|a| rename(a, renames)),
        },
        TypeKind::Enum { values } => TypeKind::Enum {
            values: values.clone(),
        },
        TypeKind::Id { entity } => TypeKind::Id {
            entity: entity.clone(),
        },
        TypeKind::TaggedUnion {
            tag,
            variants,
            tag_optional,
        } => TypeKind::TaggedUnion {
            tag: tag.clone(),
            tag_optional: *tag_optional,
            variants: variants
                .iter()
                .map(|v| crate::ir::Variant {
                    rust_name: String::new(),
                    ty: rename(&v.ty, renames),
                    tag_value: v.tag_value.clone(),
                })
                .collect(),
        },
        TypeKind::UntaggedUnion { variants } => TypeKind::UntaggedUnion {
            variants: variants
                .iter()
                .map(|v| crate::ir::Variant {
                    rust_name: String::new(),
                    ty: rename(&v.ty, renames),
                    tag_value: None,
                })
                .collect(),
        },
        TypeKind::Alias {
            target,
            constraints,
        } => TypeKind::Alias {
            target: rename(target, renames),
            constraints: constraints.clone(),
        },
    };
    (def.generics.clone(), kind)
}

pub fn match_types<'a>(old: &'a [TypeDef], new: &'a [TypeDef]) -> Matched<'a> {
    let mut old_left: Left<'a> = old.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut new_left: Left<'a> = new.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut pairs: Vec<(&TypeDef, &TypeDef)> = Vec::new();
    let mut renames: Renames = HashMap::new();

    // 1. Same name, same pointer.
    for o in old {
        if let Some(n) = new_left
            .get(o.name.as_str())
            .copied()
            .filter(|n| n.pointer == o.pointer && same_arity(o, n))
        {
            take(o, n, &mut pairs, &mut old_left, &mut new_left);
        }
    }
    // 2. Same pointer, when it identifies exactly one definition on each side.
    let by_pointer = |left: &Left<'a>| {
        let mut m: HashMap<String, Vec<&'a TypeDef>> = HashMap::new();
        for t in left.values() {
            m.entry(t.pointer.clone()).or_default().push(t);
        }
        m
    };
    let old_ptr = by_pointer(&old_left);
    let new_ptr = by_pointer(&new_left);
    let mut ptr_pairs: Vec<(&TypeDef, &TypeDef)> = old_ptr
        .iter()
        .filter_map(
            |(p, os)| match (os.as_slice(), new_ptr.get(p).map(Vec::as_slice)) {
                ([o], Some([n])) if same_arity(o, n) => Some((*o, *n)),
                _ => None,
            },
        )
        .collect();
    ptr_pairs.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    // Pointer pairs whose names are both free (same name handled by step 3).
    for (o, n) in ptr_pairs {
        take(o, n, &mut pairs, &mut old_left, &mut new_left);
    }
    // 3. Same name.
    let names: Vec<&str> = old_left.keys().copied().collect();
    for name in names {
        if let (Some(o), Some(n)) = (old_left.get(name).copied(), new_left.get(name).copied()) {
            if !same_arity(o, n) {
                continue;
            }
            take(o, n, &mut pairs, &mut old_left, &mut new_left);
        }
    }
    for (o, n) in &pairs {
        if o.name != n.name {
            renames.insert(o.name.clone(), n.name.clone());
        }
    }
    // 4. Same structure, repeated so renamed types referring to renamed types are found too.
    loop {
        let mut progress = false;
        let new_shapes: Vec<(&TypeDef, (Vec<String>, TypeKind))> = new_left
            .values()
            .map(|n| (*n, shape(n, &HashMap::new())))
            .collect();
        let olds: Vec<&TypeDef> = old_left.values().copied().collect();
        for o in olds {
            let s = shape(o, &renames);
            if let Some((n, _)) = new_shapes
                .iter()
                .find(|(n, ns)| *ns == s && new_left.contains_key(n.name.as_str()))
            {
                renames.insert(o.name.clone(), n.name.clone());
                take(o, n, &mut pairs, &mut old_left, &mut new_left);
                progress = true;
            }
        }
        if !progress || old_left.is_empty() || new_left.is_empty() {
            break;
        }
    }
    Matched {
        pairs,
        renames,
        removed: old_left.into_values().collect(),
    }
}

/// A generic type and a plain one are never the same type: a family template shares its pointer
/// with the member it was lowered from.
fn same_arity(o: &TypeDef, n: &TypeDef) -> bool {
    o.generics.len() == n.generics.len()
}

type Left<'a> = BTreeMap<&'a str, &'a TypeDef>;

fn take<'a>(
    o: &'a TypeDef,
    n: &'a TypeDef,
    pairs: &mut Vec<(&'a TypeDef, &'a TypeDef)>,
    old_left: &mut Left<'a>,
    new_left: &mut Left<'a>,
) {
    old_left.remove(o.name.as_str());
    new_left.remove(n.name.as_str());
    pairs.push((o, n));
}
