//! Local `$ref`s of one (bundled) document: every one must resolve; chains between parameter,
//! response, request-body and header components are shortened to their end; path items given
//! as `$ref`s are inlined.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::pointer::{escape_pointer, resolve_pointer};
use crate::error::{Error, Result};

/// Check every local `$ref`, then shorten component chains and inline path-item `$ref`s.
pub(super) fn resolve(doc: &mut Value) -> Result<()> {
    check_local_refs(doc, doc, Keys::Keywords, &mut Vec::new())?;
    collapse_ref_chains(doc);
    inline_path_item_refs(doc)
}

/// Every local `$ref` must land somewhere: a dangling one is a broken document, not a type the
/// generator may guess. Literal data (`example(s)`, `default`, `enum`, `const`, extensions) may
/// legitimately hold a `$ref` key and is not followed.
fn check_local_refs<'a>(
    doc: &Value,
    value: &'a Value,
    keys: Keys,
    path: &mut Vec<Segment<'a>>,
) -> Result<()> {
    let names = keys != Keys::Keywords;
    match value {
        Value::Object(m) => {
            if let Some(reference) = m.get("$ref").and_then(Value::as_str) {
                if reference.starts_with('#') {
                    check_ref(doc, reference)
                        .map_err(|e| Error::at(format!("{}/$ref", pointer_of(path)), e))?;
                }
            }
            for (key, child) in m {
                path.push(Segment::Key(key));
                let checked = match (key.as_str(), child) {
                    (k, _) if keys.is_literal(k) => Ok(()),
                    // Named Example objects: only their own `$ref`, never the literal `value`.
                    ("examples", Value::Object(named)) if !names => {
                        named.iter().try_for_each(|(name, example)| {
                            let Some(reference) = example.get("$ref").and_then(Value::as_str)
                            else {
                                return Ok(());
                            };
                            check_ref(doc, reference).map_err(|e| {
                                let name = escape_pointer(name);
                                Error::at(format!("{}/{name}/$ref", pointer_of(path)), e)
                            })
                        })
                    }
                    ("examples", _) if !names => Ok(()),
                    _ => check_local_refs(doc, child, keys.of_child(key), path),
                };
                path.pop();
                checked?;
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                let checked = check_local_refs(doc, item, Keys::Keywords, path);
                path.pop();
                checked?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// What the keys of an object are, which decides whether `default`, `example` or `x-…` hold
/// literal data (that may contain a `$ref` key meaning nothing) or name something.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// Schema, parameter, media type… keywords.
    Keywords,
    /// Names: properties, components, headers, media types (`x-rate-limit` is a header).
    Names,
    /// Paths or response statuses: names, except `x-…`, which can only be an extension here.
    NamesOrExtensions,
}

impl Keys {
    fn is_literal(self, key: &str) -> bool {
        match self {
            Keys::Keywords => {
                matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-")
            }
            Keys::Names => false,
            Keys::NamesOrExtensions => key.starts_with("x-"),
        }
    }

    /// What the keys of the object under `key` are.
    fn of_child(self, key: &str) -> Keys {
        if self != Keys::Keywords {
            return Keys::Keywords;
        }
        match key {
            "paths" | "responses" => Keys::NamesOrExtensions,
            "webhooks" | "properties" | "patternProperties" | "dependentSchemas" | "headers"
            | "schemas" | "parameters" | "requestBodies" | "securitySchemes" | "links"
            | "callbacks" | "pathItems" | "content" | "encoding" | "variables" | "definitions"
            | "$defs" => Keys::Names,
            _ => Keys::Keywords,
        }
    }
}

/// One step of a JSON pointer, kept borrowed while walking; text only when an error needs it.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer_of(path: &[Segment]) -> String {
    let mut out = String::from("#");
    for segment in path {
        out.push('/');
        match segment {
            Segment::Key(key) => out.push_str(&escape_pointer(key)),
            Segment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// A local `$ref` resolves, directly or through a chain of `$ref`s.
fn check_ref(doc: &Value, reference: &str) -> std::result::Result<(), String> {
    match resolve_pointer(doc, reference) {
        Some(target) if target.get("$ref").is_none() => Ok(()),
        _ => final_target(doc, reference).map(|_| ()),
    }
}

/// Where a chain of `$ref`-only objects starting at `reference` ends: the pointer of the first
/// target that is not itself a `$ref`. A dangling link or a loop of references is an error.
fn final_target(doc: &Value, reference: &str) -> std::result::Result<String, String> {
    let mut current = reference.to_string();
    let mut seen = vec![current.clone()];
    loop {
        let target = resolve_pointer(doc, &current).ok_or_else(|| {
            format!(
                "`$ref` `{current}` does not resolve: nothing in the document is at that pointer"
            )
        })?;
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) if next.starts_with('#') => {
                if seen.iter().any(|s| s == next) {
                    seen.push(next.to_string());
                    return Err(format!(
                        "`$ref`s form a loop that never reaches a definition: {}",
                        seen.join(" → ")
                    ));
                }
                seen.push(next.to_string());
                current = next.to_string();
            }
            _ => return Ok(current),
        }
    }
}

/// `parameters`, `responses`, `requestBodies` and `headers` components may be `$ref`s to one
/// another; `openapiv3` resolves only one step, so every use is pointed at the end of its chain.
/// (Schema chains are kept: each named schema becomes a Rust alias.)
fn collapse_ref_chains(doc: &mut Value) {
    let mut finals: BTreeMap<String, String> = BTreeMap::new();
    if let Some(components) = doc.get("components").and_then(Value::as_object) {
        for section in ["parameters", "responses", "requestBodies", "headers"] {
            for (name, entry) in components
                .get(section)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if entry.get("$ref").is_some() {
                    let here = format!("#/components/{section}/{}", escape_pointer(name));
                    if let Ok(end) = final_target(doc, &here) {
                        finals.insert(here, end);
                    }
                }
            }
        }
    }
    if !finals.is_empty() {
        point_refs_at(doc, Keys::Keywords, &finals);
    }
}

fn point_refs_at(value: &mut Value, keys: Keys, finals: &BTreeMap<String, String>) {
    match value {
        Value::Object(m) => {
            if let Some(Value::String(reference)) = m.get_mut("$ref") {
                if let Some(end) = finals.get(reference.as_str()) {
                    *reference = end.clone();
                }
            }
            for (key, child) in m.iter_mut() {
                // Example values are literal data, like the keywords `is_literal` names.
                let literal = keys.is_literal(key) || (keys == Keys::Keywords && key == "examples");
                if !literal {
                    point_refs_at(child, keys.of_child(key), finals);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| point_refs_at(v, Keys::Keywords, finals)),
        _ => {}
    }
}

/// A path item may be a `$ref` (to another path, to 3.1's `components/pathItems`, or to another
/// file once bundled). `openapiv3` keeps it opaque, so it is replaced by what it points at here;
/// keys written beside the `$ref` (a summary, say) win over the target's.
fn inline_path_item_refs(doc: &mut Value) -> Result<()> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut resolved = Vec::new();
    for (path, item) in paths.iter().filter(|(_, item)| item.get("$ref").is_some()) {
        let pointer = format!("#/paths/{}", escape_pointer(path));
        let mut target = item.clone();
        let mut siblings = Map::new();
        let mut hops = 0;
        while let Some(reference) = target
            .get("$ref")
            .and_then(Value::as_str)
            .map(str::to_owned)
        {
            hops += 1;
            if hops > 32 {
                return Err(Error::at(
                    format!("{pointer}/$ref"),
                    "path item `$ref`s form a cycle",
                ));
            }
            if let Value::Object(own) = &target {
                for (k, v) in own.iter().filter(|(k, _)| *k != "$ref") {
                    siblings.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            target = resolve_pointer(doc, &reference).cloned().ok_or_else(|| {
                Error::at(
                    format!("{pointer}/$ref"),
                    format!("path item `$ref` `{reference}` does not resolve"),
                )
            })?;
        }
        if hops > 0 {
            if let Value::Object(map) = &mut target {
                map.extend(siblings);
            }
            resolved.push((path.clone(), target));
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in resolved {
            paths.insert(path, item);
        }
    }
    Ok(())
}
