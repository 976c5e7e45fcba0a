//! Bundling: the targets of `$ref`s to other files are pulled into the root document's
//! components, so the rest of the pipeline only ever sees local references.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::parse_value;
use super::pointer::{escape_pointer, resolve_pointer, unescape_pointer};
use crate::error::{Error, Result};

/// Bundle every file `doc` (read from `path`) refers to; whether there were any.
pub(super) fn bundle_other_files(doc: &mut Value, path: &Path) -> Result<bool> {
    if !has_external_refs(doc) {
        return Ok(false);
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Bundler::new(base, lexical_normalize(path)).bundle(doc)?;
    Ok(true)
}

/// `a/./b/../c` → `a/c`, so one file reached by two spellings is imported once.
fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Which `components` section a `$ref` found at `pointer` refers to, judged by where it sits.
fn section_for_ref_site(pointer: &str) -> &'static str {
    let segments: Vec<&str> = pointer.split('/').collect();
    let n = segments.len();
    let parent = |back: usize| if n > back { segments[n - 1 - back] } else { "" };
    if n == 3 && segments[1] == "paths" {
        "pathItems"
    } else if parent(0) == "requestBody" {
        "requestBodies"
    } else if parent(1) == "parameters" && !segments.contains(&"schema") {
        "parameters"
    } else if parent(1) == "responses" && !segments.contains(&"schema") {
        "responses"
    } else if parent(1) == "headers" && !segments.contains(&"schema") {
        "headers"
    } else {
        "schemas"
    }
}

fn has_external_refs(value: &Value) -> bool {
    match value {
        Value::Object(m) => m.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str().is_some_and(|r| !r.starts_with('#'))) || has_external_refs(v)
        }),
        Value::Array(a) => a.iter().any(has_external_refs),
        _ => false,
    }
}

/// Pulls the targets of relative `$ref`s to other files into the root document's components, so
/// the rest of the pipeline only ever sees local references.
struct Bundler {
    root_dir: PathBuf,
    root_file: PathBuf,
    files: BTreeMap<PathBuf, Value>,
    /// (file, fragment) → local `$ref` already assigned.
    imported: BTreeMap<(PathBuf, String), String>,
    /// Components to add: (section, name) → value.
    pending: Vec<(String, String, Value)>,
}

impl Bundler {
    fn new(root_dir: PathBuf, root_file: PathBuf) -> Self {
        Bundler {
            root_dir,
            root_file,
            files: BTreeMap::new(),
            imported: BTreeMap::new(),
            pending: Vec::new(),
        }
    }

    fn bundle(mut self, doc: &mut Value) -> Result<()> {
        let root = self.root_file.clone();
        self.rewrite(doc, &root, "#")?;
        let components = doc
            .as_object_mut()
            .ok_or_else(|| Error::at("#", "expected a mapping"))?
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        for (section, name, value) in self.pending {
            if let Some(obj) = components.as_object_mut() {
                let section = obj
                    .entry(section)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(s) = section.as_object_mut() {
                    s.insert(name, value);
                }
            }
        }
        Ok(())
    }

    /// Rewrite every `$ref` inside `value`, which lives in `file`.
    fn rewrite(&mut self, value: &mut Value, file: &Path, pointer: &str) -> Result<()> {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let is_root = file == self.root_file;
                    if !(reference.starts_with('#') && is_root) {
                        let local = self.import(reference.clone(), file, pointer)?;
                        map.insert("$ref".into(), Value::String(local));
                    }
                }
                for (k, v) in map.iter_mut() {
                    if k != "$ref" {
                        let child = format!("{pointer}/{}", escape_pointer(k));
                        self.rewrite(v, file, &child)?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    self.rewrite(v, file, &format!("{pointer}/{i}"))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn import(&mut self, reference: String, from: &Path, pointer: &str) -> Result<String> {
        let (file_part, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f.to_string(), frag.to_string()),
            None => (reference.clone(), String::new()),
        };
        if file_part.contains("://") {
            return Err(Error::at(pointer, format!("remote $ref `{reference}` is not supported; download it and refer to the local file")).in_file(from));
        }
        let target_file = if file_part.is_empty() {
            from.to_path_buf()
        } else {
            lexical_normalize(&from.parent().unwrap_or(&self.root_dir).join(&file_part))
        };
        if target_file == self.root_file {
            return Ok(format!("#{fragment}"));
        }
        let key = (target_file.clone(), fragment.clone());
        if let Some(local) = self.imported.get(&key) {
            return Ok(local.clone());
        }
        if !self.files.contains_key(&target_file) {
            let text = std::fs::read_to_string(&target_file).map_err(|e| {
                Error::at(
                    pointer,
                    format!(
                        "cannot read `{}` referenced by `{reference}`: {e}",
                        target_file.display()
                    ),
                )
                .in_file(from)
            })?;
            let parsed = parse_value(&text).map_err(|e| e.in_file(&target_file))?;
            self.files.insert(target_file.clone(), parsed);
        }
        let doc = &self.files[&target_file];
        let mut target = resolve_pointer(doc, &fragment).cloned().ok_or_else(|| {
            Error::at(
                pointer,
                format!(
                    "unresolvable $ref `{reference}`: no `{fragment}` in `{}`",
                    target_file.display()
                ),
            )
            .in_file(from)
        })?;
        let segments: Vec<&str> = fragment.split('/').filter(|s| !s.is_empty()).collect();
        let section = match segments.as_slice() {
            ["components", section, ..] => section.to_string(),
            _ => section_for_ref_site(pointer).to_string(),
        };
        let base_name = segments
            .last()
            .map(|s| unescape_pointer(s))
            .unwrap_or_else(|| {
                target_file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "External".into())
            });
        let mut name = base_name.clone();
        let mut n = 2;
        while self
            .pending
            .iter()
            .any(|(s, existing, _)| *s == section && *existing == name)
        {
            name = format!("{base_name}{n}");
            n += 1;
        }
        let local = format!("#/components/{section}/{}", escape_pointer(&name));
        self.imported.insert(key, local.clone());
        self.rewrite(&mut target, &target_file, &format!("#{fragment}"))?;
        self.pending.push((section, name, target));
        Ok(local)
    }
}
