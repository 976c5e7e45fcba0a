//! Differences inside matched type definitions: fields, enum values, union variants, aliases.
//! Each is reported once, at the definition (or field) where it happens; parents that refer to
//! the type by name see no difference, so nothing cascades.

use super::compare::{self, compare, show, RefDiff};
use super::fields::{diff_additional, diff_struct};
use super::matching::Matched;
use super::model::{Change, Class, Ctx, Kind};
use super::reach::{Both, Reach};
use super::retype::Env;
use crate::ir::{Constraints, TypeDef, TypeKind, TypeRef};

pub(super) struct Sink<'a> {
    pub env: &'a Env<'a>,
    pub ops: Vec<String>,
    pub out: &'a mut Vec<Change>,
}

impl Sink<'_> {
    pub fn push(&mut self, kind: Kind, class: Class, rust: bool, location: &str, message: String) {
        self.out
            .push(Change::new(kind, class, rust, location, message).with_ops(self.ops.clone()));
    }

    /// Constraint keywords that changed: narrowed ones break requests, widened ones are reported.
    pub fn constraints(
        &mut self,
        what: &str,
        old: &Constraints,
        new: &Constraints,
        ctx: Ctx,
        location: &str,
    ) {
        for c in compare::constraints(old, new) {
            let (kind, class) = if c.narrowed {
                (Kind::ConstraintNarrowed, Class::breaking_if(ctx.request))
            } else {
                (Kind::ConstraintWidened, Class::NonBreaking)
            };
            self.push(
                kind,
                class,
                false,
                location,
                format!(
                    "{what}: {} ({})",
                    c.detail,
                    if c.narrowed { "narrowed" } else { "widened" }
                ),
            );
        }
    }
}

pub fn diff_types(
    matched: &Matched,
    env: &Env,
    both: &Both,
    old_all: &Reach,
    out: &mut Vec<Change>,
) {
    for (o, n) in &matched.pairs {
        let (ops, ctx) = both.of(Some(&o.name), Some(&n.name));
        let mut sink = Sink { env, ops, out };
        if o.name != n.name {
            sink.push(
                Kind::SchemaRenamed,
                Class::NonBreaking,
                true,
                &n.pointer,
                format!("type `{}` is now `{}`", o.name, n.name),
            );
        }
        diff_def(o, n, ctx.or_both(), &mut sink);
    }
    for o in &matched.removed {
        // A removed type that something used shows up where it was used; only orphans here.
        if old_all.usage(&o.name).is_none() {
            out.push(Change::new(
                Kind::SchemaRemoved,
                Class::NonBreaking,
                true,
                &o.pointer,
                format!("type `{}` was removed", o.name),
            ));
        }
    }
}

pub(super) fn diff_def(o: &TypeDef, n: &TypeDef, ctx: Ctx, sink: &mut Sink) {
    if o.generics != n.generics {
        let msg = format!(
            "`{}` generic parameters changed from {:?} to {:?}",
            n.name, o.generics, n.generics
        );
        sink.push(
            Kind::TypeKindChanged,
            Class::Breaking,
            true,
            &n.pointer,
            msg,
        );
        return;
    }
    match (&o.kind, &n.kind) {
        (
            TypeKind::Struct {
                fields: of,
                additional: oa,
            },
            TypeKind::Struct {
                fields: nf,
                additional: na,
            },
        ) => {
            diff_struct(n, of, nf, ctx, sink);
            diff_additional(n, oa.as_ref(), na.as_ref(), sink);
        }
        (TypeKind::Enum { values: ov }, TypeKind::Enum { values: nv }) => {
            for v in ov.iter().filter(|v| !nv.iter().any(|w| w.value == v.value)) {
                let msg = format!(
                    "`{}` no longer has the value `{}` (variant `{}`)",
                    n.name, v.value, v.rust_name
                );
                sink.push(
                    Kind::EnumValueRemoved,
                    Class::breaking_if(ctx.request),
                    true,
                    &o.pointer,
                    msg,
                );
            }
            for v in nv.iter().filter(|v| !ov.iter().any(|w| w.value == v.value)) {
                let msg = format!("`{}` gained the value `{}`", n.name, v.value);
                sink.push(
                    Kind::EnumValueAdded,
                    Class::NonBreaking,
                    false,
                    &n.pointer,
                    msg,
                );
            }
        }
        (
            TypeKind::TaggedUnion {
                tag: ot,
                variants: ov,
                ..
            },
            TypeKind::TaggedUnion {
                tag: nt,
                variants: nv,
                ..
            },
        ) => {
            if ot != nt {
                let msg = format!("`{}` is now told apart by `{nt}` instead of `{ot}`", n.name);
                sink.push(
                    Kind::UnionTagChanged,
                    Class::Breaking,
                    false,
                    &n.pointer,
                    msg,
                );
            }
            let key = |v: &crate::ir::Variant| v.tag_value.clone().unwrap_or_default();
            for v in ov {
                match nv.iter().find(|w| key(w) == key(v)) {
                    None => variant_removed(o, n, &key(v), ctx, sink),
                    Some(w)
                        if compare(&v.ty, false, &w.ty, false, sink.env.renames)
                            != RefDiff::Same =>
                    {
                        let msg = format!(
                            "`{}` variant `{}` changed from `{}` to `{}`",
                            n.name,
                            key(v),
                            show(&v.ty),
                            show(&w.ty)
                        );
                        sink.push(
                            Kind::UnionVariantChanged,
                            Class::Breaking,
                            true,
                            &n.pointer,
                            msg,
                        );
                    }
                    Some(_) => {}
                }
            }
            for w in nv.iter().filter(|w| !ov.iter().any(|v| key(v) == key(w))) {
                variant_added(n, &key(w), ctx, sink);
            }
        }
        (TypeKind::UntaggedUnion { variants: ov }, TypeKind::UntaggedUnion { variants: nv }) => {
            let same = |v: &TypeRef, w: &TypeRef| {
                compare(v, false, w, false, sink.env.renames) == RefDiff::Same
            };
            for v in ov.iter().filter(|v| !nv.iter().any(|w| same(&v.ty, &w.ty))) {
                variant_removed(o, n, &show(&v.ty), ctx, sink);
            }
            for w in nv.iter().filter(|w| !ov.iter().any(|v| same(&v.ty, &w.ty))) {
                variant_added(n, &show(&w.ty), ctx, sink);
            }
        }
        (
            TypeKind::Alias {
                target: ot,
                constraints: oc,
            },
            TypeKind::Alias {
                target: nt,
                constraints: nc,
            },
        ) => {
            let class = match compare(ot, false, nt, false, sink.env.renames) {
                RefDiff::Same => None,
                RefDiff::Changed => Some(Class::Breaking),
                RefDiff::BecameNullable => Some(Class::breaking_if(ctx.response)),
                RefDiff::BecameNonNullable => Some(Class::breaking_if(ctx.request)),
            };
            if let Some(class) = class {
                let msg = format!("`{}` changed from `{}` to `{}`", n.name, show(ot), show(nt));
                sink.push(Kind::AliasTypeChanged, class, true, &n.pointer, msg);
            } else {
                sink.constraints(&format!("`{}`", n.name), oc, nc, ctx, &n.pointer);
            }
        }
        // An id type is a string on the wire and the same newtype in Rust whatever its entity.
        (TypeKind::Id { .. }, TypeKind::Id { .. }) => {}
        (ok, nk) => {
            let msg = format!(
                "`{}` changed from {} to {}",
                n.name,
                kind_name(ok),
                kind_name(nk)
            );
            sink.push(
                Kind::TypeKindChanged,
                Class::Breaking,
                true,
                &n.pointer,
                msg,
            );
        }
    }
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct { .. } => "an object",
        TypeKind::Enum { .. } => "a string enum",
        TypeKind::TaggedUnion { .. } => "a tagged union",
        TypeKind::UntaggedUnion { .. } => "an untagged union",
        TypeKind::Alias { .. } => "an alias",
        TypeKind::Id { .. } => "an id",
    }
}

/// Unions are closed Rust enums: a variant coming or going changes the enum. On the wire a lost
/// variant breaks requests, a new one breaks decoding responses.
fn variant_removed(o: &TypeDef, n: &TypeDef, what: &str, ctx: Ctx, sink: &mut Sink) {
    let msg = format!("`{}` no longer has the variant `{what}`", n.name);
    sink.push(
        Kind::UnionVariantRemoved,
        Class::breaking_if(ctx.request),
        true,
        &o.pointer,
        msg,
    );
}

fn variant_added(n: &TypeDef, what: &str, ctx: Ctx, sink: &mut Sink) {
    let msg = format!("`{}` gained the variant `{what}`", n.name);
    sink.push(
        Kind::UnionVariantAdded,
        Class::breaking_if(ctx.response),
        true,
        &n.pointer,
        msg,
    );
}
