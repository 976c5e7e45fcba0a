//! Exact decimal numbers carried as text.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal number kept as its exact text (never converted through `f64`).
///
/// Serialized as a JSON string. Deserialized from a JSON string (validated) or,
/// leniently, from a JSON number; a number has already been parsed by
/// `serde_json` by then, so only the string form is guaranteed exact.
/// Equality compares the text: `1.0` and `1.00` differ.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal(String);

/// The text is not a decimal number (`-?digits(.digits)?([eE][+-]?digits)?`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseDecimalError(String);

impl Decimal {
    /// The exact text of the number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ParseDecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid decimal number {:?}", self.0)
    }
}

impl std::error::Error for ParseDecimalError {}

/// Consumes one or more ASCII digits from the front of `s`.
/// Splits off the leading ASCII digits.
fn split_digits(s: &str) -> (&str, &str) {
    s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()))
}

/// A sign, digits with an optional point (`5`, `5.`, `.5`, `05.50`; at least one digit), and an
/// optional exponent: what decimal libraries such as Python's `Decimal` (and pydantic's decimal
/// pattern) accept.
fn is_decimal(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (integer, rest) = split_digits(unsigned);
    let (fraction, rest) = match rest.strip_prefix('.') {
        Some(after_point) => split_digits(after_point),
        None => ("", rest),
    };
    if integer.is_empty() && fraction.is_empty() {
        return false;
    }
    match rest.strip_prefix(['e', 'E']) {
        Some(exponent) => {
            let (digits, tail) =
                split_digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent));
            !digits.is_empty() && tail.is_empty()
        }
        None => rest.is_empty(),
    }
}

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if is_decimal(s) {
            Ok(Decimal(s.to_owned()))
        } else {
            Err(ParseDecimalError(s.to_owned()))
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number as a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        v.parse().map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // Rust prints the shortest text that round-trips, never `1e300`-style
        // exponents with lost digits; non-finite values are not numbers.
        if v.is_finite() {
            Ok(Decimal(v.to_string()))
        } else {
            Err(E::custom("non-finite decimal"))
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        for ok in [
            "0",
            "-1",
            "12.50",
            "1e10",
            "1.5E-3",
            "-0.000001",
            "+5",
            ".5",
            "5.",
            "007.50",
        ] {
            assert_eq!(ok.parse::<Decimal>().unwrap().as_str(), ok);
        }
        for bad in ["", "-", ".", "+.", "1e", "1,5", "NaN", "1 ", "e5", "1e+"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serde_keeps_text() {
        let d: Decimal = serde_json::from_str("\"12345678901234567890.123456789\"").unwrap();
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            "\"12345678901234567890.123456789\""
        );
        let n: Decimal = serde_json::from_str("12.5").unwrap();
        assert_eq!(n.as_str(), "12.5");
        assert!(serde_json::from_str::<Decimal>("\"abc\"").is_err());
    }
}
