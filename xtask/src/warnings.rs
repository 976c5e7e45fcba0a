//! The warnings and paging notes of one generation, grouped by kind and counted at the end of
//! the run (`--verbose` lists each one first).
//!
//! The kind of a message is its text with the names in it (anything in backticks) blanked, so
//! "$ref `#/a` does not resolve" and "$ref `#/b` does not resolve" are one kind without the
//! lowering code having to classify what it reports.

use std::collections::BTreeMap;
use std::path::Path;

use generator::ir::Api;

/// A message's kind: names in backticks become `…`, and a list of names becomes one.
pub fn kind_of(message: &str) -> String {
    let mut kind = String::with_capacity(message.len());
    let mut parts = message.split('`');
    kind.push_str(parts.next().unwrap_or_default());
    // Odd parts were inside backticks; an unbalanced last backtick keeps its text.
    while let Some(inside) = parts.next() {
        match parts.next() {
            Some(after) => {
                kind.push_str("`…`");
                kind.push_str(after);
            }
            None => {
                kind.push('`');
                kind.push_str(inside);
            }
        }
    }
    for list in ["`…`, `…`", "`…` and `…`", "`…`, and `…`"] {
        while kind.contains(list) {
            kind = kind.replace(list, "`…`");
        }
    }
    kind
}

/// Kinds with their counts, most frequent first (then by text, so output is stable).
pub fn group<'a>(kinds: impl IntoIterator<Item = &'a str>) -> Vec<(usize, String)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for kind in kinds {
        *counts.entry(kind_of(kind)).or_default() += 1;
    }
    let mut groups: Vec<(usize, String)> = counts.into_iter().map(|(k, n)| (n, k)).collect();
    groups.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    groups
}

/// The reason a note gives, without the signals before it (`limit` looks like paging, but …),
/// which name the operation's own parameters and would make every note its own kind.
fn note_kind(reason: &str) -> &str {
    reason
        .split_once(" like paging, but ")
        .map_or(reason, |(_, why)| why)
}

/// Every line to print for `api`'s warnings and notes: each one when `verbose`, then the counts.
pub fn lines(api: &Api, spec: &Path, verbose: bool) -> Vec<String> {
    let mut out = Vec::new();
    let hint = if verbose {
        ""
    } else {
        " (`--verbose` lists each)"
    };
    if verbose {
        for w in &api.warnings {
            out.push(format!(
                "warning: {} at {}: {}",
                spec.display(),
                w.pointer,
                w.message
            ));
        }
        for note in &api.paging_notes {
            out.push(format!(
                "note: {} ({}) is not paged: {}; declare it under [pagination.{}] in {} if it is",
                note.operation,
                note.label,
                note.reason,
                note.operation,
                generator::config::FILE_NAME
            ));
        }
    }
    if !api.warnings.is_empty() {
        out.push(format!(
            "warning: {} in {}{hint}:",
            crate::ui::count(api.warnings.len(), "warning", "warnings"),
            spec.display()
        ));
        let groups = group(api.warnings.iter().map(|w| w.message.as_str()));
        out.extend(groups.iter().map(|(n, kind)| format!("{n:>8} × {kind}")));
    }
    if !api.paging_notes.is_empty() {
        let n = api.paging_notes.len();
        let (look, have) = if n == 1 {
            ("looks", "has")
        } else {
            ("look", "have")
        };
        out.push(format!(
            "note: {} {look} paged but {have} no `pages()`{hint}; declare one under \
             [pagination.<operationId>] in {} if it is paged. Why not:",
            crate::ui::count(n, "operation", "operations"),
            generator::config::FILE_NAME
        ));
        let groups = group(api.paging_notes.iter().map(|n| note_kind(&n.reason)));
        out.extend(groups.iter().map(|(n, kind)| format!("{n:>8} × {kind}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::ir::{PagingNote, Warning};

    #[test]
    fn names_are_blanked_and_lists_of_names_fold() {
        assert_eq!(
            kind_of("$ref `#/components/schemas/A` does not resolve; typed as any JSON value"),
            "$ref `…` does not resolve; typed as any JSON value"
        );
        assert_eq!(
            kind_of("`before`, `after`, `limit` look like paging"),
            "`…` look like paging"
        );
        assert_eq!(kind_of("`a` and `b` clash"), "`…` clash");
        assert_eq!(kind_of("no names here"), "no names here");
        assert_eq!(kind_of("unbalanced `tick"), "unbalanced `tick");
    }

    fn api(warnings: &[(&str, &str)], notes: &[(&str, &str)]) -> Api {
        let mut api = generator::load_api(
            &crate::workspace_root().join("tests/fixtures/constructs/nullable.yaml"),
        )
        .unwrap();
        api.warnings = warnings
            .iter()
            .map(|(pointer, message)| Warning {
                pointer: (*pointer).into(),
                message: (*message).into(),
            })
            .collect();
        api.paging_notes = notes
            .iter()
            .map(|(operation, reason)| PagingNote {
                operation: (*operation).into(),
                label: format!("GET /{operation}"),
                reason: (*reason).into(),
            })
            .collect();
        api
    }

    #[test]
    fn warnings_and_notes_are_counted_by_kind_and_listed_when_verbose() {
        let api = api(
            &[
                ("#/a", "$ref `#/x` does not resolve; typed as any JSON value"),
                ("#/b", "`not` schemas cannot be typed; using any JSON value"),
                ("#/c", "$ref `#/y` does not resolve; typed as any JSON value"),
            ],
            &[
                ("list_a", "`limit` looks like paging, but no request input takes a next-page value from the response"),
                ("list_b", "`before`, `limit` look like paging, but no request input takes a next-page value from the response"),
                ("list_c", "`before` looks like paging, but `before` is a date-time: a filter, not a cursor"),
            ],
        );
        let spec = Path::new("api.yaml");
        let quiet_list = lines(&api, spec, false);
        assert_eq!(
            quiet_list,
            [
                "warning: 3 warnings in api.yaml (`--verbose` lists each):",
                "       2 × $ref `…` does not resolve; typed as any JSON value",
                "       1 × `…` schemas cannot be typed; using any JSON value",
                "note: 3 operations look paged but have no `pages()` (`--verbose` lists each); \
                 declare one under [pagination.<operationId>] in oapi.toml if it is paged. Why not:",
                "       2 × no request input takes a next-page value from the response",
                "       1 × `…` is a date-time: a filter, not a cursor",
            ]
        );
        let verbose = lines(&api, spec, true);
        assert_eq!(verbose.len(), 3 + 3 + quiet_list.len());
        assert_eq!(
            verbose[0],
            "warning: api.yaml at #/a: $ref `#/x` does not resolve; typed as any JSON value"
        );
        assert!(verbose[3].starts_with(
            "note: list_a (GET /list_a) is not paged: `limit` looks like paging, but"
        ));
        assert!(!verbose.iter().any(|l| l.contains("--verbose")));
    }

    #[test]
    fn nothing_to_say_prints_nothing() {
        assert!(lines(&api(&[], &[]), Path::new("api.yaml"), true).is_empty());
    }
}
