//! Guards the generator's output: IR and emitted-code snapshots for one small fixture per
//! construct, the full registry IR, the checked-in crate's freshness, YAML input, bad input.

use std::path::{Path, PathBuf};

use generator::emit::{generate, Options};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn options(name: &str) -> Options {
    Options {
        crate_name: name.to_string(),
        spec_name: format!("{name}.yaml"),
        examples: Vec::new(),
    }
}

/// The emitted generated modules of a spec, concatenated in path order.
fn emitted_code(spec: &Path) -> String {
    let api = generator::load_api(spec).unwrap();
    let crate_files = generate(&api, &options("fixture")).unwrap();
    crate_files
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/generated"))
        .map(|(path, text)| format!("=== {}\n{text}", path.display()))
        .collect()
}

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

fn check_construct(name: &str) {
    let spec = root().join(format!("tests/fixtures/constructs/{name}.yaml"));
    let api = generator::load_api(&spec).unwrap();
    insta::assert_yaml_snapshot!(format!("ir_{name}"), api);
    insta::assert_snapshot!(format!("code_{name}"), emitted_code(&spec));
}

#[test]
fn nullable() {
    check_construct("nullable");
}

#[test]
fn const_and_enums() {
    check_construct("const_enum");
}

#[test]
fn unions_and_all_of() {
    check_construct("unions");
}

#[test]
fn recursion() {
    check_construct("recursion");
}

#[test]
fn parameters_in_every_location() {
    check_construct("params");
}

#[test]
fn relay_pagination() {
    check_construct("pagination");
}

#[test]
fn awkward_names() {
    check_construct("names");
}

/// `$ref`-only components are aliases; pagination and tagged unions see through them.
#[test]
fn aliases_are_transparent_to_pagination_and_unions() {
    check_construct("aliases");
    let code = emitted_code(&root().join("tests/fixtures/constructs/aliases.yaml"));
    assert!(
        code.contains("impl crate::RelayPage for RodentConnection"),
        "{code}"
    );
    assert!(code.contains("pub type SeedsPage = Page<Seed>;"), "{code}");
    assert!(code.contains("crate::RelayPage for Page<T>"), "{code}");
    assert!(code.contains("#[serde(tag = \"kind\")]"), "{code}");
    assert!(
        !code.contains("pub kind: String"),
        "tag fields stay in the union:\n{code}"
    );
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
fn maps_and_reference_chains() {
    check_construct("maps");
    let code = emitted_code(&root().join("tests/fixtures/constructs/maps.yaml"));
    // A required map the server omits decodes as empty, like a required list.
    for field in ["counts", "labels"] {
        let declaration =
            format!("#[serde(default)]\n    pub {field}: std::collections::BTreeMap<");
        assert!(code.contains(&declaration), "{field}:\n{code}");
    }
}

/// What cannot be typed precisely becomes a JSON value and a warning naming where; generation
/// goes on.
#[test]
fn untypeable_schemas_fall_back_to_json_values_with_warnings() {
    check_construct("fallback");
    let api = generator::load_api(&root().join("tests/fixtures/constructs/fallback.yaml")).unwrap();
    let warnings: Vec<&str> = api.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "#/components/schemas/Odd/properties/anything_but_text",
            "#/components/schemas/Odd/properties/borrowed",
            "#/components/schemas/Odd/properties/mixed/allOf/1",
        ]
    );
    let code = emitted_code(&root().join("tests/fixtures/constructs/fallback.yaml"));
    assert!(
        code.contains("pub anything_but_text: serde_json::Value"),
        "{code}"
    );
}

#[test]
fn registry_ir() {
    let api = generator::load_api(&root().join("spec/isometric-registry.openapi.json")).unwrap();
    insta::assert_yaml_snapshot!("ir_registry", api);
}

#[test]
fn registry_names_are_clean() {
    let api = generator::load_api(&root().join("spec/isometric-registry.openapi.json")).unwrap();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    for name in &names {
        assert!(
            !name.contains('_'),
            "pydantic artefact leaked into type name {name}"
        );
    }
    assert!(names.contains(&"PaginatedListResource"), "{names:?}");
    assert!(names.contains(&"IsometricId"), "{names:?}");
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("IsometricId"))
            .count(),
        1
    );
    for op in &api.operations {
        assert!(!op.rust_name.contains("__"), "{}", op.rust_name);
        assert!(
            !op.rust_name.ends_with("_get") && !op.rust_name.ends_with("_post"),
            "{}",
            op.rust_name
        );
    }
    let method = |path: &str, verb: &str| {
        api.operations
            .iter()
            .find(|o| o.path == path && o.method == verb)
            .unwrap()
            .rust_name
            .clone()
    };
    assert_eq!(method("/credit_batches/{id}", "GET"), "get_credit_batch");
    assert_eq!(method("/projects", "GET"), "list_projects");
    assert_eq!(method("/beneficiary", "POST"), "create_beneficiary");
    assert_eq!(method("/transfers/{id}", "GET"), "get_transfer");
    // `x-client-secret` is a client setting, not a per-call argument.
    assert_eq!(api.client_headers.len(), 1);
    assert!(api
        .operations
        .iter()
        .all(|o| o.params.iter().all(|p| p.name != "x-client-secret")));
    assert_eq!(
        api.operations
            .iter()
            .filter(|o| o.pagination.is_some())
            .count(),
        16
    );
}

#[test]
fn output_is_deterministic() {
    let spec = root().join("spec/isometric-registry.openapi.json");
    let a = generator::generate_crate(&spec, &options("isometric-registry")).unwrap();
    let b = generator::generate_crate(&spec, &options("isometric-registry")).unwrap();
    assert_eq!(a, b);
}

/// Same check as `cargo xtask regenerate --check`: a stale checked-in crate can never land.
#[test]
fn checked_in_client_is_fresh() {
    let spec = root().join("spec/isometric-registry.openapi.json");
    let options = Options {
        crate_name: "isometric-registry".into(),
        spec_name: "isometric-registry.openapi.json".into(),
        examples: generator::emit::read_examples(&root().join("generated-client")),
    };
    let generated = generator::generate_crate(&spec, &options).unwrap();
    let stale = generator::output::stale_files(&generated, &root().join("generated-client"));
    assert!(
        stale.is_empty(),
        "generated-client is stale, run `cargo xtask regenerate`: {stale:?}"
    );
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
fn regeneration_replaces_generated_files_and_keeps_user_files() {
    let dir = std::env::temp_dir().join(format!("oapi-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let spec = root().join("tests/fixtures/constructs/pagination.yaml");
    let generated = generator::generate_crate(&spec, &options("pages")).unwrap();
    generator::output::write_atomically(&generated, &dir).unwrap();
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    std::fs::write(dir.join("examples/mine.rs"), "fn main() {}").unwrap();
    std::fs::write(dir.join("src/generated/leftover.rs"), "// stale").unwrap();
    assert_eq!(
        generator::output::stale_files(&generated, &dir),
        vec![PathBuf::from("src/generated/leftover.rs")]
    );
    // Regenerating replaces generator-owned files and keeps the user's.
    generator::output::write_atomically(&generated, &dir).unwrap();
    assert!(dir.join("examples/mine.rs").exists());
    assert!(!dir.join("src/generated/leftover.rs").exists());
    assert!(generator::output::stale_files(&generated, &dir).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every hand-written runtime file in generated-client/src travels with generated crates.
#[test]
fn runtime_files_are_all_embedded() {
    let spec = root().join("tests/fixtures/constructs/pagination.yaml");
    let generated = generator::generate_crate(&spec, &options("pages")).unwrap();
    for entry in std::fs::read_dir(root().join("generated-client/src")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let rel = Path::new("src").join(path.file_name().unwrap());
            assert!(
                generated.files.contains_key(&rel),
                "runtime file {} is not embedded",
                rel.display()
            );
        }
    }
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

/// Every operation under one tag and every type under one initial: still split, with the one
/// group cut into parts and an index at each level (CI compiles this fixture with clippy).
#[test]
fn a_single_oversized_group_is_cut_into_parts() {
    let spec = root().join("tests/fixtures/single-group.yaml");
    let generated = generator::generate_crate(&spec, &options("single")).unwrap();
    let files: Vec<String> = generated
        .files
        .keys()
        .filter(|p| p.starts_with("src/generated"))
        .map(|p| p.display().to_string())
        .collect();
    for expected in [
        "src/generated/operations/mod.rs",
        "src/generated/operations/samples/mod.rs",
        "src/generated/operations/samples/part_1.rs",
        "src/generated/operations/samples/part_2.rs",
        "src/generated/types/mod.rs",
        "src/generated/types/types_s/mod.rs",
        "src/generated/types/types_s/part_1.rs",
        "src/generated/types/types_s/part_2.rs",
    ] {
        assert!(files.iter().any(|f| f == expected), "{expected}: {files:?}");
    }
    assert!(!files
        .iter()
        .any(|f| f.ends_with("/operations.rs") || f.ends_with("/types.rs")));
}

/// A large spec is split: operations by tag, each group behind a default-on cargo feature, and
/// types by initial letter, so no file holds everything.
#[test]
fn large_specs_split_into_modules_and_features() {
    let spec = root().join("../shared/corpus/discord.json");
    if !spec.exists() {
        // CI always has ../shared beside the clone; a lone clone can still run the suite.
        println!("SKIPPED: {} is not there", spec.display());
        return;
    }
    let generated = generator::generate_crate(&spec, &options("discord")).unwrap();
    let files: Vec<String> = generated
        .files
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        files.contains(&"src/generated/operations/users.rs".to_string()),
        "{files:?}"
    );
    // Discord has over 120 types starting with `A`: their group is cut into parts.
    for part in ["mod", "part_1", "part_2"] {
        let path = format!("src/generated/types/types_a/{part}.rs");
        assert!(files.contains(&path), "{path} missing: {files:?}");
    }
    assert!(files.contains(&"src/generated/types/types_b.rs".to_string()));
    assert!(!files.contains(&"src/generated/operations.rs".to_string()));
    let index = &generated.files[Path::new("src/generated/operations/mod.rs")];
    assert!(
        index.contains("#[cfg(feature = \"ops-users\")]\nmod users;"),
        "{index}"
    );
    let manifest = &generated.files[Path::new("Cargo.toml")];
    assert!(manifest.contains("ops-users = [\"client\"]"), "{manifest}");
    assert!(
        manifest.contains("default = [\"client\", \"ops-applications\""),
        "{manifest}"
    );
    let largest = generated
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("src/generated"))
        .map(|(_, t)| t.lines().count())
        .max()
        .unwrap();
    let total: usize = generated
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("src/generated"))
        .map(|(_, t)| t.lines().count())
        .sum();
    assert!(
        largest * 4 < total,
        "one file holds {largest} of {total} lines"
    );
}

/// Every operation summary and description, and every schema and property description of the
/// registry spec reaches the checked-in code as documentation (its first line, verbatim). The
/// one exception is the `__typename` tag of the beneficiary union: the tag is the enum itself.
#[test]
fn registry_documentation_reaches_the_code() {
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("spec/isometric-registry.openapi.json")).unwrap(),
    )
    .unwrap();
    let mut code = String::new();
    let mut dirs = vec![root().join("generated-client/src/generated")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                code.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let first_line = |text: &serde_json::Value| {
        let text = text.as_str().unwrap_or_default().trim();
        text.lines().next().unwrap_or_default().trim().to_owned()
    };
    let mut documented = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for key in ["summary", "description"] {
                if let Some(text) = op.get(key) {
                    documented.push((format!("{method} {path} {key}"), first_line(text)));
                }
            }
        }
    }
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if let Some(text) = schema.get("description") {
            documented.push((name.clone(), first_line(text)));
        }
        for (property, sub) in schema["properties"].as_object().into_iter().flatten() {
            if let (Some(text), false) = (sub.get("description"), property == "__typename") {
                documented.push((format!("{name}.{property}"), first_line(text)));
            }
        }
    }
    assert!(documented.len() > 100, "{}", documented.len());
    let missing: Vec<_> = documented
        .iter()
        .filter(|(_, line)| !code.contains(line.as_str()))
        .collect();
    assert!(missing.is_empty(), "undocumented: {missing:#?}");
}
