//! Parameters of one matched operation. Path parameters are matched by position in the path
//! template (a renamed path parameter is the same wire request); others by location and name
//! (headers case-insensitively).
//!
//! Rust API: required parameters are positional method arguments, optional ones are builder
//! setters named after the parameter. So a renamed path parameter does not break callers (only
//! the argument's name changes), a new optional parameter adds a setter, and a parameter that
//! becomes required moves from a setter to an argument.

use super::compare::{self, compare, show, RefDiff, Renames};
use super::model::{Change, Class, Kind};
use crate::ir::{Operation, ParamLocation, Parameter, TypeRef};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Path(usize),
    Other(ParamLocation, String),
}

/// Names in a path template, in order: `/a/{x}/b/{y}` → [x, y].
pub fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

fn keyed(op: &Operation) -> Vec<(Key, &Parameter)> {
    let names = template_names(&op.path);
    op.params
        .iter()
        .map(|p| {
            let key = match p.location {
                ParamLocation::Path => match names.iter().position(|n| *n == p.name) {
                    Some(i) => Key::Path(i),
                    None => Key::Other(p.location, p.name.clone()),
                },
                ParamLocation::Header => Key::Other(p.location, p.name.to_ascii_lowercase()),
                _ => Key::Other(p.location, p.name.clone()),
            };
            (key, p)
        })
        .collect()
}

fn loc(p: &Parameter) -> &'static str {
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The Rust type the generated builder uses for a parameter.
fn rust_type(p: &Parameter) -> String {
    match &p.ty {
        TypeRef::Nullable(_) => show(&p.ty),
        ty if p.nullable && p.required => format!("Option<{}>", show(ty)),
        ty => show(ty),
    }
}

pub fn diff_params(
    o: &Operation,
    n: &Operation,
    renames: &Renames,
    label: &str,
    out: &mut Vec<Change>,
) {
    let old = keyed(o);
    let new = keyed(n);
    let mut push = |kind: Kind, class: Class, rust: bool, location: &str, message: String| {
        out.push(Change::new(kind, class, rust, location, message).with_ops([label.to_string()]));
    };
    for (_, p) in old.iter().filter(|(k, _)| !new.iter().any(|(j, _)| j == k)) {
        push(
            Kind::ParamRemoved,
            Class::Breaking,
            true,
            &p.pointer,
            format!("{} parameter `{}` was removed", loc(p), p.name),
        );
    }
    for (_, p) in new.iter().filter(|(k, _)| !old.iter().any(|(j, _)| j == k)) {
        if p.required {
            let msg = format!(
                "required {} parameter `{}` was added (new method argument `{}`)",
                loc(p),
                p.name,
                p.rust_name
            );
            push(
                Kind::RequiredParamAdded,
                Class::Breaking,
                true,
                &p.pointer,
                msg,
            );
        } else {
            let msg = format!(
                "optional {} parameter `{}` was added (new builder setter `{}`)",
                loc(p),
                p.name,
                p.rust_name
            );
            push(
                Kind::OptionalParamAdded,
                Class::NonBreaking,
                false,
                &p.pointer,
                msg,
            );
        }
    }
    for (k, a) in &old {
        let Some((_, b)) = new.iter().find(|(j, _)| j == k) else {
            continue;
        };
        let what = format!("{} parameter `{}`", loc(b), b.name);
        if a.name != b.name {
            let msg = format!(
                "path parameter `{}` is now `{}` (same position; method arguments are positional)",
                a.name, b.name
            );
            push(
                Kind::PathParamRenamed,
                Class::NonBreaking,
                false,
                &b.pointer,
                msg,
            );
        }
        if !a.required && b.required {
            push(
                Kind::ParamBecameRequired,
                Class::Breaking,
                true,
                &b.pointer,
                format!("{what} is now required (setter → method argument)"),
            );
        } else if a.required && !b.required {
            push(
                Kind::ParamBecameOptional,
                Class::NonBreaking,
                true,
                &b.pointer,
                format!("{what} is no longer required (method argument → setter)"),
            );
        }
        let rust = rust_type(&renamed(a, renames)) != rust_type(b);
        match compare(&a.ty, a.nullable, &b.ty, b.nullable, renames) {
            RefDiff::Changed => {
                let msg = format!(
                    "{what} changed type from `{}` to `{}`",
                    show(&a.ty),
                    show(&b.ty)
                );
                push(
                    Kind::ParamTypeChanged,
                    Class::Breaking,
                    true,
                    &b.pointer,
                    msg,
                );
                continue;
            }
            RefDiff::BecameNullable => {
                push(
                    Kind::ParamNullabilityChanged,
                    Class::NonBreaking,
                    rust,
                    &b.pointer,
                    format!("{what} may now be null"),
                );
            }
            RefDiff::BecameNonNullable => {
                push(
                    Kind::ParamNullabilityChanged,
                    Class::Breaking,
                    rust,
                    &b.pointer,
                    format!("{what} may no longer be null"),
                );
            }
            RefDiff::Same => {}
        }
        // A scalar is `k=v` in every style: only lists and objects change on the wire.
        let structured = |ty: &TypeRef| !matches!(ty, TypeRef::Primitive(_));
        if a.style != b.style && structured(&b.ty) {
            push(
                Kind::ParamStyleChanged,
                Class::Breaking,
                false,
                &b.pointer,
                format!(
                    "{what} changes style from `{}` to `{}`",
                    a.style.spec_name(),
                    b.style.spec_name()
                ),
            );
        } else if a.explode != b.explode && matches!(b.ty, TypeRef::List(_)) {
            let msg = format!(
                "{what} is now sent {}",
                if b.explode {
                    "as repeated keys (explode)"
                } else {
                    "comma-separated"
                }
            );
            push(
                Kind::ParamStyleChanged,
                Class::Breaking,
                false,
                &b.pointer,
                msg,
            );
        }
        for c in compare::constraints(&a.constraints, &b.constraints) {
            let (kind, class) = if c.narrowed {
                (Kind::ConstraintNarrowed, Class::Breaking)
            } else {
                (Kind::ConstraintWidened, Class::NonBreaking)
            };
            push(
                kind,
                class,
                false,
                &b.pointer,
                format!(
                    "{what}: {} ({})",
                    c.detail,
                    if c.narrowed { "narrowed" } else { "widened" }
                ),
            );
        }
        if !compare::same_value(&a.default, &b.default) {
            let msg = format!(
                "{what} default changed from {} to {}",
                compare::show_value(&a.default),
                compare::show_value(&b.default)
            );
            push(
                Kind::DefaultChanged,
                Class::NonBreaking,
                false,
                &b.pointer,
                msg,
            );
        }
    }
    // Required parameters are positional: the same ones in another order compile but mean
    // something else (or fail to compile when types differ).
    let order = |side: &[(Key, &Parameter)], other: &[(Key, &Parameter)]| -> Vec<Key> {
        side.iter()
            .filter(|(k, p)| p.required && other.iter().any(|(j, q)| j == k && q.required))
            .map(|(k, _)| k.clone())
            .collect()
    };
    if order(&old, &new) != order(&new, &old) {
        let names: Vec<&str> = n
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.rust_name.as_str())
            .collect();
        let msg = format!(
            "method arguments were reordered: now ({})",
            names.join(", ")
        );
        push(
            Kind::ArgumentOrderChanged,
            Class::NonBreaking,
            true,
            &n.pointer,
            msg,
        );
    }
}

fn renamed(p: &Parameter, renames: &Renames) -> Parameter {
    Parameter {
        ty: compare::rename(&p.ty, renames),
        ..p.clone()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn template_names_in_order() {
        assert_eq!(super::template_names("/a/{x}/b/{y}"), ["x", "y"]);
        assert!(super::template_names("/a").is_empty());
    }
}
