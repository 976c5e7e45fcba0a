//! References that switch to a different named type. When the old type is gone from the new
//! spec (or the new one did not exist before), the reference was *replaced*: a generic family
//! member that split off (`PaginatedListResource<Project>` → `PaginatedListResourceProject`), a
//! component renamed and edited at once. Then the two types' shapes are compared, so the report
//! says what changed on the wire, and the Rust type change is reported on its own; a plain
//! "type changed" would call a wire-compatible change breaking.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::compare::{show, Renames};
use super::model::{Change, Ctx};
use super::types::{diff_def, Sink};
use crate::ir::{Api, TypeDef, TypeKind, TypeRef, Variant};

pub struct Env<'a> {
    pub renames: &'a Renames,
    old: HashMap<&'a str, &'a TypeDef>,
    new: HashMap<&'a str, &'a TypeDef>,
    /// Old type names in the new spec's terms.
    old_in_new: HashSet<String>,
    /// (old, new) pairs already compared, so recursive types terminate.
    seen: RefCell<HashSet<(String, String)>>,
}

fn named(r: &TypeRef) -> Option<(&str, &[TypeRef])> {
    match r {
        TypeRef::Named(n) => Some((n, &[])),
        TypeRef::Generic { name, args } => Some((name, args)),
        _ => None,
    }
}

/// Peel wrappers both sides share: `Vec<A>` vs `Vec<B>` → `A` vs `B`.
fn peel<'r>(old: &'r TypeRef, new: &'r TypeRef) -> (&'r TypeRef, &'r TypeRef) {
    match (old, new) {
        (TypeRef::List(a), TypeRef::List(b))
        | (TypeRef::Map(a), TypeRef::Map(b))
        | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => peel(a, b),
        (TypeRef::Nullable(a), b) => peel(a, b),
        (a, TypeRef::Nullable(b)) => peel(a, b),
        _ => (old, new),
    }
}

fn subst(r: &TypeRef, generics: &[String], args: &[TypeRef]) -> TypeRef {
    match r {
        TypeRef::Param(p) => generics
            .iter()
            .position(|g| g == p)
            .and_then(|i| args.get(i).cloned())
            .unwrap_or_else(|| r.clone()),
        TypeRef::Generic { name, args: inner } => TypeRef::Generic {
            name: name.clone(),
            args: inner.iter().map(|a| subst(a, generics, args)).collect(),
        },
        TypeRef::List(i) => TypeRef::List(Box::new(subst(i, generics, args))),
        TypeRef::Map(i) => TypeRef::Map(Box::new(subst(i, generics, args))),
        TypeRef::Nullable(i) => TypeRef::Nullable(Box::new(subst(i, generics, args))),
        other => other.clone(),
    }
}

/// A definition with its generic parameters applied, named as the reference reads.
fn expand(def: &TypeDef, reference: &TypeRef, args: &[TypeRef]) -> TypeDef {
    let s = |r: &TypeRef| subst(r, &def.generics, args);
    let variants = |vs: &[Variant]| {
        vs.iter()
            .map(|v| Variant {
                ty: s(&v.ty),
                ..v.clone()
            })
            .collect()
    };
    let kind = match &def.kind {
        TypeKind::Struct { fields, additional } => TypeKind::Struct {
            fields: fields
                .iter()
                .map(|f| crate::ir::Field {
                    ty: s(&f.ty),
                    ..f.clone()
                })
                .collect(),
            additional: additional.as_ref().map(s),
        },
        TypeKind::TaggedUnion {
            tag,
            variants: vs,
            tag_optional,
        } => TypeKind::TaggedUnion {
            tag: tag.clone(),
            tag_optional: *tag_optional,
            variants: variants(vs),
        },
        TypeKind::UntaggedUnion { variants: vs } => TypeKind::UntaggedUnion {
            variants: variants(vs),
        },
        TypeKind::Alias {
            target,
            constraints,
        } => TypeKind::Alias {
            target: s(target),
            constraints: constraints.clone(),
        },
        TypeKind::Enum { values } => TypeKind::Enum {
            values: values.clone(),
        },
        TypeKind::Id { entity } => TypeKind::Id {
            entity: entity.clone(),
        },
    };
    TypeDef {
        name: show(reference),
        generics: Vec::new(),
        kind,
        ..def.clone()
    }
}

impl<'a> Env<'a> {
    pub fn new(old: &'a Api, new: &'a Api, renames: &'a Renames) -> Env<'a> {
        let map_name = |n: &str| renames.get(n).cloned().unwrap_or_else(|| n.to_string());
        Env {
            renames,
            old: old.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            new: new.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            old_in_new: old.types.iter().map(|t| map_name(&t.name)).collect(),
            seen: RefCell::new(HashSet::new()),
        }
    }

    /// If `old` → `new` is a replacement (see the module docs), compare the two types' shapes
    /// into `out` (entries sit at the types' own pointers, so several sites merge into one) and
    /// return true; the caller then reports only the Rust type change. False: a plain change.
    pub fn replaced(
        &self,
        old: &TypeRef,
        new: &TypeRef,
        ctx: Ctx,
        ops: &[String],
        out: &mut Vec<Change>,
    ) -> bool {
        let (o, n) = peel(old, new);
        let (Some((o_name, o_args)), Some((n_name, n_args))) = (named(o), named(n)) else {
            return false;
        };
        let o_in_new = self
            .renames
            .get(o_name)
            .map(String::as_str)
            .unwrap_or(o_name);
        let replacement = !self.new.contains_key(o_in_new) || !self.old_in_new.contains(n_name);
        let (Some(od), Some(nd)) = (self.old.get(o_name), self.new.get(n_name)) else {
            return false;
        };
        if o_in_new == n_name || !replacement {
            return false;
        }
        let old_def = expand(od, o, o_args);
        let new_def = expand(nd, n, n_args);
        if self
            .seen
            .borrow_mut()
            .insert((old_def.name.clone(), new_def.name.clone()))
        {
            let mut sink = Sink {
                env: self,
                ops: ops.to_vec(),
                out,
            };
            diff_def(&old_def, &new_def, ctx.or_both(), &mut sink);
        }
        true
    }

    /// Location and message for a replaced reference at `location`. A generic family that no
    /// longer exists (one member diverged, so every use became its own struct) is one entry at
    /// the family's old pointer, merging every site.
    pub fn replacement(
        &self,
        what: &str,
        old: &TypeRef,
        new: &TypeRef,
        location: &str,
    ) -> (String, String) {
        let (o, n) = peel(old, new);
        if let TypeRef::Generic { name, .. } = o {
            let in_new = self.renames.get(name).unwrap_or(name);
            if let (false, Some(def)) = (
                self.new.contains_key(in_new.as_str()),
                self.old.get(name.as_str()),
            ) {
                let msg = format!(
                    "generic type `{name}<{}>` is gone: each use is now its own type (`{name}<X>` → `{name}X`); wire differences, if any, are listed separately",
                    def.generics.join(", ")
                );
                return (def.pointer.clone(), msg);
            }
        }
        let msg = format!(
            "{what} is now `{}` instead of `{}` in Rust (wire differences, if any, are listed separately)",
            show(n),
            show(o)
        );
        (location.to_string(), msg)
    }
}
