//! Guards the generator's output: IR and emitted-code snapshots for one small fixture per
//! construct, the full registry IR and docs, the checked-in crate's freshness; reading specs
//! (`input`), the crate's file layout (`layout`), pagination across the corpus (`paging`) and
//! the atomic replace of an output directory when a step fails (`replace`) in the submodules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::emit::{generate, Options};

// Submodules sit in `generator/`; this file stays beside the `snapshots/` insta keeps for it.
#[path = "generator/config.rs"]
mod config;
#[path = "generator/docs.rs"]
mod docs;
#[path = "generator/input.rs"]
mod input;
#[path = "generator/layout.rs"]
mod layout;
#[path = "generator/paging.rs"]
mod paging;
#[path = "generator/replace.rs"]
mod replace;

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
        ..Default::default()
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

/// `deprecated: true` on an operation, parameters and properties (see also `generator/docs.rs`).
#[test]
fn deprecations() {
    check_construct("deprecated");
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

/// Event streams (typed data, `[DONE]`, `itemSchema`), NDJSON, json-seq and downloads.
#[test]
fn streamed_responses() {
    check_construct("streaming");
}

/// `$ref`-only components are aliases; pagination and tagged unions see through them.
#[test]
fn aliases_are_transparent_to_pagination_and_unions() {
    check_construct("aliases");
    let code = emitted_code(&root().join("tests/fixtures/constructs/aliases.yaml"));
    assert!(
        code.contains("crate::paging::ItemStream<'a, Rodent, serde_json::Value>"),
        "{code}"
    );
    assert!(code.contains("pub type SeedsPage = Page<Seed>;"), "{code}");
    assert!(
        code.contains("crate::paging::ItemStream<'a, Seed, serde_json::Value>"),
        "{code}"
    );
    assert!(code.contains("#[serde(tag = \"kind\")]"), "{code}");
    assert!(
        !code.contains("pub kind: String"),
        "tag fields stay in the union:\n{code}"
    );
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
        ..Default::default()
    };
    let generated = generator::generate_crate(&spec, &options).unwrap();
    let stale = generator::output::stale_files(&generated, &root().join("generated-client"));
    assert!(
        stale.is_empty(),
        "generated-client is stale, run `cargo xtask regenerate`: {stale:?}"
    );
}

/// The streaming fixture's crate, driven by `tests/streaming/`, is what the generator emits today.
#[test]
fn checked_in_streaming_fixture_is_fresh() {
    let spec = root().join("tests/fixtures/constructs/streaming.yaml");
    let out = root().join("tests/streaming-client");
    let options = Options {
        crate_name: "streaming-fixture".into(),
        spec_name: "streaming.yaml".into(),
        examples: generator::emit::read_examples(&out),
        ..Default::default()
    };
    let generated = generator::generate_crate(&spec, &options).unwrap();
    let stale = generator::output::stale_files(&generated, &out);
    assert!(
        stale.is_empty(),
        "tests/streaming-client is stale, run `cargo xtask regenerate --spec \
         tests/fixtures/constructs/streaming.yaml --out tests/streaming-client \
         --crate-name streaming-fixture`: {stale:?}"
    );
}

/// The bodies fixture's crate, driven by `tests/bodies/`, is what the generator emits today.
#[test]
fn checked_in_bodies_fixture_is_fresh() {
    let spec = root().join("tests/fixtures/bodies/bodies.yaml");
    let out = root().join("tests/bodies-client");
    let options = Options {
        crate_name: "bodies-fixture".into(),
        spec_name: "bodies.yaml".into(),
        examples: generator::emit::read_examples(&out),
        ..Default::default()
    };
    let generated = generator::generate_crate(&spec, &options).unwrap();
    let stale = generator::output::stale_files(&generated, &out);
    assert!(
        stale.is_empty(),
        "tests/bodies-client is stale, run `cargo xtask regenerate --spec \
         tests/fixtures/bodies/bodies.yaml --out tests/bodies-client \
         --crate-name bodies-fixture`: {stale:?}"
    );
}

/// An operation named like a model (`upload` beside `Upload`) gets a request builder whose name
/// is neither the model's nor the model's own builder's (`UploadBuilder`): no name means two
/// things in `types::` and `operations::`.
#[test]
fn operation_builders_do_not_reuse_model_builder_names() {
    let dir = root().join("tests/bodies-client/src/generated");
    let items = |file: &str| -> BTreeSet<String> {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| {
                // A builder is declared as `Model => ModelBuilder {`, the line after
                // `crate::builder::model_builder! {`.
                let declared = (i > 0 && lines[i - 1].ends_with("model_builder! {"))
                    .then(|| line.split_once(" => ").map(|(_, builder)| builder))
                    .flatten();
                let rest = line
                    .strip_prefix("pub struct ")
                    .or_else(|| line.strip_prefix("pub enum "))
                    .or(declared)?;
                let end = rest.find(|c: char| !c.is_alphanumeric() && c != '_')?;
                Some(rest[..end].to_owned())
            })
            .collect()
    };
    let (types, operations) = (items("types.rs"), items("operations.rs"));
    assert!(types.contains("UploadBuilder"), "{types:?}");
    assert!(operations.contains("UploadRequest"), "{operations:?}");
    let shared: Vec<_> = types.intersection(&operations).collect();
    assert!(
        shared.is_empty(),
        "in both types:: and operations::: {shared:?}"
    );
}

/// Every operation description, and every schema and property description of the
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
            // Summaries are FastAPI's titles of the handler name (`Credit Batch`): the method's
            // first line is a sentence built instead (`generator/docs.rs`).
            if let Some(text) = op.get("description") {
                documented.push((format!("{method} {path} description"), first_line(text)));
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

/// Plain primitives that share a first word with an object (`UserName`, `UserEmail`,
/// `UserNickname`, `User`) are not an ID family: nothing folds, `User` is the struct and each
/// alias keeps its own description and example.
#[test]
fn unrelated_aliases_are_not_folded_into_a_family() {
    let spec = root().join("tests/fixtures/constructs/unrelated_aliases.yaml");
    let api = generator::load_api(&spec).unwrap();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["User", "UserEmail", "UserName", "UserNickname"]);
    let user = &api.types[0];
    assert!(
        matches!(&user.kind, generator::ir::TypeKind::Struct { fields, .. } if fields.len() == 3),
        "{user:?}"
    );
    for (name, description, example) in [
        ("UserEmail", "The user's e-mail address.", "ada@example.com"),
        ("UserName", "The name a user signs in with.", "ada"),
        ("UserNickname", "What other users see.", "Countess"),
    ] {
        let def = api.types.iter().find(|t| t.name == name).unwrap();
        assert_eq!(def.schema_names, [name]);
        assert_eq!(def.docs.description.as_deref(), Some(description));
        assert_eq!(def.docs.examples, [serde_json::json!(example)]);
    }
    let code = emitted_code(&spec);
    assert!(code.contains("pub struct User {"), "{code}");
    assert!(!code.contains("User2"), "{code}");
}

/// A generic family whose parameter sits inside an inline union (and an inline object): the
/// hoisted types take the parameter too, so the family still folds and the crate compiles
/// (`check-specs` builds this fixture).
#[test]
fn hoisted_types_of_a_generic_family_carry_its_parameter() {
    let spec = root().join("tests/fixtures/constructs/generic_unions.yaml");
    let code = emitted_code(&spec);
    for declaration in [
        "pub struct BulkDeleteAction<T> {",
        "pub entities: Vec<BulkDeleteActionEntitiesItem<T>>,",
        "pub reason: Option<BulkDeleteActionReason<T>>,",
        "pub enum BulkDeleteActionEntitiesItem<T> {",
        "pub struct BulkDeleteActionReason<T> {",
        "body: BulkDeleteAction<ConnectionBody>,",
        "Result<BulkDeleteAction<SourceBody>,",
    ] {
        assert!(code.contains(declaration), "{declaration}:\n{code}");
    }
}

/// A union of schemas whose tag is a `const` they do not require decodes by hand (tag when
/// present, shape when absent; `tests/client/models.rs` proves the decoding on the registry's
/// beneficiary union); a union whose members all require the tag keeps serde's derive.
#[test]
fn unions_with_an_optional_tag_decode_by_shape_when_it_is_absent() {
    let spec = root().join("tests/fixtures/constructs/optional_tag.yaml");
    let api = generator::load_api(&spec).unwrap();
    let optional: Vec<&str> = api
        .types
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                generator::ir::TypeKind::TaggedUnion {
                    tag_optional: true,
                    ..
                }
            )
        })
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        optional,
        ["CreateBeneficiaryRequest", "CreateBeneficiaryResponse"]
    );
    let code = emitted_code(&spec);
    assert!(
        code.contains("impl<'de> serde::Deserialize<'de> for CreateBeneficiaryResponse"),
        "{code}"
    );
    assert!(code.contains("#[serde(tag = \"__typename\")]"), "{code}");
    let required = emitted_code(&root().join("tests/fixtures/constructs/aliases.yaml"));
    assert!(
        required.contains(
            "#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n#[serde(tag = \"kind\")]\n#[allow(clippy::large_enum_variant)]\npub enum Rodent {"
        ),
        "{required}"
    );
    assert!(
        !required.contains("serde::Deserialize<'de> for Rodent"),
        "{required}"
    );
}
