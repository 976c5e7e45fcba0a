//! Spec prose → `#[doc]` attributes that rustdoc renders cleanly: no accidental doctests, no
//! broken intra-doc links, no bare URLs, no stray HTML.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::{Constraints, Docs, Field, TypeDef};

/// One `#[doc = " line"]` per line (the leading space makes prettyplease print `/// line`).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            doc_literal("")
        } else {
            doc_literal(&format!(" {l}"))
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// `text` as a raw string literal. Docs are most of the generated text; a plain literal escapes
/// every character on the way in and prettyplease unescapes it again on the way out, a raw one
/// is copied both ways (the printed `///` line is the same).
pub fn doc_literal(text: &str) -> proc_macro2::Literal {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

/// Summary, description and examples as markdown.
pub fn render(docs: &Docs) -> String {
    render_named(docs, &[])
}

/// [`render`], leaving out a summary that only restates one of `names` (a pydantic title:
/// `Refunded At` on `refunded_at`, `Id` on `id`, `BufferPoolRefund` on the type).
pub fn render_named(docs: &Docs, names: &[&str]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(summary) = docs
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty() && !is_title_echo(s, names))
    {
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

/// Docs of a named type, without a title that restates its name.
pub fn type_docs(def: &TypeDef) -> String {
    let mut names: Vec<&str> = vec![&def.name];
    names.extend(def.schema_names.iter().map(String::as_str));
    render_named(&def.docs, &names)
}

/// Docs of a property: description, examples, constraints and default, without a title that
/// restates its name, and without the deprecation line when `#[deprecated]` says it.
pub fn field_docs(field: &Field) -> String {
    let docs = Docs {
        deprecated: false,
        ..field.docs.clone()
    };
    let mut text = render_named(&docs, &[&field.name, &field.rust_name]);
    if let Some(line) = constraints_line(&field.constraints) {
        text = if text.is_empty() {
            line
        } else {
            format!("{text}\n\n{line}")
        };
    }
    if let Some(default) = &field.default {
        text.push_str(&format!("\n\nThe server's default: `{default}`."));
    }
    text.trim_start().to_string()
}

/// `#[deprecated(note = …)]` when the spec marks `what` deprecated.
pub fn deprecated_attr(docs: &Docs, what: &str) -> TokenStream {
    if !docs.deprecated {
        return quote! {};
    }
    let note = format!("{what} is deprecated in the API spec");
    quote! { #[deprecated(note = #note)] }
}

/// `#[allow(deprecated)]` for a generated item that must touch a deprecated one.
pub fn allow_deprecated(touches_deprecated: bool) -> TokenStream {
    if touches_deprecated {
        quote! { #[allow(deprecated)] }
    } else {
        quote! {}
    }
}

/// True when `title` says nothing but one of `names`, ignoring case, spaces and punctuation.
pub fn is_title_echo(title: &str, names: &[&str]) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let title = key(title);
    !title.is_empty() && names.iter().any(|n| key(n) == title)
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

    #[test]
    fn titles_that_restate_the_name_are_left_out() {
        let docs = |summary: &str, description: Option<&str>| Docs {
            summary: Some(summary.into()),
            description: description.map(Into::into),
            ..Docs::default()
        };
        assert_eq!(
            render_named(&docs("Refunded At", None), &["refunded_at"]),
            ""
        );
        assert_eq!(
            render_named(&docs("Id", Some("The id.")), &["id"]),
            "The id."
        );
        assert_eq!(
            render_named(&docs("Page[Project]", None), &["Page", "Page_Project_"]),
            ""
        );
        // A title that says more stays.
        assert_eq!(
            render_named(&docs("Time of the refund", None), &["refunded_at"]),
            "Time of the refund"
        );
    }
}
