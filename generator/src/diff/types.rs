//! Differences inside matched type definitions: fields, enum values, union variants, aliases.
//! Each is reported once, at the definition (or field) where it happens; parents that refer to
//! the type by name see no difference, so nothing cascades.

use super::compare::{self, compare, show, RefDiff, Renames};
use super::matching::Matched;
use super::model::{Change, Class, Ctx, Kind};
use super::reach::{Both, Reach};
use crate::ir::{Constraints, Field, TypeDef, TypeKind, TypeRef};

struct Sink<'a> {
    renames: &'a Renames,
    ops: Vec<String>,
    out: &'a mut Vec<Change>,
}

impl Sink<'_> {
    fn push(&mut self, kind: Kind, class: Class, rust: bool, location: &str, message: String) {
        self.out
            .push(Change::new(kind, class, rust, location, message).with_ops(self.ops.clone()));
    }

    /// Constraint keywords that changed: narrowed ones break requests, widened ones are reported.
    fn constraints(
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

pub fn diff_types(matched: &Matched, both: &Both, old_all: &Reach, out: &mut Vec<Change>) {
    for (o, n) in &matched.pairs {
        let (ops, ctx) = both.of(Some(&o.name), Some(&n.name));
        let mut sink = Sink {
            renames: &matched.renames,
            ops,
            out,
        };
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

fn diff_def(o: &TypeDef, n: &TypeDef, ctx: Ctx, sink: &mut Sink) {
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
            },
            TypeKind::TaggedUnion {
                tag: nt,
                variants: nv,
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
                        if compare(&v.ty, false, &w.ty, false, sink.renames) != RefDiff::Same =>
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
                compare(v, false, w, false, sink.renames) == RefDiff::Same
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
            let class = match compare(ot, false, nt, false, sink.renames) {
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

/// How the generator stores a field: `Option` or not (see `emit::types::field_is_option`).
fn is_option(f: &Field) -> bool {
    (!f.required || f.nullable) && !matches!(f.ty, TypeRef::Nullable(_) | TypeRef::Any)
}

/// Whether the field is an argument of the struct's `new(..)`.
fn in_constructor(f: &Field) -> bool {
    f.required && !f.nullable && !matches!(f.ty, TypeRef::Nullable(_))
}

/// Read-only fields only travel in responses, write-only ones only in requests.
fn field_ctx(ctx: Ctx, o: &Field, n: &Field) -> Ctx {
    let mut c = ctx;
    if o.read_only && n.read_only {
        c.request = false;
    }
    if o.write_only && n.write_only {
        c.response = false;
    }
    if c.request || c.response {
        c
    } else {
        ctx
    }
}

fn diff_struct(n: &TypeDef, of: &[Field], nf: &[Field], ctx: Ctx, sink: &mut Sink) {
    let ty = &n.name;
    for f in of.iter().filter(|f| !nf.iter().any(|g| g.name == f.name)) {
        sink.push(
            Kind::PropertyRemoved,
            Class::Breaking,
            true,
            &f.pointer,
            format!("`{ty}.{}` was removed", f.name),
        );
    }
    for f in nf.iter().filter(|f| !of.iter().any(|g| g.name == f.name)) {
        let sent = ctx.request && !f.read_only;
        if f.required {
            // Callers build request types with `new(..)`, which gains an argument; response
            // types are only read, and reading is unaffected.
            let msg = format!("`{ty}.{}` was added as a required property", f.name);
            sink.push(
                Kind::RequiredPropertyAdded,
                Class::breaking_if(sent),
                sent && in_constructor(f),
                &f.pointer,
                msg,
            );
        } else {
            let msg = format!("`{ty}.{}` was added as an optional property", f.name);
            sink.push(
                Kind::OptionalPropertyAdded,
                Class::NonBreaking,
                false,
                &f.pointer,
                msg,
            );
        }
    }
    for (o, f) in of
        .iter()
        .filter_map(|o| nf.iter().find(|g| g.name == o.name).map(|g| (o, g)))
    {
        let ctx = field_ctx(ctx, o, f);
        let what = format!("`{ty}.{}`", f.name);
        let rust =
            is_option(o) != is_option(f) || (ctx.request && in_constructor(o) != in_constructor(f));
        match compare(&o.ty, o.nullable, &f.ty, f.nullable, sink.renames) {
            RefDiff::Changed => {
                let msg = format!(
                    "{what} changed type from `{}` to `{}`",
                    show(&o.ty),
                    show(&f.ty)
                );
                sink.push(
                    Kind::PropertyTypeChanged,
                    Class::Breaking,
                    true,
                    &f.pointer,
                    msg,
                );
                continue;
            }
            RefDiff::BecameNullable => {
                let msg = format!("{what} may now be null");
                sink.push(
                    Kind::PropertyBecameNullable,
                    Class::breaking_if(ctx.response),
                    rust,
                    &f.pointer,
                    msg,
                );
            }
            RefDiff::BecameNonNullable => {
                let msg = format!("{what} may no longer be null");
                sink.push(
                    Kind::PropertyBecameNonNullable,
                    Class::breaking_if(ctx.request),
                    rust,
                    &f.pointer,
                    msg,
                );
            }
            RefDiff::Same => {}
        }
        if o.required && !f.required {
            let msg = format!("{what} is no longer required");
            sink.push(
                Kind::PropertyBecameOptional,
                Class::breaking_if(ctx.response),
                rust,
                &f.pointer,
                msg,
            );
        } else if !o.required && f.required {
            let msg = format!("{what} is now required");
            sink.push(
                Kind::PropertyBecameRequired,
                Class::breaking_if(ctx.request),
                rust,
                &f.pointer,
                msg,
            );
        }
        sink.constraints(&what, &o.constraints, &f.constraints, ctx, &f.pointer);
        if !compare::same_value(&o.default, &f.default) {
            let msg = format!(
                "{what} default changed from {} to {}",
                compare::show_value(&o.default),
                compare::show_value(&f.default)
            );
            sink.push(
                Kind::DefaultChanged,
                Class::NonBreaking,
                false,
                &f.pointer,
                msg,
            );
        }
    }
}

fn diff_additional(n: &TypeDef, o: Option<&TypeRef>, f: Option<&TypeRef>, sink: &mut Sink) {
    let location = format!("{}/additionalProperties", n.pointer);
    let (class, rust, msg) = match (o, f) {
        (None, None) => return,
        (Some(o), Some(f)) => {
            if compare(o, false, f, false, sink.renames) == RefDiff::Same {
                return;
            }
            (
                Class::Breaking,
                true,
                format!(
                    "`{}` extra properties changed from `{}` to `{}`",
                    n.name,
                    show(o),
                    show(f)
                ),
            )
        }
        (None, Some(f)) => (
            Class::NonBreaking,
            false,
            format!(
                "`{}` now allows extra properties of type `{}`",
                n.name,
                show(f)
            ),
        ),
        (Some(_), None) => (
            Class::Breaking,
            true,
            format!("`{}` no longer allows extra properties", n.name),
        ),
    };
    sink.push(
        Kind::AdditionalPropertiesChanged,
        class,
        rust,
        &location,
        msg,
    );
}
