//! `cargo xtask diff`: one fixture pair per rule (tests/fixtures/diff/<rule>/{old,new}.yaml,
//! written by make_fixtures.py), with the classification asserted and the text and JSON reports
//! snapshotted; the Isometric spec against itself, its YAML re-serialisation and a modified copy.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::diff::{self, Change, Class, FailOn, Format, Kind};
use generator::ir::TypeRef;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn fixture(rule: &str) -> Vec<Change> {
    let dir = root().join("tests/fixtures/diff").join(rule);
    let new = ["new.yaml", "new.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .expect("new spec");
    diff::diff_files(&dir.join("old.yaml"), &new).unwrap_or_else(|e| panic!("{rule}: {e}"))
}

/// (kind, wire class, Rust-API-breaking) of one expected entry.
type Expect = (Kind, Class, bool);

const B: Class = Class::Breaking;
const N: Class = Class::NonBreaking;

/// Diff the fixture, assert exactly the expected (kind, class, rust_api_breaking) entries, and
/// snapshot both reports.
fn check(rule: &str, expected: &[(Kind, Class, bool)]) -> Vec<Change> {
    let changes = fixture(rule);
    let mut got: Vec<(&str, Class, bool)> = changes
        .iter()
        .map(|c| (c.kind.id(), c.class, c.rust_api_breaking))
        .collect();
    let mut want: Vec<(&str, Class, bool)> =
        expected.iter().map(|(k, c, r)| (k.id(), *c, *r)).collect();
    got.sort();
    want.sort();
    assert_eq!(
        got,
        want,
        "{rule}: classification\n{}",
        diff::render(&changes, Format::Text)
    );
    for c in &changes {
        assert!(
            !c.operations.is_empty(),
            "{rule}: {} names no operation",
            c.kind.id()
        );
        assert!(
            c.location.starts_with('#'),
            "{rule}: location {}",
            c.location
        );
        let mut sorted = c.operations.clone();
        sorted.sort();
        assert_eq!(sorted, c.operations, "{rule}: operations sorted");
    }
    insta::assert_snapshot!(format!("{rule}_text"), diff::render(&changes, Format::Text));
    // Exactly what `cargo xtask diff --format json` prints.
    let json: serde_json::Value =
        serde_json::from_str(&diff::render(&changes, Format::Json)).expect("valid JSON");
    insta::assert_json_snapshot!(format!("{rule}_json"), json);
    changes
}

const PET_READERS: [&str; 5] = [
    "GET /owners/{ownerId}",
    "GET /pets",
    "GET /pets/{petId}",
    "PATCH /pets/{petId}",
    "POST /pets",
];

/// Every rule: fixture name and the exact (kind, wire class, Rust-API-breaking) it must yield.
#[rustfmt::skip]
const RULES: &[(&str, &[Expect])] = &[
    // Operations.
    ("operation-removed", &[(Kind::OperationRemoved, B, true)]),
    ("operation-added", &[(Kind::OperationAdded, N, false)]),
    ("method-renamed", &[(Kind::MethodRenamed, N, true)]),
    ("security-required", &[(Kind::SecurityChanged, B, false)]),
    // Parameters: optional ones are builder setters, required ones positional arguments.
    ("optional-param-added", &[(Kind::OptionalParamAdded, N, false)]),
    ("required-param-added", &[(Kind::RequiredParamAdded, B, true)]),
    ("param-removed", &[(Kind::ParamRemoved, B, true)]),
    ("param-became-required", &[(Kind::ParamBecameRequired, B, true)]),
    ("param-type-changed", &[(Kind::ParamTypeChanged, B, true)]),
    ("param-style-changed", &[(Kind::ParamStyleChanged, B, false)]),
    ("path-param-renamed", &[(Kind::PathParamRenamed, N, false), (Kind::PathParamRenamed, N, false)]),
    ("argument-order-changed", &[(Kind::ArgumentOrderChanged, N, true)]),
    ("default-changed", &[(Kind::DefaultChanged, N, false)]),
    // Constraints.
    ("constraints-narrowed", &[(Kind::ConstraintNarrowed, B, false); 4]),
    ("constraints-widened", &[(Kind::ConstraintWidened, N, false); 3]),
    ("shared-param-narrowed", &[(Kind::ConstraintNarrowed, B, false)]),
    // Request bodies.
    ("request-required-property-added", &[(Kind::RequiredPropertyAdded, B, true)]),
    ("request-optional-property-added", &[(Kind::OptionalPropertyAdded, N, false)]),
    ("request-body-became-required", &[(Kind::RequestBodyBecameRequired, B, true)]),
    ("enum-value-removed-request", &[(Kind::EnumValueRemoved, B, true)]),
    // Responses.
    ("response-property-removed", &[(Kind::PropertyRemoved, B, true)]),
    ("response-property-added", &[(Kind::OptionalPropertyAdded, N, false), (Kind::RequiredPropertyAdded, N, true)]),
    ("response-property-became-optional", &[(Kind::PropertyBecameOptional, B, true)]),
    ("response-property-became-nullable", &[(Kind::PropertyBecameNullable, B, true)]),
    ("enum-value-added-response", &[(Kind::EnumValueAdded, N, false)]),
    ("success-status-removed", &[(Kind::ResponseStatusRemoved, B, false), (Kind::ResponseStatusAdded, N, false)]),
    ("response-content-type-removed", &[(Kind::ResponseContentTypeRemoved, B, true), (Kind::ResponseContentTypeAdded, N, true)]),
    ("response-type-changed", &[(Kind::ResponseTypeChanged, B, true)]),
    // Types: reported once, at the definition, naming every operation that reaches them.
    ("property-type-changed", &[(Kind::PropertyTypeChanged, B, true)]),
    ("schema-renamed", &[(Kind::SchemaRenamed, N, true)]),
    ("schema-renamed-nested", &[(Kind::SchemaRenamed, N, true); 3]),
    // Renamed and edited: the Rust type is replaced, the wire difference is reported on its own.
    ("schema-renamed-and-changed", &[(Kind::TypeReplaced, N, true), (Kind::OptionalPropertyAdded, N, false)]),
    // Generic families (`Page_Pet_` → `Page<Pet>`): a shared field once; a member splitting off.
    ("generic-shared-field-changed", &[(Kind::PropertyTypeChanged, B, true)]),
    ("generic-member-split", &[(Kind::TypeReplaced, N, true), (Kind::OptionalPropertyAdded, N, false)]),
    // Inside anyOf/oneOf wrappers (nullable, unions).
    ("nullable-wrapper-inner-changed", &[(Kind::PropertyTypeChanged, B, true); 2]),
    ("nullable-wrapper-removed", &[(Kind::PropertyBecameNonNullable, N, false); 2]),
    ("union-variant-added", &[(Kind::UnionVariantAdded, B, true)]),
    ("union-variant-removed", &[(Kind::UnionVariantRemoved, N, true)]),
    ("union-variant-inner-changed", &[(Kind::PropertyTypeChanged, B, true)]),
    // Servers: compared as the generated `Environment`; no request or response changes.
    ("server-added", &[(Kind::ServerAdded, N, false), (Kind::DefaultServerChanged, N, false)]),
    ("server-removed", &[(Kind::ServerRemoved, N, true), (Kind::DefaultServerChanged, N, false)]),
    // Cosmetic: descriptions, examples, `50` vs `50.0`, key order, JSON vs YAML.
    ("cosmetic", &[]),
    ("json-vs-yaml", &[]),
];

#[test]
fn every_rule_is_classified_right() {
    for (rule, expected) in RULES {
        check(rule, expected);
    }
    let dir = root().join("tests/fixtures/diff");
    let covered: BTreeSet<&str> = RULES.iter().map(|(r, _)| *r).collect();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if entry.path().is_dir() && name != "nullable-wrapper-constraint" {
            assert!(
                covered.contains(name.as_str()),
                "fixture {name} has no expectation"
            );
        }
    }
}

/// `cargo xtask check-diff-verdicts` proves a rule's Rust-API verdict only when the rule has a
/// caller (code written against the old crate): every rule has one, breaking or not.
#[test]
fn every_rule_has_a_caller() {
    let dir = root().join("tests/fixtures/diff");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.join("caller.rs").exists() {
            missing.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    missing.sort();
    assert!(missing.is_empty(), "rules without a caller.rs: {missing:?}");
}

#[test]
fn entries_name_every_operation_and_point_at_the_change() {
    let removed = fixture("response-property-removed");
    assert_eq!(removed[0].operations, PET_READERS);
    assert_eq!(
        removed[0].location, "#/components/schemas/Pet/properties/tag",
        "removals point into the old spec"
    );
    // `OwnerRef` sits inside `Pet`, which sits inside `Owner.pets`: one entry, at the field.
    let nested = fixture("property-type-changed");
    assert_eq!(
        nested[0].location,
        "#/components/schemas/OwnerRef/properties/id"
    );
    assert_eq!(nested[0].operations, PET_READERS);
    assert_eq!(
        fixture("schema-renamed")[0].location,
        "#/components/schemas/PetOwnerRef"
    );
    // A path-level parameter shared by two operations is one entry naming both.
    let shared = fixture("shared-param-narrowed");
    assert_eq!(
        shared[0].operations,
        ["GET /pets/{petId}", "PATCH /pets/{petId}"]
    );
    assert_eq!(
        fixture("path-param-renamed")[0].operations,
        ["GET /pets/{id}"]
    );
}

/// A maxLength change inside `anyOf [{type: string, maxLength}, null]` is seen through the wrapper.
#[test]
fn constraint_inside_nullable_wrapper() {
    let changes = fixture("nullable-wrapper-constraint");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].kind, Kind::ConstraintNarrowed);
}

fn registry() -> PathBuf {
    root().join("spec/isometric-registry.openapi.json")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oapi-diff-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn registry_against_itself_and_its_yaml_form() {
    let spec = registry();
    assert_eq!(diff::diff_files(&spec, &spec).unwrap(), []);
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    let yaml = temp_dir("yaml").join("registry.yaml");
    std::fs::write(&yaml, serde_yaml::to_string(&value).unwrap()).unwrap();
    assert_eq!(diff::diff_files(&spec, &yaml).unwrap(), []);
    let api = generator::load_api(&spec).unwrap();
    assert_eq!(diff::summary(&api, &api), None);
    assert_eq!(diff::render(&[], Format::Text), "no changes\n");
}

/// Edit the registry spec's JSON and diff it against the original.
fn registry_with(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<Change> {
    let spec = registry();
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    edit(&mut value);
    let old = generator::load_api(&spec).unwrap();
    let path = temp_dir("edit").join("registry.json");
    std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
    diff::diff(&old, &generator::load_api(&path).unwrap())
}

#[test]
fn shared_schema_in_generic_family_is_one_entry() {
    // `PageInfo` is reached through `PaginatedListResource<T>` by every paginated endpoint.
    let changes = registry_with(|v| {
        v["components"]["schemas"]["PageInfo"]["properties"]["has_next_page"] =
            serde_json::json!({"type": "string"});
    });
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let api = generator::load_api(&registry()).unwrap();
    let expected: BTreeSet<String> = api
        .operations
        .iter()
        .filter(|o| {
            o.responses.iter().flat_map(|r| &r.contents).any(|c| matches!(&c.ty, Some(TypeRef::Generic { name, .. }) if name == "PaginatedListResource"))
        })
        .map(|o| o.label())
        .collect();
    assert!(expected.len() > 10);
    assert_eq!(
        changes[0]
            .operations
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>(),
        expected
    );
    assert_eq!(changes[0].kind, Kind::PropertyTypeChanged);
    assert_eq!(
        changes[0].location,
        "#/components/schemas/PageInfo/properties/has_next_page"
    );
}

#[test]
fn registry_modified_copy() {
    let text = std::fs::read_to_string(registry()).unwrap();
    let modified = diff::modified_copy(&text).unwrap();
    let path = temp_dir("modified").join("registry.json");
    std::fs::write(&path, modified).unwrap();
    let changes = diff::diff_files(&registry(), &path).unwrap();
    let kinds: BTreeSet<&str> = changes.iter().map(|c| c.kind.id()).collect();
    for kind in [
        "operation-removed",
        "optional-param-added",
        "property-type-changed",
        "enum-value-added",
    ] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
    let summary = diff::summary_of(&changes).unwrap();
    assert!(summary.lines().count() <= 20, "{summary}");
    let (old, new) = diff::bench_inputs(&registry()).unwrap();
    assert_eq!(diff::bench_diff(&old, &new), changes.len());
}

#[test]
fn exit_codes() {
    let breaking = fixture("param-removed");
    let benign = fixture("optional-param-added");
    assert_eq!(diff::exit_code(&breaking, None), 0);
    assert_eq!(diff::exit_code(&breaking, Some(FailOn::Breaking)), 1);
    assert_eq!(diff::exit_code(&benign, Some(FailOn::Breaking)), 0);
    assert_eq!(diff::exit_code(&benign, Some(FailOn::Any)), 1);
    assert_eq!(diff::exit_code(&[], Some(FailOn::Any)), 0);
    assert_eq!("breaking".parse::<FailOn>(), Ok(FailOn::Breaking));
    assert!("sometimes".parse::<FailOn>().is_err());
    assert!("yaml".parse::<Format>().is_err());
}

#[test]
fn bad_input_names_file_and_pointer() {
    let dir = temp_dir("bad");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 12\n").unwrap();
    let err = diff::diff_files(&bad, &bad).unwrap_err().to_string();
    assert!(err.contains("bad.yaml"), "{err}");
    assert!(err.contains("#/paths") || err.contains("line"), "{err}");
    let missing = diff::diff_files(&dir.join("missing.yaml"), &bad)
        .unwrap_err()
        .to_string();
    assert!(missing.contains("missing.yaml"), "{missing}");
}

#[test]
fn every_kind_has_a_unique_id() {
    let ids: BTreeSet<&str> = Kind::ALL.iter().map(|k| k.id()).collect();
    assert_eq!(ids.len(), Kind::ALL.len());
}

#[test]
fn summary_fits_a_screen() {
    let mut changes = Vec::new();
    for rule in [
        "param-removed",
        "response-property-added",
        "schema-renamed",
        "constraints-narrowed",
        "constraints-widened",
    ] {
        changes.extend(fixture(rule));
    }
    for _ in 0..3 {
        changes.extend(changes.clone());
    }
    let summary = diff::summary_of(&changes).unwrap();
    assert!(summary.lines().count() <= 20, "{summary}");
    assert!(
        summary.lines().nth(1).unwrap().contains("BREAKING"),
        "breaking first:\n{summary}"
    );
    insta::assert_snapshot!(
        "summary",
        diff::summary_of(&fixture("constraints-narrowed")).unwrap()
    );
    insta::assert_snapshot!(
        "markdown",
        diff::render(&fixture("response-content-type-removed"), Format::Markdown)
    );
}

/// Timing: `cargo test --release -p oapi-tests --test diff -- --ignored --nocapture diff_speed`.
#[test]
#[ignore = "timing; run in release"]
fn diff_speed() {
    let (old, new) = diff::bench_inputs(&registry()).unwrap();
    let mut samples: Vec<std::time::Duration> = (0..51)
        .map(|_| {
            let start = std::time::Instant::now();
            std::hint::black_box(diff::bench_diff(&old, &new));
            start.elapsed()
        })
        .collect();
    samples.sort();
    let spec = registry();
    let mut with_load: Vec<std::time::Duration> = (0..11)
        .map(|_| {
            let start = std::time::Instant::now();
            std::hint::black_box(diff::diff_files(&spec, &spec).unwrap());
            start.elapsed()
        })
        .collect();
    with_load.sort();
    println!(
        "diff median {:?} (min {:?}); load both + diff median {:?}",
        samples[25], samples[0], with_load[5]
    );
}
