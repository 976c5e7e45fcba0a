//! The files a generated crate consists of: the runtime that travels with it, user files kept
//! on regeneration, and big specs split into modules and cargo features.

use std::path::{Path, PathBuf};

use super::{options, root};

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
    // `../shared` sits beside the repository (in CI too): a missing corpus fails, never skips.
    let spec = root().join("../shared/corpus/discord.json");
    assert!(
        spec.is_file(),
        "{} is missing: the corpus specs sit beside the repository",
        spec.display()
    );
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
        manifest.contains("default = [\"client\", \"tracing\", \"ops-applications\""),
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
