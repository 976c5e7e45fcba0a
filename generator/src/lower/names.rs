//! Turning spec names into Rust identifiers: idiomatic case (heck), never a keyword, never a
//! leading digit, never empty, and made unique deterministically.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Names the generated code itself declares at the crate root: a schema must not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Request",
    "Response",
    "Secret",
    "Decimal",
    "Environment",
    "Credential",
    "RetryPolicy",
    "ApiError",
    "ErrorBody",
    "ErrorResponse",
    "RelayPage",
    "Stream",
    "Value",
    "Map",
    "BTreeMap",
    "Date",
    "DateTime",
    "Uuid",
    "NaiveDate",
    "Utc",
    "Default",
    "Copy",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "Self",
    "DecodeError",
];

/// Spell symbols that would otherwise vanish, so `+1` and `1` stay distinct.
fn spell_symbols(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.chars().enumerate() {
        let word = match c {
            '+' => Some("plus"),
            '-' if i == 0 => Some("minus"),
            '*' => Some("star"),
            '<' => Some("lt"),
            '>' => Some("gt"),
            '=' => Some("eq"),
            '!' => Some("not"),
            '@' => Some("at"),
            '%' => Some("percent"),
            '&' => Some("and"),
            '#' => Some("hash"),
            '$' => Some("dollar"),
            '.' if i == 0 => Some("dot"),
            _ => None,
        };
        match word {
            Some(w) => {
                out.push(' ');
                out.push_str(w);
                out.push(' ');
            }
            None if c.is_ascii_alphanumeric() => out.push(c),
            None if c.is_alphanumeric() => {
                // Non-ASCII letters: keep their code point so names stay distinct and ASCII.
                out.push_str(&format!(" u{:x} ", c as u32));
            }
            None => out.push(' '),
        }
    }
    out
}

/// UpperCamelCase type or variant name.
pub fn type_name(raw: &str) -> String {
    let mut name = spell_symbols(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if KEYWORDS.contains(&name.as_str()) || RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// snake_case field, parameter or method name.
pub fn snake_name(raw: &str) -> String {
    let mut name = spell_symbols(raw).to_snake_case();
    if name.is_empty() {
        name = "empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Hands out names that are unique within one scope, in the order asked.
#[derive(Default)]
pub struct NameScope {
    taken: BTreeSet<String>,
}

impl NameScope {
    pub fn new() -> Self {
        NameScope::default()
    }

    pub fn with_taken<I: IntoIterator<Item = String>>(names: I) -> Self {
        NameScope {
            taken: names.into_iter().collect(),
        }
    }

    /// `base`, or `base2`, `base3`, … (snake names get `_2`).
    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let snake = base.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        (2..)
            .map(|n| {
                if snake {
                    format!("{base}_{n}")
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unused name exists")
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_names_become_valid_identifiers() {
        assert_eq!(type_name("HTTPValidationError"), "HttpValidationError");
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name("1"), "V1");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("foo-bar"), "FooBar");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("2fa"), "n2fa");
        assert_eq!(snake_name("__typename"), "typename");
        assert_eq!(snake_name("café"), "caf_ue9");
    }

    #[test]
    fn scope_dedupes_deterministically() {
        let mut scope = NameScope::new();
        assert_eq!(scope.claim("Foo"), "Foo");
        assert_eq!(scope.claim("Foo"), "Foo2");
        assert_eq!(scope.claim("foo"), "foo");
        assert_eq!(scope.claim("foo"), "foo_2");
    }
}
