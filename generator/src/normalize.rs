//! Rewrites an OpenAPI 3.1 document (or a 3.0 one) into the single 3.0 shape that `openapiv3`
//! reads, keeping every fact the generator needs:
//!
//! - `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → `anyOf`;
//! - `anyOf`/`oneOf` with a `{type: null}` member → the other members, `nullable: true`;
//! - `const: v` → `enum: [v]`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + boolean flag;
//! - schema `examples: [..]` → `example` (first) and `x-examples` (all, for docs and tests);
//! - `$ref` with siblings → `allOf: [$ref]` plus the siblings, so descriptions survive;
//! - a media type's `itemSchema` (3.2, sequential media types) → `schema` of one item, and for
//!   `text/event-stream` the schema of one event's data (see [`item_schema`]).
//!
//! It works on `serde_json::Value` so it can see keywords `openapiv3` would drop.

use serde_json::{Map, Value};

/// Normalize a whole document in place. Returns the OpenAPI version it declared.
pub fn normalize_document(doc: &mut Value) -> String {
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("openapi".into(), Value::String("3.0.3".into()));
        // 3.1 makes `paths` optional; openapiv3 requires it.
        obj.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        // Webhooks are not part of a client: they are requests the server makes.
        obj.remove("webhooks");
        obj.remove("jsonSchemaDialect");
    }
    hoist_item_schemas(doc);
    visit_schemas(doc, false);
    version
}

/// Moves each media type's `itemSchema` to `schema` (unless it has one), where `openapiv3` sees
/// it: the generator reads a streamed media type's `schema` as the schema of one item.
fn hoist_item_schemas(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(content)) = map.get_mut("content") {
                for (media_type, media) in content.iter_mut() {
                    let Some(media) = media.as_object_mut() else {
                        continue;
                    };
                    if media.contains_key("schema") {
                        continue;
                    }
                    if let Some(item) = media.remove("itemSchema") {
                        media.insert("schema".into(), item_schema(media_type, item));
                    }
                }
            }
            for child in map.values_mut() {
                hoist_item_schemas(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hoist_item_schemas),
        _ => {}
    }
}

/// The schema of one item. For `text/event-stream` the item is an event object and what the
/// generator types is its `data`: the `contentSchema` of `properties.data` (JSON carried in the
/// string), else `properties.data` itself; an item without `data` stays as it is.
fn item_schema(media_type: &str, item: Value) -> Value {
    if !crate::ir::is_event_stream(media_type) {
        return item;
    }
    match item.pointer("/properties/data") {
        Some(data) => data.get("contentSchema").unwrap_or(data).clone(),
        None => item,
    }
}

/// Walk the document and normalize every value that sits in a schema position.
/// `in_schema` tells whether `value` itself is a schema object.
fn visit_schemas(value: &mut Value, in_schema: bool) {
    match value {
        Value::Object(map) => {
            if in_schema {
                normalize_schema(map);
            }
            for (key, child) in map.iter_mut() {
                let child_is_schema = if in_schema {
                    matches!(
                        key.as_str(),
                        "items"
                            | "not"
                            | "additionalProperties"
                            | "contains"
                            | "if"
                            | "then"
                            | "else"
                    )
                } else {
                    key == "schema"
                };
                let child_holds_schemas = if in_schema {
                    matches!(
                        key.as_str(),
                        "properties"
                            | "patternProperties"
                            | "$defs"
                            | "definitions"
                            | "dependentSchemas"
                    )
                } else {
                    key == "schemas"
                };
                let child_is_schema_list = in_schema
                    && matches!(key.as_str(), "allOf" | "anyOf" | "oneOf" | "prefixItems");
                if child_is_schema {
                    visit_schemas(child, true);
                } else if child_holds_schemas {
                    if let Value::Object(children) = child {
                        for schema in children.values_mut() {
                            visit_schemas(schema, true);
                        }
                    }
                } else if child_is_schema_list {
                    if let Value::Array(items) = child {
                        for schema in items {
                            visit_schemas(schema, true);
                        }
                    }
                } else if !in_schema
                    || !matches!(key.as_str(), "example" | "x-examples" | "default" | "enum")
                {
                    visit_schemas(child, false);
                }
            }
        }
        Value::Array(items) if !in_schema => {
            for item in items {
                visit_schemas(item, false);
            }
        }
        _ => {}
    }
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().all(|t| t == "null"),
        _ => {
            schema.get("const") == Some(&Value::Null)
                && schema.as_object().is_some_and(|m| m.len() == 1)
        }
    }
}

fn normalize_schema(map: &mut Map<String, Value>) {
    // `$ref` with siblings: keep the siblings by wrapping the reference.
    if map.contains_key("$ref") && map.len() > 1 {
        let reference = map.remove("$ref").unwrap_or(Value::Null);
        let mut wrapper = Map::new();
        wrapper.insert("$ref".into(), reference);
        let wrapped = Value::Object(wrapper);
        match map.get_mut("allOf") {
            Some(Value::Array(all)) => all.insert(0, wrapped),
            _ => {
                map.insert("allOf".into(), Value::Array(vec![wrapped]));
            }
        }
    }

    // `type` arrays.
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let mut non_null: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if non_null.len() < types.len() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), non_null.remove(0));
            }
            _ => {
                // Several types: each becomes an anyOf member carrying the keywords that apply.
                map.remove("type");
                let members = non_null
                    .into_iter()
                    .map(|t| {
                        let mut member = Map::new();
                        member.insert("type".into(), t.clone());
                        for key in keywords_for_type(t.as_str().unwrap_or("")) {
                            if let Some(v) = map.get(*key) {
                                member.insert((*key).into(), v.clone());
                            }
                        }
                        Value::Object(member)
                    })
                    .collect();
                map.insert("anyOf".into(), Value::Array(members));
            }
        }
    } else if map.get("type") == Some(&Value::String("null".into())) {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
        map.insert("x-null".into(), Value::Bool(true));
    }

    // Null members of unions.
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            let before = members.len();
            members.retain(|m| !is_null_schema(m));
            if members.len() < before {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
    }

    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![value]));
    }

    // An enum listing `null` is a nullable enum of the rest.
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        let before = values.len();
        values.retain(|v| !v.is_null());
        if values.len() < before {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }

    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(v) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), v);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }

    if let Some(Value::Array(examples)) = map.remove("examples") {
        if !map.contains_key("example") {
            if let Some(first) = examples.first() {
                map.insert("example".into(), first.clone());
            }
        }
        map.insert("x-examples".into(), Value::Array(examples));
    }

    // 3.1 spells raw bytes (a file in a multipart body) as a string with a content media type
    // and no encoding, or, loosely, `contentEncoding: binary`; 3.0 as `format: binary`.
    let raw_bytes = match map.get("contentEncoding").and_then(Value::as_str) {
        Some(encoding) => encoding.eq_ignore_ascii_case("binary"),
        None => map.contains_key("contentMediaType"),
    };
    if raw_bytes
        && map.get("type").and_then(Value::as_str) == Some("string")
        && !map.contains_key("format")
    {
        map.insert("format".into(), Value::String("binary".into()));
    }

    // 3.1 / JSON Schema keywords openapiv3 cannot hold: keep them under x- names.
    for key in [
        "prefixItems",
        "$defs",
        "contentMediaType",
        "contentEncoding",
        "$schema",
        "$id",
        "$comment",
    ] {
        if let Some(v) = map.remove(key) {
            map.insert(format!("x-{key}"), v);
        }
    }

    // openapiv3 rejects a bare `type: object`-less schema with `items` etc.; an array without
    // `items` is legal JSON Schema: make its items "any".
    if map.get("type") == Some(&Value::String("array".into())) && !map.contains_key("items") {
        map.insert("items".into(), Value::Object(Map::new()));
    }
}

/// Keywords that belong to one JSON type, copied when a `type` array is split into `anyOf`.
fn keywords_for_type(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["format", "minLength", "maxLength", "pattern", "enum"],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "enum",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &["properties", "required", "additionalProperties"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(schema: Value) -> Value {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        normalize_document(&mut doc);
        doc["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn nullable_anyof_becomes_flag() {
        let s = norm(json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"anyOf": [{"$ref": "#/components/schemas/X"}], "nullable": true})
        );
    }

    #[test]
    fn type_array_with_null() {
        assert_eq!(
            norm(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn type_array_of_two_types_becomes_anyof() {
        let s = norm(json!({"type": ["string", "integer"], "minimum": 1}));
        assert_eq!(
            s["anyOf"],
            json!([{"type": "string"}, {"type": "integer", "minimum": 1}])
        );
    }

    #[test]
    fn const_and_exclusive_bounds_and_examples() {
        let s =
            norm(json!({"type": "integer", "const": 3, "exclusiveMinimum": 0, "examples": [3, 4]}));
        assert_eq!(s["enum"], json!([3]));
        assert_eq!(s["minimum"], json!(0));
        assert_eq!(s["exclusiveMinimum"], json!(true));
        assert_eq!(s["example"], json!(3));
        assert_eq!(s["x-examples"], json!([3, 4]));
    }

    #[test]
    fn ref_with_siblings_is_wrapped() {
        let s = norm(json!({"$ref": "#/components/schemas/X", "description": "d"}));
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/X"}]})
        );
    }

    #[test]
    fn nested_property_schemas_are_normalized() {
        let s = norm(json!({"type": "object", "properties": {"a": {"type": ["integer", "null"]}}}));
        assert_eq!(
            s["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
    }
}
