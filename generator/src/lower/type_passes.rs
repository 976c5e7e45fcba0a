//! Passes over the lowered types and operations: dropping a tagged union's tag from its variant
//! structs, dropping inline types nothing uses, and walking every type reference of an item.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Operation, TypeDef, TypeKind, TypeRef};

/// Remove the tag property from structs that are variants of an internally tagged union (serde
/// reads and writes the tag itself), unless the struct is also used on its own; then the union
/// falls back to untagged decoding so the field keeps its value.
pub(super) fn strip_tag_fields(types: &mut [TypeDef], operations: &[Operation]) {
    // `type CatRef = Cat;` is the same struct under another name: count it as `Cat`, and the
    // alias itself is not a use.
    let aliases = alias_targets(types.iter());
    let resolve = |name: &String| aliases.get(name).cloned().unwrap_or_else(|| name.clone());
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    let mut variant_uses: BTreeMap<String, Vec<String>> = BTreeMap::new(); // struct → tags
    let count = |r: &TypeRef, uses: &mut BTreeMap<String, usize>| {
        let mut named = BTreeMap::new();
        count_named(r, &mut named);
        for (name, n) in named {
            *uses.entry(resolve(&name)).or_default() += n;
        }
    };
    for def in types.iter() {
        if let TypeKind::TaggedUnion { tag, variants, .. } = &def.kind {
            for v in variants {
                if let TypeRef::Named(n) = &v.ty {
                    variant_uses
                        .entry(resolve(n))
                        .or_default()
                        .push(tag.clone());
                }
            }
        }
        if !aliases.contains_key(&def.name) {
            for_each_ref(def, &mut |r| count(r, &mut uses));
        }
    }
    for op in operations {
        for r in op.type_refs() {
            count(r, &mut uses);
        }
    }
    let mut keep_untagged: BTreeSet<String> = BTreeSet::new();
    for (name, tags) in &variant_uses {
        let standalone = uses.get(name).copied().unwrap_or(0) > tags.len();
        if standalone {
            keep_untagged.insert(name.clone());
        }
    }
    for def in types.iter_mut() {
        match &mut def.kind {
            TypeKind::TaggedUnion { variants, .. }
                if variants.iter().any(
                    |v| matches!(&v.ty, TypeRef::Named(n) if keep_untagged.contains(&resolve(n))),
                ) =>
            {
                let variants = std::mem::take(variants);
                def.kind = TypeKind::UntaggedUnion { variants };
            }
            TypeKind::Struct { fields, .. } => {
                if let Some(tags) = variant_uses.get(&def.name) {
                    if !keep_untagged.contains(&def.name) {
                        fields.retain(|f| !tags.contains(&f.name));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Drop inline types (no component name) that nothing references any more, e.g. the enum of a
/// tag property removed above.
pub(super) fn drop_unreferenced_inline_types(types: &mut Vec<TypeDef>, operations: &[Operation]) {
    loop {
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for def in types.iter() {
            for_each_ref(def, &mut |r| count_named(r, &mut uses));
        }
        for op in operations {
            op.type_refs()
                .into_iter()
                .for_each(|r| count_named(r, &mut uses));
        }
        let before = types.len();
        types.retain(|d| !d.schema_names.is_empty() || uses.contains_key(&d.name));
        if types.len() == before {
            return;
        }
    }
}

/// Aliases of other named types (`type Label = LabelV3;`), each mapped to the struct, enum or
/// union it finally names.
fn alias_targets<'a>(types: impl IntoIterator<Item = &'a TypeDef>) -> BTreeMap<String, String> {
    let direct: BTreeMap<&str, &str> = types
        .into_iter()
        .filter_map(|d| match &d.kind {
            TypeKind::Alias {
                target: TypeRef::Named(t),
                ..
            } => Some((d.name.as_str(), t.as_str())),
            _ => None,
        })
        .collect();
    direct
        .keys()
        .map(|&name| {
            let mut end = name;
            // Chains are short; the bound only guards against a malformed loop.
            for _ in 0..direct.len() {
                match direct.get(end) {
                    Some(next) => end = next,
                    None => break,
                }
            }
            (name.to_owned(), end.to_owned())
        })
        .collect()
}

fn count_named(r: &TypeRef, uses: &mut BTreeMap<String, usize>) {
    match r {
        TypeRef::Named(n) => *uses.entry(n.clone()).or_default() += 1,
        TypeRef::Generic { name, args } => {
            *uses.entry(name.clone()).or_default() += 1;
            args.iter().for_each(|a| count_named(a, uses));
        }
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => count_named(i, uses),
        _ => {}
    }
}

/// Every type reference a definition makes.
pub fn for_each_ref(def: &TypeDef, f: &mut dyn FnMut(&TypeRef)) {
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            fields.iter().for_each(|x| f(&x.ty));
            if let Some(a) = additional {
                f(a);
            }
        }
        TypeKind::TaggedUnion { variants, .. } | TypeKind::UntaggedUnion { variants } => {
            variants.iter().for_each(|v| f(&v.ty))
        }
        TypeKind::Alias { target, .. } => f(target),
        TypeKind::Enum { .. } | TypeKind::Id { .. } => {}
    }
}

/// Every type reference a definition makes, to rewrite.
pub(super) fn for_each_ref_mut(def: &mut TypeDef, f: &mut dyn FnMut(&mut TypeRef)) {
    match &mut def.kind {
        TypeKind::Struct { fields, additional } => {
            fields.iter_mut().for_each(|x| f(&mut x.ty));
            if let Some(a) = additional {
                f(a);
            }
        }
        TypeKind::TaggedUnion { variants, .. } | TypeKind::UntaggedUnion { variants } => {
            variants.iter_mut().for_each(|v| f(&mut v.ty))
        }
        TypeKind::Alias { target, .. } => f(target),
        TypeKind::Enum { .. } | TypeKind::Id { .. } => {}
    }
}

impl Operation {
    /// Every type reference the operation makes (parameters, bodies, responses).
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        let mut out: Vec<&TypeRef> = self.params.iter().map(|p| &p.ty).collect();
        if let Some(body) = &self.body {
            out.extend(body.contents.iter().filter_map(|c| c.ty.as_ref()));
        }
        for r in &self.responses {
            out.extend(r.contents.iter().filter_map(|c| c.ty.as_ref()));
        }
        out
    }
}
