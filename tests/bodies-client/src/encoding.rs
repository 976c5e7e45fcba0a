//! Turning parameter values into URL and header text.
//!
//! Values go through `serde_json::to_value`, so strings are used as-is,
//! numbers and booleans print as JSON does, dates use their RFC 3339 serde
//! form and enums their wire string.

use std::fmt::Write;

use serde::Serialize;
use serde_json::Value;

/// Percent-encodes `value` for use as one path segment: every byte except the
/// RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is escaped, so
/// `a/b c` becomes `a%2Fb%20c`. The value is written as a query value would be (strings as-is,
/// enums by their wire string, dates in RFC 3339), so any parameter type works.
pub fn encode_path<T: Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_value(value)
        .map(|v| scalar_text(&v))
        .unwrap_or_default();
    let mut out = String::new();
    percent_encode(&text, &mut out);
    out
}

/// Appends `text` to `out`, escaping everything but unreserved characters.
pub(crate) fn percent_encode(text: &str, out: &mut String) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Serializes a parameter value; a failure is reported as a message.
pub(crate) fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("cannot serialize parameter `{name}`: {e}"))
}

/// The text of a scalar value; arrays and objects become compact JSON.
pub(crate) fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}

/// One `name=value` pair of a query string or form body. A value with several
/// parts is a non-exploded list: its parts are joined by the delimiter (`,`,
/// `|`, or `%20` for spaces, already in its wire form) after each is
/// percent-encoded, so a delimiter inside an item stays unambiguous.
pub(crate) type Pair = (String, Vec<String>, &'static str);

/// A pair with a single value.
pub(crate) fn single(name: &str, value: String) -> Pair {
    (name.to_owned(), vec![value], ",")
}

/// Pairs of a form-style (`style: form`) parameter.
///
/// `null` yields nothing; arrays yield `k=a&k=b` when `explode`, else `k=a,b`;
/// objects yield `p=v&q=w` when `explode`, else `k=p,v,q,w`.
pub(crate) fn form_pairs(name: &str, value: &Value, explode: bool) -> Vec<Pair> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) if explode => items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| single(name, scalar_text(v)))
            .collect(),
        Value::Object(map) if explode => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| single(k, scalar_text(v)))
            .collect(),
        other => vec![(name.to_owned(), simple_parts(other), ",")],
    }
}

/// `spaceDelimited` / `pipeDelimited` (not exploded): one pair whose parts are
/// joined by `delimiter`, given in its wire form (`%20` or `|`).
pub(crate) fn delimited_pairs(name: &str, value: &Value, delimiter: &'static str) -> Vec<Pair> {
    if value.is_null() {
        return Vec::new();
    }
    vec![(name.to_owned(), simple_parts(value), delimiter)]
}

/// `deepObject`: `name[key]=value` per property, recursing into objects and
/// repeating the key for list items. A scalar is sent as `name=value`.
pub(crate) fn deep_object_pairs(name: &str, value: &Value) -> Vec<Pair> {
    match value {
        Value::Null => Vec::new(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, v)| deep_object_pairs(&format!("{name}[{key}]"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter(|v| !v.is_null())
            .flat_map(|v| deep_object_pairs(name, v))
            .collect(),
        scalar => vec![single(name, scalar_text(scalar))],
    }
}

/// The parts of a `style: simple` value: list items, or object keys and values.
fn simple_parts(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(scalar_text)
            .collect(),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
            .collect(),
        scalar => vec![scalar_text(scalar)],
    }
}

/// `style: simple` text (headers): comma-joined parts; `None` for `null`.
pub(crate) fn simple_text(value: &Value) -> Option<String> {
    (!value.is_null()).then(|| simple_parts(value).join(","))
}

/// Joins pairs as `application/x-www-form-urlencoded` text.
pub(crate) fn encode_pairs(pairs: &[Pair]) -> String {
    let mut out = String::new();
    for (i, (name, parts, delimiter)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode(name, &mut out);
        out.push('=');
        for (j, part) in parts.iter().enumerate() {
            if j > 0 {
                out.push_str(delimiter);
            }
            percent_encode(part, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_segments() {
        assert_eq!(encode_path("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_path("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path("é?#%"), "%C3%A9%3F%23%25");
    }

    #[test]
    fn delimited_and_deep_object_styles() {
        let list = json!(["a b", "c|d", null]);
        // A delimiter inside an item is escaped; the one between items is not.
        let pipes = encode_pairs(&delimited_pairs("k", &list, "|"));
        assert_eq!(pipes, "k=a%20b|c%7Cd");
        let spaces = encode_pairs(&delimited_pairs("k", &list, "%20"));
        assert_eq!(spaces, "k=a%20b%20c%7Cd");
        assert!(delimited_pairs("k", &Value::Null, "|").is_empty());
        let filter =
            json!({"gone": null, "on": true, "owner": {"id": 7}, "status": ["new", "old"]});
        assert_eq!(
            encode_pairs(&deep_object_pairs("filter", &filter)),
            "filter%5Bon%5D=true&filter%5Bowner%5D%5Bid%5D=7\
             &filter%5Bstatus%5D=new&filter%5Bstatus%5D=old"
        );
    }

    #[test]
    fn form_style() {
        let arr = json!(["a", "b c", "d,e"]);
        assert_eq!(
            encode_pairs(&form_pairs("k", &arr, true)),
            "k=a&k=b%20c&k=d%2Ce"
        );
        assert_eq!(
            encode_pairs(&form_pairs("k", &arr, false)),
            "k=a,b%20c,d%2Ce"
        );
        assert!(form_pairs("k", &Value::Null, true).is_empty());
        let obj = json!({"p": 1, "q": true});
        assert_eq!(encode_pairs(&form_pairs("k", &obj, true)), "p=1&q=true");
        assert_eq!(encode_pairs(&form_pairs("k", &obj, false)), "k=p,1,q,true");
        assert_eq!(simple_text(&arr).as_deref(), Some("a,b c,d,e"));
    }
}
