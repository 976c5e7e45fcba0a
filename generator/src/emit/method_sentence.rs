//! The first doc line of an operation method: the spec's summary when it says something, else a
//! sentence built from the method name and path ("Get a credit batch by ID."), and the word
//! helpers that sentence and the parameter docs share.

use super::docs::is_title_echo;
use super::operation_docs::lists;
use crate::ir::Operation;

/// Verbs a method name or a summary may start with.
const VERBS: &[&str] = &[
    "get", "list", "create", "update", "delete", "remove", "set", "add", "search", "find", "fetch",
    "retrieve", "upload", "download", "cancel", "send", "start", "stop", "replace", "check",
    "verify", "validate", "submit", "login", "logout", "reset", "refresh", "revoke", "enable",
    "disable", "approve", "reject", "archive", "restore", "export", "import", "count", "generate",
    "watch", "tail", "stream", "patch", "put", "post", "read", "run", "assign", "unassign",
    "register", "close", "open", "move", "copy", "edit", "mark",
];

/// The first doc line: the spec's summary when it says something, else a sentence built from
/// the method name and path ("Get a credit batch by ID.").
pub fn what_it_does(op: &Operation) -> String {
    if let Some(summary) = op
        .docs
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.contains('\n'))
    {
        let summary = super::docs::sanitize(summary);
        // FastAPI titles the handler's name (`Credit Batch`): the method name says it better.
        if !is_generated_summary(op, &summary) {
            return sentence(&summary);
        }
    }
    built_sentence(op)
}

/// A summary that is only the operation's id (or handler name) title-cased, as FastAPI writes.
fn is_generated_summary(op: &Operation, summary: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let summary = key(summary);
    !summary.is_empty() && (key(&op.id).starts_with(&summary) || key(&op.rust_name) == summary)
}

fn built_sentence(op: &Operation) -> String {
    let words: Vec<&str> = op.rust_name.split('_').filter(|w| !w.is_empty()).collect();
    let ends_in_param = op
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|s| s.starts_with('{'));
    let last_param = ends_in_param
        .then(|| {
            let seg = op
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            seg.trim_matches(['{', '}']).to_string()
        })
        .filter(|s| !s.is_empty());
    let (verb, object) = match words.split_first() {
        Some((first, rest)) if VERBS.contains(first) && !rest.is_empty() => {
            (first.to_string(), rest.join(" "))
        }
        _ => {
            let verb = match op.method.as_str() {
                "GET" if lists(op) => "list",
                "GET" | "HEAD" => "get",
                "POST" => "create",
                "PUT" => "replace",
                "PATCH" => "update",
                "DELETE" => "delete",
                _ => "call",
            };
            let resource = op
                .path
                .rsplit('/')
                .find(|s| !s.is_empty() && !s.starts_with('{'))
                .map(|s| human(s).to_lowercase())
                .unwrap_or_else(|| "the API root".into());
            let resource = if ends_in_param {
                singular(resource)
            } else {
                resource
            };
            (verb.to_string(), resource)
        }
    };
    let by = last_param.map(|p| {
        let name = human(&p);
        if name.to_lowercase() == object {
            // `PUT /parts/{part}` updates a part, not "a part by part".
            return String::new();
        }
        if name == "ID"
            || name.ends_with(" ID") && object.ends_with(&name[..name.len() - 3].to_lowercase())
        {
            " by ID".to_string()
        } else {
            format!(" by {}", name)
        }
    });
    let article = |noun: &str| {
        if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        }
    };
    let phrase = match (verb.as_str(), &by) {
        ("list" | "search" | "count" | "export", _) => object.clone(),
        (_, Some(by)) => format!("{} {object}{by}", article(&object)),
        ("create" | "add" | "upload" | "register", None) => {
            format!("{} {object}", article(&object))
        }
        (_, None) => format!("the {object}"),
    };
    sentence(&format!("{} {phrase}", capitalize(&verb)))
}

/// The literal path segment right before `{name}`.
pub(super) fn segment_before(path: &str, name: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let at = segments
        .iter()
        .position(|s| s.trim_matches(['{', '}']) == name && s.starts_with('{'))?;
    segments[..at]
        .iter()
        .rev()
        .find(|s| !s.starts_with('{'))
        .map(|s| human(s).to_lowercase())
}

/// `credit_batch_id` → `credit batch ID`, `petId` → `pet ID`.
pub(super) fn human(name: &str) -> String {
    use heck::ToSnakeCase;
    name.to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w == "id" {
                "ID".to_string()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `credit batches` → `credit batch`, `deliveries` → `delivery`.
pub(super) fn singular(words: String) -> String {
    let (head, last) = match words.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l.to_string()),
        None => (String::new(), words.clone()),
    };
    let one = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["ches", "shes", "sses", "xes", "zes"]
        .iter()
        .any(|s| last.ends_with(s))
    {
        last[..last.len() - 2].to_string()
    } else if last.ends_with('s') && !last.ends_with("ss") && !last.ends_with("us") {
        last[..last.len() - 1].to_string()
    } else {
        last
    };
    format!("{head}{one}")
}

pub(super) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` ending in a full stop (unless it already ends a sentence).
pub(super) fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', ':']) || text.ends_with('`') {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// Do two pieces of prose say the same (ignoring case and punctuation)?
pub(super) fn same_sentence(a: &str, b: &str) -> bool {
    is_title_echo(a, &[b])
}
