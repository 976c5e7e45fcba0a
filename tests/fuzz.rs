//! Mutation fuzzing of the loader and generator: start from real specs and fixtures, apply random
//! structural mutations, and require that generation never panics: it either produces a crate or
//! returns an error naming the file. Inputs that ever crashed are kept in
//! `fixtures/fuzz-regressions/` and replayed on every run.
//!
//! The run fails when too few mutations generate (a loader refusing everything is not "no
//! panics"), and `cargo check`s the first generated mutation of two seeds.
//!
//! `OAPI_FUZZ_ITERS=20000 cargo test -p oapi-tests --release --test fuzz -- --nocapture` runs longer;
//! `OAPI_FUZZ_SEED=N` varies the inputs; with `OAPI_FUZZ_CURRENT=FILE` each input is written there first, so an input that overflows
//! the stack (which aborts the process) is left behind.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use generator::emit::GeneratedCrate;
use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<(String, Value)> {
    let mut paths = vec![
        root().join("spec/isometric-registry.openapi.json"),
        root().join("tests/fixtures/stripe-configuration.openapi.yaml"),
    ];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/constructs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    // `../shared` sits beside the repository (in CI too): a missing corpus spec fails the run
    // instead of quietly fuzzing fewer seeds.
    for small in ["museum.yaml", "flashnotes.json", "twilio-accounts-v1.json"] {
        let p = root().join("../shared/corpus").join(small);
        assert!(p.is_file(), "{} is missing", p.display());
        paths.push(p);
    }
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.display().to_string(),
                generator::load::parse_value(&text).unwrap(),
            )
        })
        .collect()
}

/// Number of nodes, to pick one uniformly.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Object(m) => m.values().map(count).sum(),
        Value::Array(a) => a.iter().map(count).sum(),
        _ => 0,
    }
}

fn nth_mut(v: &mut Value, n: &mut usize) -> Option<*mut Value> {
    if *n == 0 {
        return Some(v as *mut Value);
    }
    *n -= 1;
    match v {
        Value::Object(m) => m.values_mut().find_map(|c| nth_mut(c, n)),
        Value::Array(a) => a.iter_mut().find_map(|c| nth_mut(c, n)),
        _ => None,
    }
}

/// The JSON pointer of the `n`th node in the same order as `nth_mut`.
fn nth_pointer(v: &Value, n: &mut usize, here: String) -> Option<String> {
    if *n == 0 {
        return Some(here);
    }
    *n -= 1;
    match v {
        Value::Object(m) => m.iter().find_map(|(k, c)| {
            let key = k.replace('~', "~0").replace('/', "~1");
            nth_pointer(c, n, format!("{here}/{key}"))
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, c)| nth_pointer(c, n, format!("{here}/{i}"))),
        _ => None,
    }
}

fn replacement(rng: &mut Rng) -> Value {
    let choices = [
        Value::Null,
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
        json!(true),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"$ref": "#/"}),
        json!({"$ref": "other.yaml#/X"}),
        json!({"type": "array"}),
        json!({"type": ["string", "null", "integer"]}),
        json!({"type": "null"}),
        json!({"oneOf": []}),
        json!({"anyOf": [{"type": "null"}]}),
        json!({"allOf": [{"type": "string"}, {"type": "object", "properties": {"a": {}}}]}),
        json!({"enum": [null, 1, "a", {"b": 2}]}),
        json!({"const": null}),
        json!({"type": "object", "additionalProperties": {"type": "object", "additionalProperties": true}}),
        json!({"type": "string", "format": "decimal", "exclusiveMinimum": 3}),
        json!({"not": {"type": "string"}}),
        json!("{id}"),
        json!({"type": "integer", "minimum": 1.5}),
        json!({"in": "path", "name": "missing", "required": true, "schema": {"type": "string"}}),
        json!({"discriminator": {"propertyName": "kind"}, "oneOf": [{"$ref": "#/components/schemas/Nope"}]}),
    ];
    choices[rng.below(choices.len())].clone()
}

fn mutate(doc: &mut Value, rng: &mut Rng) {
    for _ in 0..1 + rng.below(3) {
        let total = count(doc);
        let snapshot = doc.clone();
        let mut n = 1 + rng.below(total.saturating_sub(1));
        let Some(ptr) = nth_mut(doc, &mut n) else {
            continue;
        };
        // SAFETY: `ptr` points into `doc`, which is not otherwise borrowed while we use it.
        let node = unsafe { &mut *ptr };
        match rng.below(5) {
            0 => *node = replacement(rng),
            // A `$ref` to anywhere in the document: loops, self-references, non-schema targets.
            4 => {
                let mut m = rng.below(total);
                let target = nth_pointer(&snapshot, &mut m, "#".into()).unwrap_or_default();
                *node = json!({ "$ref": target });
            }
            1 => {
                if let Value::Object(m) = node {
                    if !m.is_empty() {
                        let key = m.keys().nth(rng.below(m.len())).cloned().unwrap();
                        m.remove(&key);
                    }
                }
            }
            2 => {
                if let Value::Object(m) = node {
                    let key = [
                        "type",
                        "$ref",
                        "properties",
                        "items",
                        "required",
                        "nullable",
                        "oneOf",
                        "name",
                        "in",
                        "paths",
                        "",
                    ][rng.below(11)];
                    m.insert(key.to_string(), replacement(rng));
                }
            }
            _ => {
                if let Value::Array(a) = node {
                    if !a.is_empty() {
                        let i = rng.below(a.len());
                        let copy = a[i].clone();
                        a.push(copy);
                    }
                } else {
                    *node = json!([node.clone(), replacement(rng)]);
                }
            }
        }
    }
}

/// Byte-level damage: truncate, drop a line, or splice in a stray character.
fn corrupt_text(text: &mut String, rng: &mut Rng) {
    let at = rng.below(text.len());
    let at = (0..=at)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    match rng.below(3) {
        0 => text.truncate(at),
        1 => {
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            text.replace_range(start..end, "");
        }
        _ => text.insert(
            at,
            ['{', '"', ':', '\t', '-', '&', '*', '\u{0}'][rng.below(8)],
        ),
    }
}

/// Run the whole pipeline; Err(panic message) if anything panicked, else the crate's files or
/// the generator's error.
fn generate(text: &str, name: &str) -> Result<Result<GeneratedCrate, String>, String> {
    generate_named(text, name, "fuzz")
}

fn generate_named(
    text: &str,
    name: &str,
    crate_name: &str,
) -> Result<Result<GeneratedCrate, String>, String> {
    let path = Path::new(name);
    catch_unwind(AssertUnwindSafe(|| {
        let loaded = generator::load::load_str(text, path).map_err(|e| e.to_string())?;
        let api = generator::lower::lower(&loaded);
        let options = generator::emit::Options {
            crate_name: crate_name.into(),
            spec_name: name.into(),
            examples: Vec::new(),
            ..Default::default()
        };
        generator::emit::generate(&api, &options).map_err(|e| e.to_string())
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or(p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn regressions_never_panic() {
    let dir = root().join("tests/fixtures/fuzz-regressions");
    let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(
        !entries.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    for entry in entries {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let outcome = generate(&text, &path.display().to_string());
        assert!(
            outcome.is_ok(),
            "{} panicked: {:?}",
            path.display(),
            outcome
        );
    }
}

#[test]
fn mutated_specs_never_panic() {
    let iterations: usize = std::env::var("OAPI_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seeds = seeds();
    let seed = std::env::var("OAPI_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed);
    let (mut generated, mut rejected) = (0, 0);
    let mut crashes = Vec::new();
    // The first generated mutation of each of the first `COMPILED_SAMPLES` seeds, compiled below.
    let mut samples: Vec<(String, String)> = Vec::new();
    for i in 0..iterations {
        let (name, seed) = &seeds[i % seeds.len()];
        let mut doc = seed.clone();
        mutate(&mut doc, &mut rng);
        let mut text = if rng.below(2) == 0 {
            doc.to_string()
        } else {
            serde_yaml::to_string(&doc).unwrap()
        };
        if rng.below(8) == 0 {
            corrupt_text(&mut text, &mut rng);
        }
        // A stack overflow aborts the process before it can be reported: keep the input in hand.
        if let Some(path) = std::env::var_os("OAPI_FUZZ_CURRENT") {
            std::fs::write(path, &text).unwrap();
        }
        match generate(&text, "mutated.spec") {
            Ok(Ok(_)) => {
                generated += 1;
                if samples.len() < COMPILED_SAMPLES && !samples.iter().any(|(n, _)| n == name) {
                    samples.push((name.clone(), text.clone()));
                }
            }
            Ok(Err(message)) => {
                assert!(
                    message.starts_with("mutated.spec at "),
                    "error does not name the file and a location: {message}"
                );
                assert!(
                    !message.contains("internal error"),
                    "generator emitted invalid Rust for a mutation of {name}: {message}"
                );
                rejected += 1;
            }
            Err(panic) => crashes.push((name.clone(), text, panic)),
        }
    }
    println!("fuzz: {iterations} inputs, {generated} generated, {rejected} rejected with an error, {} panics", crashes.len());
    if !crashes.is_empty() {
        let dir = root().join("tests/fixtures/fuzz-regressions");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (_, text, _)) in crashes.iter().enumerate() {
            std::fs::write(dir.join(format!("crash-{i}.spec")), text).unwrap();
        }
        panic!(
            "{} inputs panicked (saved to {}): first from {}: {}",
            crashes.len(),
            dir.display(),
            crashes[0].0,
            crashes[0].2
        );
    }
    // A generator that refuses (almost) everything must not pass as "never panics": about a
    // third of mutations generate (6,450 of 20,000 over five seeds); the floor leaves room for
    // chance at the default 300 inputs.
    let fraction = generated as f64 / iterations.max(1) as f64;
    assert!(
        fraction >= MIN_GENERATED_FRACTION,
        "only {generated} of {iterations} mutated specs generated ({:.0}%, floor {:.0}%)",
        fraction * 100.0,
        MIN_GENERATED_FRACTION * 100.0
    );
    assert_eq!(
        samples.len(),
        COMPILED_SAMPLES.min(seeds.len()),
        "too few seeds generated"
    );
    compile_samples(&samples);
}

const MIN_GENERATED_FRACTION: f64 = 0.2;
const COMPILED_SAMPLES: usize = 2;

/// `cargo check` the sampled mutated crates in one scratch workspace, with the target directory
/// `cargo xtask check-specs` uses (CI builds the same dependencies there, so they build once).
/// A mutated spec the generator accepts must yield a crate that compiles.
fn compile_samples(samples: &[(String, String)]) {
    let scratch = std::env::temp_dir().join(format!("oapi-fuzz-compile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut members = Vec::new();
    for (i, (seed, text)) in samples.iter().enumerate() {
        let name = format!("fuzz-sample-{i}");
        let crate_files = generate_named(text, "mutated.spec", &name)
            .expect("no panic the second time")
            .expect("generates the second time");
        for (rel, contents) in &crate_files.files {
            let path = scratch.join(&name).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        std::fs::write(scratch.join(format!("{name}.spec")), text).unwrap();
        println!("fuzz: compiling {name}, a mutation of {seed}");
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root().join("target/spec-check"))
        .args(["check", "--workspace", "--quiet"])
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "a generated mutation does not compile; the crates and their specs are in {}",
        scratch.display()
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}
