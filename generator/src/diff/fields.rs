//! Properties of a matched struct: added, removed, retyped, required/nullable flips,
//! constraints and defaults, judged by the direction the struct travels in.
//!
//! Rust API: structs are `#[non_exhaustive]` with `new(required, non-null fields…)` and
//! `with_*` setters, and a field is `Option` when optional or nullable. A new required
//! property changes `new(..)`, which breaks any caller of it: request types are built by every
//! user, response types by users who build them for their own tests, so both count.

use super::compare::{self, compare, show, RefDiff};
use super::model::{Class, Ctx, Kind};
use super::types::Sink;
use crate::ir::{Field, TypeDef, TypeRef};

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

pub(super) fn diff_struct(n: &TypeDef, of: &[Field], nf: &[Field], ctx: Ctx, sink: &mut Sink) {
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
            // The wire only breaks when callers must now send it; `new(..)` gains an argument
            // either way.
            let msg = format!("`{ty}.{}` was added as a required property", f.name);
            sink.push(
                Kind::RequiredPropertyAdded,
                Class::breaking_if(sent),
                in_constructor(f),
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
        let rust = is_option(o) != is_option(f) || in_constructor(o) != in_constructor(f);
        match compare(&o.ty, o.nullable, &f.ty, f.nullable, sink.env.renames) {
            RefDiff::Changed if sink.env.replaced(&o.ty, &f.ty, ctx, &sink.ops, sink.out) => {
                let (location, msg) = sink.env.replacement(&what, &o.ty, &f.ty, &f.pointer);
                sink.push(Kind::TypeReplaced, Class::NonBreaking, true, &location, msg);
                continue;
            }
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

pub(super) fn diff_additional(
    n: &TypeDef,
    o: Option<&TypeRef>,
    f: Option<&TypeRef>,
    sink: &mut Sink,
) {
    let location = format!("{}/additionalProperties", n.pointer);
    let (class, rust, msg) = match (o, f) {
        (None, None) => return,
        (Some(o), Some(f)) => {
            if compare(o, false, f, false, sink.env.renames) == RefDiff::Same {
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
