//! Reading specs: YAML and JSON alike, files that refer to other files, `$ref` chains, path
//! templates, and input that must be refused with the file and a location.

use std::path::{Path, PathBuf};

use super::{emitted_code, options, root};

/// A spec written to its own scratch directory (named after the file), removed when dropped.
struct ScratchSpec {
    dir: PathBuf,
    path: PathBuf,
}

impl ScratchSpec {
    fn new(file_name: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("oapi-{}-{file_name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(file_name);
        std::fs::write(&path, text).unwrap();
        ScratchSpec { dir, path }
    }
}

impl Drop for ScratchSpec {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Path templates reach the code exactly: an unclosed `{` is literal text, not a parameter, and
/// an `x-` key among responses is an extension, not a status.
#[test]
fn path_templates_are_emitted_exactly() {
    let spec = ScratchSpec::new(
        "paths.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things{:\n    get: {operationId: odd, responses: {'204': {description: ok}}}\n  /a/{id}/b:\n    get:\n      operationId: nested\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '204': {description: ok}\n        x-note: {$ref: '#/not/a/response'}\n",
    );
    let code = emitted_code(&spec.path);
    assert!(code.contains("Method::GET, \"/things{\")"), "{code}");
    assert!(code.contains("format!(\"/a/{id}/b\")"), "{code}");
}

#[test]
fn yaml_fragment_generates() {
    let spec = root().join("tests/fixtures/stripe-configuration.openapi.yaml");
    let generated = generator::generate_crate(&spec, &options("stripe")).unwrap();
    let ops = &generated.files[Path::new("src/generated/operations.rs")];
    assert!(
        ops.contains("pub fn get_stripe_configuration(&self)"),
        "{ops}"
    );
    assert!(generated.files.contains_key(Path::new("openapi.yaml")));
}

#[test]
fn json_and_yaml_of_one_document_lower_identically() {
    let json_path = root().join("spec/isometric-registry.openapi.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    // No `.yaml` extension: the format is told by content.
    let yaml = ScratchSpec::new("registry.spec", &serde_yaml::to_string(&value).unwrap());
    let from_json = generator::load_api(&json_path).unwrap();
    let from_yaml = generator::load_api(&yaml.path).unwrap();
    assert_eq!(from_json, from_yaml);
}

fn error_for(text: &str, name: &str) -> String {
    let spec = ScratchSpec::new(name, text);
    generator::generate_crate(&spec.path, &options("bad"))
        .unwrap_err()
        .to_string()
}

/// Parameter and response components that are `$ref`s to other components resolve through the
/// whole chain instead of being skipped.
#[test]
fn parameter_and_response_reference_chains_resolve() {
    let spec = ScratchSpec::new(
        "chain.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {'200': {$ref: '#/components/responses/R'}}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {name: q, in: query, schema: {type: string}}\n  responses:\n    R: {$ref: '#/components/responses/S'}\n    S: {description: ok, content: {application/json: {schema: {type: integer}}}}\n",
    );
    let api = generator::load_api(&spec.path).unwrap();
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    let op = &api.operations[0];
    assert_eq!(
        op.params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["q"]
    );
    assert_eq!(
        op.success_body(),
        generator::ir::SuccessBody::Json(generator::ir::TypeRef::Primitive(
            generator::ir::Primitive::I64
        ))
    );
}

#[test]
fn bad_input_names_file_and_location() {
    let err = error_for("{\"openapi\": \"3.0.0\", ", "truncated.json");
    assert!(
        err.contains("truncated.json") && err.contains("line 1"),
        "{err}"
    );
    let err = error_for(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "old.yaml",
    );
    assert!(
        err.contains("old.yaml at #/swagger") && err.contains("Swagger 2.0"),
        "{err}"
    );
    let err = error_for(
        "openapi: 3.0.0\ninfo: {title: t}\npaths: {}\n",
        "noversion.yaml",
    );
    assert!(err.contains("noversion.yaml at #/info"), "{err}");
    let err = error_for("title: not openapi\n", "other.yaml");
    assert!(
        err.contains("other.yaml at #: not an OpenAPI document"),
        "{err}"
    );
    let err = error_for(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/B'}\n",
        "local.yaml",
    );
    assert!(
        err.contains("local.yaml at #/components/schemas/A/properties/b/$ref")
            && err.contains("`#/components/schemas/B` does not resolve"),
        "{err}"
    );
    // `default` and `x-…` are names here (a status, a header), not keywords holding literals.
    let err = error_for(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        default: {$ref: '#/components/responses/Gone'}\n",
        "default.yaml",
    );
    assert!(
        err.contains("default.yaml at #/paths/~1a/get/responses/default/$ref"),
        "{err}"
    );
    let err = error_for(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          headers:\n            x-rate-limit: {schema: {$ref: '#/components/schemas/Limit'}}\n",
        "header.yaml",
    );
    assert!(
        err.contains(
            "header.yaml at #/paths/~1a/get/responses/200/headers/x-rate-limit/schema/$ref"
        ),
        "{err}"
    );
    let err = error_for(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/%aé'}\n",
        "percent.yaml",
    );
    assert!(
        err.contains("percent.yaml at #/components/schemas/A/$ref"),
        "{err}"
    );
    let err = error_for(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        "loop.yaml",
    );
    assert!(
        err.contains("loop.yaml at #/components/schemas/A/$ref") && err.contains("loop"),
        "{err}"
    );
    let err = error_for(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'missing.yaml#/B'}\n",
        "dangling.yaml",
    );
    assert!(
        err.contains("missing.yaml") && err.contains("#/components/schemas/A"),
        "{err}"
    );
}

#[test]
fn multi_file_spec_with_relative_refs() {
    let spec = root().join("tests/fixtures/multi-file/api.yaml");
    let api = generator::load_api(&spec).unwrap();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Customer", "Line", "Order"]);
    let ops: Vec<(&str, &str, &str)> = api
        .operations
        .iter()
        .map(|op| {
            (
                op.path.as_str(),
                op.rust_name.as_str(),
                op.params[0].name.as_str(),
            )
        })
        .collect();
    // Path items by `$ref`: one from another file, one aliasing another path of this document.
    assert_eq!(
        ops,
        [
            ("/clients/{id}", "get_customer", "id"),
            ("/customers/{id}", "get_customer_2", "id"),
            ("/orders/{id}", "get_order", "id"),
        ]
    );
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    // `order.yaml` is reached as `schemas/order.yaml` and as `./order.yaml`: one type, and the
    // cycle Order → Line → Order resolves.
    let line = api.types.iter().find(|t| t.name == "Line").unwrap();
    let generator::ir::TypeKind::Struct { fields, .. } = &line.kind else {
        panic!()
    };
    assert_eq!(
        fields.iter().find(|f| f.name == "order").unwrap().ty,
        generator::ir::TypeRef::Named("Order".into())
    );
}

/// Integers past 64 bits load from YAML and from JSON alike; a bound, default or example the
/// Rust integer cannot hold is dropped with a warning saying so, and never reaches the code.
#[test]
fn integers_beyond_64_bits_load_and_never_reach_the_code() {
    let yaml = root().join("tests/fixtures/constructs/big_numbers.yaml");
    let api = generator::load_api(&yaml).unwrap();
    let warnings: Vec<String> = api
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    let small = "#/components/schemas/Counter/properties/small";
    let value = "#/components/schemas/Counter/properties/value";
    let since = "#/paths/~1counters/get/parameters/0/schema";
    assert_eq!(
        warnings,
        [
            format!("{small}: `default` 5000000000 does not fit i32; no default kept"),
            format!("{small}: `minimum` -3000000000 lies outside i32 (-2147483648..=2147483647); no minimum kept"),
            format!("{small}: example 4000000000 does not fit i32; left out of the docs and tests"),
            format!("{value}: `maximum` 100000000000000000000 lies outside i64 (-9223372036854775808..=9223372036854775807); no maximum kept"),
            "#/components/schemas/Huge: `maximum` 100000000000000000000000 lies outside u64 (0..=18446744073709551615); no maximum kept".to_string(),
            format!("{since}: `default` 1.8446744073709552e+19 does not fit i64; no default kept"),
            format!("{since}: example 1.7014118346046923e+38 does not fit i64; left out of the docs and tests"),
        ]
    );
    let code = emitted_code(&yaml);
    for dropped in [
        "5000000000",
        "4000000000",
        "3000000000",
        "1e20",
        "1.8446744073709552e+19",
    ] {
        assert!(
            !code.contains(dropped),
            "{dropped} reached the code:\n{code}"
        );
    }

    let json = ScratchSpec::new(
        "big.json",
        r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Counter": {"type": "object", "properties": {
              "small": {"type": "integer", "format": "int32", "minimum": -9223372036854776000,
                        "default": 99999999999999999999, "enum": [1, 99999999999999999999]},
              "value": {"type": "integer", "examples": [-9223372036854776000, 3]}}}}}}"#,
    );
    let api = generator::load_api(&json.path).unwrap();
    let warnings: Vec<&str> = api.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "`default` 1e+20 does not fit i32; no default kept",
            "`minimum` -9223372036854776000 lies outside i32 (-2147483648..=2147483647); no minimum kept",
            "example -9.223372036854776e+18 does not fit i64; left out of the docs and tests",
        ]
    );
}
