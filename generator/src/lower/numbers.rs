//! Spec numbers the generated Rust integer cannot hold. Specs write bounds such as
//! `minimum: -9223372036854776000` (a float printed as an integer, past `i64::MIN`) or an `int32`
//! default of 5000000000. A bound outside the type says nothing about its values and is dropped;
//! a default or example that does not fit is dropped too (an example would fail the generated
//! round-trip test). Each drop is a warning naming what was kept.

use serde_json::Value;

use super::Lowerer;
use crate::ir::{Constraints, Primitive, TypeRef};

/// Lowest and highest value of an integer primitive; `None` for every other type.
fn integer_range(ty: &TypeRef) -> Option<(&'static str, i128, i128)> {
    match ty {
        TypeRef::Nullable(inner) => integer_range(inner),
        TypeRef::Primitive(Primitive::I32) => Some(("i32", i32::MIN.into(), i32::MAX.into())),
        TypeRef::Primitive(Primitive::I64) => Some(("i64", i64::MIN.into(), i64::MAX.into())),
        TypeRef::Primitive(Primitive::U32) => Some(("u32", 0, u32::MAX.into())),
        TypeRef::Primitive(Primitive::U64) => Some(("u64", 0, u64::MAX.into())),
        _ => None,
    }
}

/// A bound (a float in the IR) within the type's range. At ±2^63 a float cannot tell
/// `i64::MAX` from one past it, so a bound that equals an end as a float counts as inside.
fn bound_fits(bound: f64, low: i128, high: i128) -> bool {
    bound.is_finite()
        && (bound == low as f64 || bound == high as f64 || {
            let whole = bound.floor() as i128;
            (low..=high).contains(&whole) || (low..=high).contains(&(bound.ceil() as i128))
        })
}

/// A JSON value the type decodes: an integer literal within range (`5.0` does not decode as an
/// integer, so floats never fit).
fn value_fits(value: &Value, low: i128, high: i128) -> bool {
    let Value::Number(n) = value else {
        // Not a number at all: a type mismatch for the example checks to report, not ours.
        return true;
    };
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
        .is_some_and(|i| (low..=high).contains(&i))
}

impl Lowerer<'_> {
    /// Drop from `constraints`, `default` and `examples` what does not fit `ty`, with a warning
    /// at `pointer` for each.
    pub(super) fn fit_numbers(
        &mut self,
        ty: &TypeRef,
        constraints: &mut Constraints,
        default: &mut Option<Value>,
        examples: &mut Vec<Value>,
        pointer: &str,
    ) {
        let Some((rust, low, high)) = integer_range(ty) else {
            return;
        };
        for (keyword, bound) in [
            ("minimum", &mut constraints.minimum),
            ("maximum", &mut constraints.maximum),
        ] {
            if let Some(value) = bound.filter(|b| !bound_fits(*b, low, high)) {
                *bound = None;
                self.warn(
                    pointer,
                    format!(
                        "`{keyword}` {value} lies outside {rust} ({low}..={high}); no {keyword} kept"
                    ),
                );
            }
        }
        if let Some(value) = default.take() {
            if value_fits(&value, low, high) {
                *default = Some(value);
            } else {
                self.warn(
                    pointer,
                    format!("`default` {value} does not fit {rust}; no default kept"),
                );
            }
        }
        let (fit, unfit): (Vec<Value>, Vec<Value>) = std::mem::take(examples)
            .into_iter()
            .partition(|v| value_fits(v, low, high));
        *examples = fit;
        for value in unfit {
            self.warn(
                pointer,
                format!("example {value} does not fit {rust}; left out of the docs and tests"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bounds_at_the_ends_of_i64_fit_but_beyond_do_not() {
        let (low, high) = (i64::MIN.into(), i64::MAX.into());
        assert!(bound_fits(-9.223372036854776e18, low, high));
        assert!(bound_fits(9.223372036854776e18, low, high));
        assert!(!bound_fits(-1e19, low, high));
        assert!(!bound_fits(1e20, low, high));
        assert!(!bound_fits(f64::INFINITY, low, high));
        let (low, high) = (i32::MIN.into(), i32::MAX.into());
        assert!(!bound_fits(-3e9, low, high));
        assert!(bound_fits(2147483647.0, low, high));
        assert!(bound_fits(0.5, low, high));
    }

    #[test]
    fn values_must_be_integer_literals_in_range() {
        let (low, high) = (i32::MIN.into(), i32::MAX.into());
        assert!(value_fits(&json!(5), low, high));
        assert!(!value_fits(&json!(5.0), low, high));
        assert!(!value_fits(&json!(5_000_000_000u64), low, high));
        assert!(!value_fits(&json!(-9.223372036854776e18), low, high));
        assert!(value_fits(&json!(u64::MAX), 0, u64::MAX.into()));
    }
}
