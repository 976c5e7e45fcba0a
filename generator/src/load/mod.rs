//! Reading a spec: bytes → JSON value (JSON or YAML, told apart by content) → one document with
//! every external `$ref` bundled in → normalized → `openapiv3::OpenAPI`.

mod bundle;
mod local_refs;
mod pointer;
mod yaml;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

pub use pointer::{escape_pointer, resolve_pointer};

use crate::error::{Error, Result};
use crate::normalize::normalize_document;

/// A loaded document: the typed form for lowering and the normalized JSON for what `openapiv3`
/// does not keep (examples, pointers).
pub struct Loaded {
    pub path: PathBuf,
    pub openapi: openapiv3::OpenAPI,
    pub raw: Value,
    /// The `openapi` version the file declared (`3.1.0`).
    pub declared_version: String,
    /// For a spec spread over several files: the one self-contained document they bundle into,
    /// as written (before normalizing). `None` when the spec is a single file.
    pub bundled: Option<Value>,
}

/// Read and parse one spec file from disk.
pub fn load_file(path: &Path) -> Result<Loaded> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(format!("cannot read spec: {e}")).in_file(path))?;
    load_str(&text, path)
}

/// Parse a spec from text; `path` names it in errors and anchors relative `$ref`s.
pub fn load_str(text: &str, path: &Path) -> Result<Loaded> {
    let mut doc = parse_value(text).map_err(|e| e.in_file(path))?;
    check_is_openapi(&doc).map_err(|e| e.in_file(path))?;
    let bundled = bundle::bundle_other_files(&mut doc, path)?.then(|| doc.clone());
    local_refs::resolve(&mut doc).map_err(|e| e.in_file(path))?;
    let declared_version = normalize_document(&mut doc);
    let openapi = parse_openapi(&doc).map_err(|e| e.in_file(path))?;
    Ok(Loaded {
        path: path.to_path_buf(),
        openapi,
        raw: doc,
        declared_version,
        bundled,
    })
}

/// JSON when the first meaningful character opens an object, YAML otherwise (YAML errors carry
/// line and column).
pub fn parse_value(text: &str) -> Result<Value> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).map_err(|e| {
            Error::at(
                format!("line {} column {}", e.line(), e.column()),
                format!("invalid JSON: {e}"),
            )
        })
    } else {
        yaml::parse(trimmed)
    }
}

fn check_is_openapi(doc: &Value) -> Result<()> {
    let Some(obj) = doc.as_object() else {
        return Err(Error::at(
            "#",
            "expected an OpenAPI document (a mapping at the top level)",
        ));
    };
    if let Some(v) = obj.get("swagger") {
        return Err(Error::at(
            "#/swagger",
            format!(
                "Swagger {} is not supported: convert it to OpenAPI 3 first",
                v.as_str().unwrap_or("2.0")
            ),
        ));
    }
    match obj.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") || v.starts_with("3.1") => Ok(()),
        Some(v) => Err(Error::at(
            "#/openapi",
            format!("OpenAPI version {v} is not supported (expected 3.0.x or 3.1.x)"),
        )),
        None => Err(Error::at(
            "#",
            "not an OpenAPI document: no `openapi` version field",
        )),
    }
}

fn parse_openapi(doc: &Value) -> Result<openapiv3::OpenAPI> {
    // Tracking the path costs about a third of loading; only a document that fails pays it,
    // read a second time to say where.
    if let Ok(openapi) = openapiv3::OpenAPI::deserialize(doc) {
        return Ok(openapi);
    }
    serde_path_to_error::deserialize(doc).map_err(|e| {
        let pointer = path_to_pointer(&e.path().to_string());
        let inner = e.into_inner();
        Error::at(pointer, format!("not a valid OpenAPI 3 document: {inner}"))
    })
}

/// `paths./projects.get` (serde_path_to_error's notation) → `#/paths/~1projects/get`.
fn path_to_pointer(path: &str) -> String {
    if path == "." || path.is_empty() {
        return "#".into();
    }
    let mut pointer = String::from("#");
    for segment in path.split('.') {
        let segment = segment.trim_end_matches('?');
        // `[3]` indices.
        let (name, index) = match segment.find('[') {
            Some(i) => (&segment[..i], Some(segment[i + 1..].trim_end_matches(']'))),
            None => (segment, None),
        };
        if !name.is_empty() {
            pointer.push('/');
            pointer.push_str(&escape_pointer(name));
        }
        if let Some(index) = index {
            pointer.push('/');
            pointer.push_str(index);
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_from_serde_path() {
        assert_eq!(
            path_to_pointer("paths./projects.get.responses"),
            "#/paths/~1projects/get/responses"
        );
        assert_eq!(path_to_pointer("tags[2].name"), "#/tags/2/name");
    }

    #[test]
    fn swagger_two_is_refused() {
        let err = load_str(
            "swagger: '2.0'\ninfo: {title: t, version: v}\n",
            Path::new("s.yaml"),
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("s.yaml at #/swagger"), "{err}");
    }

    #[test]
    fn invalid_yaml_reports_line() {
        let err = load_str("openapi: 3.0.0\ninfo: [unclosed\n", Path::new("bad.yaml"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("line"), "{err}");
    }
}
