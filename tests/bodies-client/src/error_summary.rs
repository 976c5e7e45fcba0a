//! A short, secret-free summary of an error response body for `Display` and logs.
//!
//! Only a body's messages and field locations are kept: a validation error's `input` (the
//! value the caller sent, which may be a secret) and `ctx` never are.

use serde_json::Value;

/// Longest summary, in characters.
const MAX_CHARS: usize = 300;
/// Validation errors listed before `(+N more)`.
const MAX_ITEMS: usize = 5;

/// The summary of an error body, or `None` when there is nothing useful to show.
pub(crate) fn summarize(body: &[u8]) -> Option<String> {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(json) => summarize_json(&json)?,
        Err(_) => summarize_text(&String::from_utf8_lossy(body))?,
    };
    Some(truncate(&text))
}

fn summarize_json(json: &Value) -> Option<String> {
    let object = json.as_object()?;
    // FastAPI/pydantic `detail`, and the common `errors` / `validation` lists.
    for key in ["detail", "errors", "validation"] {
        if let Some(items) = object.get(key).and_then(Value::as_array) {
            let lines: Vec<String> = items.iter().filter_map(item_line).collect();
            if !lines.is_empty() {
                let mut out = lines[..lines.len().min(MAX_ITEMS)].join("; ");
                if lines.len() > MAX_ITEMS {
                    out.push_str(&format!(" (+{} more)", lines.len() - MAX_ITEMS));
                }
                return Some(out);
            }
        }
    }
    for key in ["message", "detail", "error_description", "error", "title"] {
        match object.get(key) {
            Some(Value::String(text)) if !text.trim().is_empty() => {
                return Some(one_line(text));
            }
            Some(Value::Object(inner)) => {
                if let Some(Value::String(text)) = inner.get("message") {
                    return Some(one_line(text));
                }
            }
            _ => {}
        }
    }
    None
}

/// `loc: msg` of one validation error (`body.credits.0.kg: Input should be greater than 0`).
fn item_line(item: &Value) -> Option<String> {
    let item = item.as_object()?;
    let message = ["msg", "message", "detail"]
        .iter()
        .find_map(|k| item.get(*k)?.as_str())?;
    let location = ["loc", "location", "path", "field", "pointer"]
        .iter()
        .find_map(|k| item.get(*k))
        .and_then(location_text);
    Some(match location {
        Some(location) => format!("{location}: {}", one_line(message)),
        None => one_line(message),
    })
}

fn location_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("."),
        ),
        _ => None,
    }
}

/// A text body: its first non-empty line, unless it is markup.
fn summarize_text(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if line.starts_with('<') {
        return None;
    }
    Some(one_line(line))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(MAX_CHARS).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_lists_keep_locations_and_messages_only() {
        let body = br#"{"detail":[{"loc":["body","kg"],"msg":"Input should be greater than 0","input":"hunter2","type":"x"},{"loc":["query","first"],"msg":"too big","type":"y"}]}"#;
        assert_eq!(
            summarize(body).as_deref(),
            Some("body.kg: Input should be greater than 0; query.first: too big")
        );
        let many: Vec<String> = (0..8)
            .map(|i| format!(r#"{{"loc":["body","f{i}"],"msg":"m"}}"#))
            .collect();
        let body = format!(r#"{{"detail":[{}]}}"#, many.join(","));
        assert!(summarize(body.as_bytes())
            .unwrap()
            .ends_with("body.f4: m (+3 more)"));
    }

    #[test]
    fn messages_text_and_markup() {
        assert_eq!(
            summarize(br#"{"detail":"Not found"}"#).as_deref(),
            Some("Not found")
        );
        assert_eq!(
            summarize(br#"{"error":{"message":"slow down","code":7}}"#).as_deref(),
            Some("slow down")
        );
        assert_eq!(summarize(br#"{"id":"x"}"#), None);
        assert_eq!(
            summarize(b"\n upstream  exploded\nstack").as_deref(),
            Some("upstream exploded")
        );
        assert_eq!(summarize(b"<html><body>502</body></html>"), None);
        assert_eq!(summarize(b""), None);
        assert!(
            summarize("x".repeat(1000).as_bytes())
                .unwrap()
                .chars()
                .count()
                <= MAX_CHARS + 1
        );
    }
}
