//! Spec prose → `#[doc]` attributes that rustdoc renders cleanly: no accidental doctests, no
//! broken intra-doc links, no bare URLs, no stray HTML.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::{Constraints, Docs};

/// One `#[doc = " line"]` per line (the leading space makes prettyplease print `/// line`).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect();
    quote! { #( #[doc = #lines] )* }
}

/// Summary, description and examples as markdown.
pub fn render(docs: &Docs) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(summary) = docs.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(sanitize(summary.trim()));
    }
    if let Some(description) = docs.description.as_deref().filter(|s| !s.trim().is_empty()) {
        let description = sanitize(description.trim());
        if parts.first() != Some(&description) {
            parts.push(description);
        }
    }
    if docs.deprecated {
        parts.push("**Deprecated.**".into());
    }
    if !docs.examples.is_empty() {
        parts.push(examples_section(&docs.examples));
    }
    parts.join("\n\n")
}

pub fn examples_section(examples: &[Value]) -> String {
    let mut out = String::from(if examples.len() == 1 {
        "# Example"
    } else {
        "# Examples"
    });
    for example in examples {
        let text = match example {
            Value::String(s) if !s.contains('\n') => format!("{example}"),
            other => serde_json::to_string_pretty(other).unwrap_or_default(),
        };
        out.push_str("\n```json\n");
        out.push_str(&text);
        out.push_str("\n```");
    }
    out
}

/// Human description of validation keywords, for alias docs.
pub fn constraints_line(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => parts.push(format!("length {a}–{b}")),
        (Some(a), None) => parts.push(format!("length at least {a}")),
        (None, Some(b)) => parts.push(format!("length at most {b}")),
        _ => {}
    }
    if let Some(p) = &c.pattern {
        parts.push(format!("matches `{}`", p.replace('`', "'")));
    }
    if let Some(m) = c.minimum {
        parts.push(format!(
            "{} {m}",
            if c.exclusive_minimum { ">" } else { "≥" }
        ));
    }
    if let Some(m) = c.maximum {
        parts.push(format!(
            "{} {m}",
            if c.exclusive_maximum { "<" } else { "≤" }
        ));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join(", ")))
}

/// Make spec markdown safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !in_fence {
                let lang = trimmed.trim_start_matches(['`', '~']).trim();
                // Only Rust fences would become doctests; everything else is shown as text.
                let fence =
                    &trimmed[..trimmed.len() - trimmed.trim_start_matches(['`', '~']).len()];
                out.push(format!(
                    "{fence}{}",
                    if lang.is_empty() || lang == "rust" {
                        "text"
                    } else {
                        lang
                    }
                ));
            } else {
                out.push(trimmed.to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            // Indented blocks would be doctests: drop the indentation.
            out.push(escape_inline(trimmed));
        }
    }
    if in_fence {
        out.push("```".into());
    }
    out.join("\n")
}

/// Escape brackets that are not links, angle brackets that are not autolinks, and wrap bare
/// URLs, leaving `code spans` alone.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        let starts_with = |prefix: &str| {
            prefix
                .chars()
                .enumerate()
                .all(|(k, p)| chars.get(i + k) == Some(&p))
        };
        match c {
            '[' => {
                // A markdown link `[text](url)` stays; anything else is escaped.
                let close = chars[i..].iter().position(|&x| x == ']').map(|p| p + i);
                let is_link = close.is_some_and(|j| chars.get(j + 1) == Some(&'('));
                if is_link {
                    let j = close.unwrap_or(i);
                    let end = chars[j..]
                        .iter()
                        .position(|&x| x == ')')
                        .map(|p| p + j)
                        .unwrap_or(chars.len() - 1);
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' if starts_with("<http://") || starts_with("<https://") => {
                let end = chars[i..]
                    .iter()
                    .position(|&x| x == '>')
                    .map(|p| p + i)
                    .unwrap_or(chars.len() - 1);
                out.extend(&chars[i..=end]);
                i = end + 1;
                continue;
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            'h' if starts_with("http://") || starts_with("https://") => {
                let end = chars[i..]
                    .iter()
                    .position(|&x| x.is_whitespace() || x == ')' || x == '"' || x == '\'')
                    .map(|p| p + i)
                    .unwrap_or(chars.len());
                let mut url: String = chars[i..end].iter().collect();
                let trailing: String = {
                    let t = url.len() - url.trim_end_matches(['.', ',', ';', ':']).len();
                    url.split_off(url.len() - t)
                };
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_markdown_for_rustdoc() {
        assert_eq!(sanitize("see https://x.io/a."), "see <https://x.io/a>.");
        assert_eq!(
            sanitize("[link](https://x.io) and [note]"),
            "[link](https://x.io) and \\[note\\]"
        );
        assert_eq!(sanitize("a <b> `[c]`"), "a &lt;b&gt; `[c]`");
        assert_eq!(sanitize("```\n{\"a\": 1}\n```"), "```text\n{\"a\": 1}\n```");
        assert_eq!(sanitize("    indented"), "indented");
    }
}
