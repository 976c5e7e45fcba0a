//! Comparing type references (under the old → new rename map), constraints and defaults.

use std::collections::HashMap;

use serde_json::Value;

use crate::ir::{Constraints, Primitive, TypeRef};

/// Old type name → new type name, for types matched under a different name.
pub type Renames = HashMap<String, String>;

/// An old type reference in the new spec's names.
pub fn rename(r: &TypeRef, renames: &Renames) -> TypeRef {
    if renames.is_empty() {
        return r.clone();
    }
    let map = |n: &String| renames.get(n).cloned().unwrap_or_else(|| n.clone());
    match r {
        TypeRef::Named(n) => TypeRef::Named(map(n)),
        TypeRef::Generic { name, args } => TypeRef::Generic {
            name: map(name),
            args: args.iter().map(|a| rename(a, renames)).collect(),
        },
        TypeRef::List(i) => TypeRef::List(Box::new(rename(i, renames))),
        TypeRef::Map(i) => TypeRef::Map(Box::new(rename(i, renames))),
        TypeRef::Nullable(i) => TypeRef::Nullable(Box::new(rename(i, renames))),
        other => other.clone(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefDiff {
    Same,
    BecameNullable,
    BecameNonNullable,
    Changed,
}

/// Split a top-level `Nullable` off a reference.
pub fn strip_nullable(r: &TypeRef) -> (&TypeRef, bool) {
    match r {
        TypeRef::Nullable(inner) => (inner, true),
        other => (other, false),
    }
}

/// Compare two references, `old_nullable`/`new_nullable` carrying nullability held outside the
/// reference (field or parameter flags).
pub fn compare(
    old: &TypeRef,
    old_nullable: bool,
    new: &TypeRef,
    new_nullable: bool,
    renames: &Renames,
) -> RefDiff {
    let old = rename(old, renames);
    let (old_inner, o) = strip_nullable(&old);
    let (new_inner, n) = strip_nullable(new);
    if old_inner != new_inner {
        return RefDiff::Changed;
    }
    match (o || old_nullable, n || new_nullable) {
        (false, true) => RefDiff::BecameNullable,
        (true, false) => RefDiff::BecameNonNullable,
        _ => RefDiff::Same,
    }
}

/// A Rust-flavoured rendering of a reference for messages.
pub fn show(r: &TypeRef) -> String {
    match r {
        TypeRef::Primitive(p) => match p {
            Primitive::String => "String",
            Primitive::Bool => "bool",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::U32 => "u32",
            Primitive::U64 => "u64",
            Primitive::F32 => "f32",
            Primitive::F64 => "f64",
            Primitive::Date => "Date",
            Primitive::DateTime => "DateTime",
            Primitive::Uuid => "Uuid",
            Primitive::Decimal => "Decimal",
            Primitive::Binary => "Binary",
        }
        .to_string(),
        TypeRef::Named(n) | TypeRef::Param(n) => n.clone(),
        TypeRef::Generic { name, args } => {
            format!(
                "{name}<{}>",
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            )
        }
        TypeRef::List(i) => format!("Vec<{}>", show(i)),
        TypeRef::Map(i) => format!("Map<String, {}>", show(i)),
        TypeRef::Nullable(i) => format!("Option<{}>", show(i)),
        TypeRef::Any => "Value".to_string(),
        TypeRef::External(path) => path.clone(),
    }
}

/// One constraint keyword that changed.
pub struct ConstraintChange {
    pub narrowed: bool,
    pub detail: String,
}

fn fmt_num(v: Option<f64>) -> String {
    v.map(|v| format!("{v}")).unwrap_or_else(|| "none".into())
}

fn fmt_int(v: Option<u64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "none".into())
}

/// Lower bounds narrow when they rise (or appear); upper bounds when they fall (or appear).
fn lower_narrowed<T: PartialOrd>(old: Option<T>, new: Option<T>) -> bool {
    match (old, new) {
        (None, Some(_)) => true,
        (Some(o), Some(n)) => n > o,
        _ => false,
    }
}

fn upper_narrowed<T: PartialOrd>(old: Option<T>, new: Option<T>) -> bool {
    match (old, new) {
        (None, Some(_)) => true,
        (Some(o), Some(n)) => n < o,
        _ => false,
    }
}

pub fn constraints(old: &Constraints, new: &Constraints) -> Vec<ConstraintChange> {
    let mut out = Vec::new();
    let mut push = |_keyword: &'static str, narrowed: bool, detail: String| {
        out.push(ConstraintChange { narrowed, detail })
    };
    if old.min_length != new.min_length {
        let d = format!(
            "minLength {} → {}",
            fmt_int(old.min_length),
            fmt_int(new.min_length)
        );
        push(
            "minLength",
            lower_narrowed(old.min_length, new.min_length),
            d,
        );
    }
    if old.max_length != new.max_length {
        let d = format!(
            "maxLength {} → {}",
            fmt_int(old.max_length),
            fmt_int(new.max_length)
        );
        push(
            "maxLength",
            upper_narrowed(old.max_length, new.max_length),
            d,
        );
    }
    if old.pattern != new.pattern {
        let show = |p: &Option<String>| {
            p.as_ref()
                .map(|p| format!("`{p}`"))
                .unwrap_or_else(|| "none".into())
        };
        let d = format!("pattern {} → {}", show(&old.pattern), show(&new.pattern));
        // Any new or different pattern may reject values the old one accepted.
        push("pattern", new.pattern.is_some(), d);
    }
    if old.minimum != new.minimum {
        let d = format!(
            "minimum {} → {}",
            fmt_num(old.minimum),
            fmt_num(new.minimum)
        );
        push("minimum", lower_narrowed(old.minimum, new.minimum), d);
    }
    if old.maximum != new.maximum {
        let d = format!(
            "maximum {} → {}",
            fmt_num(old.maximum),
            fmt_num(new.maximum)
        );
        push("maximum", upper_narrowed(old.maximum, new.maximum), d);
    }
    if old.exclusive_minimum != new.exclusive_minimum {
        push(
            "exclusiveMinimum",
            new.exclusive_minimum,
            format!(
                "exclusiveMinimum {} → {}",
                old.exclusive_minimum, new.exclusive_minimum
            ),
        );
    }
    if old.exclusive_maximum != new.exclusive_maximum {
        push(
            "exclusiveMaximum",
            new.exclusive_maximum,
            format!(
                "exclusiveMaximum {} → {}",
                old.exclusive_maximum, new.exclusive_maximum
            ),
        );
    }
    if old.min_items != new.min_items {
        let d = format!(
            "minItems {} → {}",
            fmt_int(old.min_items),
            fmt_int(new.min_items)
        );
        push("minItems", lower_narrowed(old.min_items, new.min_items), d);
    }
    if old.max_items != new.max_items {
        let d = format!(
            "maxItems {} → {}",
            fmt_int(old.max_items),
            fmt_int(new.max_items)
        );
        push("maxItems", upper_narrowed(old.max_items, new.max_items), d);
    }
    if old.unique_items != new.unique_items {
        push(
            "uniqueItems",
            new.unique_items,
            format!("uniqueItems {} → {}", old.unique_items, new.unique_items),
        );
    }
    out
}

/// Defaults compare by value, with `1` and `1.0` equal.
pub fn same_value(a: &Option<Value>, b: &Option<Value>) -> bool {
    fn eq(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| eq(a, b))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| eq(v, w)))
            }
            _ => a == b,
        }
    }
    match (a, b) {
        (Some(a), Some(b)) => eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

pub fn show_value(v: &Option<Value>) -> String {
    v.as_ref()
        .map(|v| v.to_string())
        .unwrap_or_else(|| "none".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_and_widening() {
        let old = Constraints {
            max_length: Some(100),
            minimum: Some(1.0),
            ..Default::default()
        };
        let new = Constraints {
            max_length: Some(50),
            minimum: Some(0.0),
            pattern: Some("^a".into()),
            ..Default::default()
        };
        let changes: Vec<(bool, String)> = constraints(&old, &new)
            .into_iter()
            .map(|c| (c.narrowed, c.detail))
            .collect();
        assert_eq!(
            changes,
            [
                (true, "maxLength 100 → 50".to_string()),
                (true, "pattern none → `^a`".to_string()),
                (false, "minimum 1 → 0".to_string())
            ]
        );
        assert!(constraints(&old, &old).is_empty());
    }

    #[test]
    fn integral_defaults_equal_their_float_form() {
        assert!(same_value(
            &Some(serde_json::json!(1)),
            &Some(serde_json::json!(1.0))
        ));
        assert!(!same_value(&Some(serde_json::json!(1)), &None));
    }

    #[test]
    fn renamed_references_compare_equal() {
        let renames: Renames = [("Old".to_string(), "New".to_string())].into();
        let old = TypeRef::List(Box::new(TypeRef::Named("Old".into())));
        let new = TypeRef::List(Box::new(TypeRef::Named("New".into())));
        assert_eq!(compare(&old, false, &new, false, &renames), RefDiff::Same);
        assert_eq!(
            compare(&old, false, &new, true, &renames),
            RefDiff::BecameNullable
        );
        assert_eq!(
            compare(&old, false, &TypeRef::Any, false, &renames),
            RefDiff::Changed
        );
    }
}
