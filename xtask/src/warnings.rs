//! The warnings and paging notes of one generation. Warnings are grouped by kind and counted
//! (`--verbose` lists each one first); paging notes are always one line per operation, since the
//! operationId they name is what a `[pagination.<operationId>]` declaration needs.
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

/// Every line to print for `api`'s warnings (each one when `verbose`, then the counts) and
/// paging notes (each one).
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
        let each_note = [
            "note: list_a (GET /list_a) is not paged: `limit` looks like paging, but no request \
             input takes a next-page value from the response; declare it under \
             [pagination.list_a] in oapi.toml if it is",
            "note: list_b (GET /list_b) is not paged: `before`, `limit` look like paging, but no \
             request input takes a next-page value from the response; declare it under \
             [pagination.list_b] in oapi.toml if it is",
            "note: list_c (GET /list_c) is not paged: `before` looks like paging, but `before` is \
             a date-time: a filter, not a cursor; declare it under [pagination.list_c] in \
             oapi.toml if it is",
        ];
        let mut expected = vec![
            "warning: 3 warnings in api.yaml (`--verbose` lists each):",
            "       2 × $ref `…` does not resolve; typed as any JSON value",
            "       1 × `…` schemas cannot be typed; using any JSON value",
        ];
        expected.extend(each_note);
        assert_eq!(quiet_list, expected);
        let verbose = lines(&api, spec, true);
        assert_eq!(verbose.len(), 3 + quiet_list.len());
        assert_eq!(
            verbose[0],
            "warning: api.yaml at #/a: $ref `#/x` does not resolve; typed as any JSON value"
        );
        assert_eq!(verbose[verbose.len() - 3..], each_note);
        assert!(!verbose.iter().any(|l| l.contains("--verbose")));
    }

    #[test]
    fn nothing_to_say_prints_nothing() {
        assert!(lines(&api(&[], &[]), Path::new("api.yaml"), true).is_empty());
    }
}
