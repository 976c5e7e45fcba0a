//! Inputs for timing the diff on a registry-sized spec: the spec and a copy with a handful of
//! typical edits (an endpoint removed, an optional query parameter added, a property retyped,
//! a response property added, an enum value added).

use std::path::Path;

use serde_json::{json, Value};

use crate::ir::Api;
use crate::{Error, Result};

/// A modified copy of a JSON spec (used by the benchmark, tests and manual runs).
pub fn modified_copy(spec_json: &str) -> Result<String> {
    let mut doc: Value =
        serde_json::from_str(spec_json).map_err(|e| Error::new(format!("not JSON: {e}")))?;
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        // Remove the last path; add an optional query parameter to the first GET.
        if let Some(last) = paths.keys().next_back().cloned() {
            paths.shift_remove(&last);
        }
        if let Some(get) = paths.values_mut().find_map(|item| item.get_mut("get")) {
            let params = get
                .as_object_mut()
                .map(|g| g.entry("parameters").or_insert_with(|| json!([])));
            if let Some(Value::Array(params)) = params {
                params.push(json!({"name": "bench_filter", "in": "query", "required": false, "schema": {"type": "string"}}));
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let mut retyped = false;
        let mut added = false;
        let mut enum_added = false;
        for schema in schemas.values_mut() {
            if !enum_added {
                if let Some(Value::Array(values)) = schema.get_mut("enum") {
                    values.push(json!("BENCH_VALUE"));
                    enum_added = true;
                    continue;
                }
            }
            let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
                continue;
            };
            if !retyped {
                if let Some(p) = props
                    .values_mut()
                    .find(|p| p.get("type") == Some(&json!("string")))
                {
                    *p = json!({"type": "integer"});
                    retyped = true;
                    continue;
                }
            }
            if !added {
                props.insert("bench_extra".into(), json!({"type": "string"}));
                added = true;
            }
        }
    }
    serde_json::to_string_pretty(&doc).map_err(|e| Error::new(e.to_string()))
}

/// The spec at `spec` and its [`modified_copy`], both lowered: the input pair to time.
pub fn bench_inputs(spec: &Path) -> Result<(Api, Api)> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| Error::new(format!("cannot read spec: {e}")).in_file(spec))?;
    let old = crate::lower::lower(&crate::load::load_str(&text, spec)?);
    let modified = modified_copy(&text).map_err(|e| e.in_file(spec))?;
    let new = crate::lower::lower(&crate::load::load_str(&modified, spec)?);
    Ok((old, new))
}

/// What `cargo xtask bench` times: one full diff of two lowered specs (returns the change
/// count so the work cannot be optimised away).
pub fn bench_diff(old: &Api, new: &Api) -> usize {
    super::diff(old, new).len()
}
