//! Reading a spec: bytes → JSON value (JSON or YAML, told apart by content) → one document with
//! every external `$ref` bundled in → normalized → `openapiv3::OpenAPI`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

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
    let mut bundled = None;
    if has_external_refs(&doc) {
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Bundler::new(base, lexical_normalize(path)).bundle(&mut doc)?;
        bundled = Some(doc.clone());
    }
    check_local_refs(&doc, &doc, Keys::Keywords, &mut Vec::new()).map_err(|e| e.in_file(path))?;
    collapse_ref_chains(&mut doc);
    inline_path_item_refs(&mut doc).map_err(|e| e.in_file(path))?;
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
        let value: serde_yaml::Value = serde_yaml::from_str(trimmed).map_err(|e| {
            let location = e
                .location()
                .map(|l| format!("line {} column {}", l.line(), l.column()))
                .unwrap_or_else(|| "start of file".into());
            Error::at(location, format!("invalid YAML: {e}"))
        })?;
        yaml_to_json(value, "#")
    }
}

/// YAML allows keys and values JSON cannot hold; convert with a pointer for what fails.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Error::at(pointer, format!("number {f} cannot be represented in JSON"))
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Error::at(
                            pointer,
                            format!("unsupported mapping key {other:?}"),
                        ))
                    }
                };
                let child = format!("{pointer}/{}", escape_pointer(&key));
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
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

/// Escape one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Follow a JSON pointer fragment (`/components/schemas/X`) inside a value.
pub fn resolve_pointer<'a>(doc: &'a Value, fragment: &str) -> Option<&'a Value> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.is_empty() {
        return Some(doc);
    }
    fragment.split('/').skip(1).try_fold(doc, |v, seg| {
        // Most segments are plain names: no escapes, no allocation.
        let seg: std::borrow::Cow<str> = if seg.contains(['~', '%']) {
            unescape_pointer(&percent_decode(seg)).into()
        } else {
            seg.into()
        };
        match v {
            Value::Object(m) => m.get(seg.as_ref()),
            Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
    })
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            // Check the bytes before slicing: `%` may precede a multi-byte character.
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
