//! `cargo xtask regenerate`: output, `--check`, failures that leave the output untouched, and
//! the summary of what a changed spec breaks.

use super::*;

#[test]
fn regenerate_writes_a_named_crate_and_check_lists_stale_files() {
    let dir = scratch("check");
    let out = dir.join("client");
    let out_arg = out.display().to_string();
    let spec = fixture("tests/fixtures/constructs/pagination.yaml");
    let run = xtask(&[
        "regenerate",
        "--spec",
        &spec,
        "--out",
        &out_arg,
        "--crate-name",
        "my-pages",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-pages\""), "{manifest}");

    let check = [
        "regenerate",
        "--spec",
        &spec,
        "--out",
        &out_arg,
        "--crate-name",
        "my-pages",
        "--check",
    ];
    let fresh = xtask(&check);
    assert_eq!(code(&fresh), 0, "{}", stderr(&fresh));
    assert!(stdout(&fresh).contains("is up to date"));

    // A hand edit and a leftover file both make the crate stale, and both are named.
    let lib = out.join("src/lib.rs");
    let mut edited = std::fs::read_to_string(&lib).unwrap();
    edited.push_str("\n// hand edit\n");
    std::fs::write(&lib, edited).unwrap();
    std::fs::write(out.join("src/generated/leftover.rs"), "// stale").unwrap();
    let before = tree(&out);
    let stale = xtask(&check);
    assert_eq!(code(&stale), 1, "{}", stderr(&stale));
    let listing = stderr(&stale);
    assert!(listing.contains("src/lib.rs"), "{listing}");
    assert!(listing.contains("src/generated/leftover.rs"), "{listing}");
    assert_eq!(tree(&out), before, "--check never writes");

    // A different crate name is a difference too.
    let renamed = xtask(&[
        "regenerate",
        "--spec",
        &spec,
        "--out",
        &out_arg,
        "--crate-name",
        "other",
        "--check",
    ]);
    assert_eq!(code(&renamed), 1);
    assert!(
        stderr(&renamed).contains("Cargo.toml"),
        "{}",
        stderr(&renamed)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn failures_exit_2_name_the_file_and_pointer_and_leave_the_output_untouched() {
    let dir = scratch("fail");
    let out = dir.join("client");
    let out_arg = out.display().to_string();
    let good = fixture("tests/fixtures/constructs/unions.yaml");
    assert_eq!(
        code(&xtask(&["regenerate", "--spec", &good, "--out", &out_arg])),
        0
    );
    std::fs::write(out.join("NOTES.md"), "the user's own file").unwrap();
    let before = tree(&out);

    let dangling = dir.join("dangling.yaml");
    std::fs::write(
        &dangling,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Nope'}\n",
    )
    .unwrap();
    let broken_yaml = dir.join("broken.yaml");
    std::fs::write(&broken_yaml, "openapi: 3.0.3\ninfo: [unclosed\n").unwrap();
    let swagger = dir.join("swagger.json");
    std::fs::write(&swagger, r#"{"swagger": "2.0", "info": {}, "paths": {}}"#).unwrap();
    let cases = [
        (
            dangling,
            "at #/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
        ),
        (broken_yaml, "line 2"),
        (swagger, "at #/swagger"),
        (dir.join("absent.json"), "cannot read spec"),
    ];
    for (spec, location) in cases {
        let run = xtask(&[
            "regenerate",
            "--spec",
            &spec.display().to_string(),
            "--out",
            &out_arg,
        ]);
        let message = stderr(&run);
        assert_eq!(code(&run), 2, "{message}");
        let file = spec.file_name().unwrap().to_str().unwrap();
        assert!(
            message.contains(file) && message.contains(location),
            "{message}"
        );
        assert_eq!(tree(&out), before, "output changed after failing on {file}");
    }

    for bad_args in [
        &["regenerate", "--spec"][..],
        &["regenerate", "--bogus"],
        &["frobnicate"],
    ] {
        let run = xtask(bad_args);
        assert_eq!(code(&run), 2, "{bad_args:?}");
        let message = stderr(&run);
        assert!(
            message.starts_with("error: ")
                && message.contains("For more information, try '--help'."),
            "{message}"
        );
    }
    assert_eq!(tree(&out), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn regenerate_summarises_what_a_changed_spec_breaks() {
    let dir = scratch("summary");
    let out = dir.join("client").display().to_string();
    let spec = dir.join("api.yaml");
    let spec_arg = spec.display().to_string();
    let pair = root().join("tests/fixtures/diff/operation-removed");
    std::fs::copy(pair.join("old.yaml"), &spec).unwrap();
    let first = xtask(&["regenerate", "--spec", &spec_arg, "--out", &out]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(!stdout(&first).contains("since the last generation"));

    std::fs::copy(pair.join("new.yaml"), &spec).unwrap();
    let second = xtask(&["regenerate", "--spec", &spec_arg, "--out", &out]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let summary = stdout(&second);
    assert!(
        summary.contains("changes since the last generation"),
        "{summary}"
    );
    assert!(summary.contains("breaking"), "{summary}");
    assert!(summary.lines().count() <= 25, "{summary}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A spec spread over files: the crate keeps the bundled document, so a change in a referenced
/// file is summarised too, and an unchanged spec prints nothing.
#[test]
fn regenerate_summarises_changes_in_referenced_files() {
    let dir = scratch("multi");
    let spec_dir = dir.join("spec");
    for file in [
        "api.yaml",
        "parameters.yaml",
        "schemas/order.yaml",
        "schemas/line.yaml",
        "paths/customers.yaml",
    ] {
        let to = spec_dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join("tests/fixtures/multi-file").join(file), to).unwrap();
    }
    let spec = spec_dir.join("api.yaml").display().to_string();
    let out = dir.join("client").display().to_string();
    let args = ["regenerate", "--spec", spec.as_str(), "--out", out.as_str()];
    assert_eq!(code(&xtask(&args)), 0);
    let kept = std::fs::read_to_string(dir.join("client/openapi.yaml")).unwrap();
    assert!(
        !kept.contains(".yaml#"),
        "the kept copy still refers to other files:\n{kept}"
    );

    let again = xtask(&args);
    assert_eq!(code(&again), 0);
    assert!(
        !stdout(&again).contains("since the last generation"),
        "{}",
        stdout(&again)
    );

    // Drop a property the response carries, in a file the root only references.
    let order = spec_dir.join("schemas/order.yaml");
    let text = std::fs::read_to_string(&order).unwrap();
    std::fs::write(
        &order,
        text.replace("  customer: {$ref: \"#/definitions/Customer\"}\n", ""),
    )
    .unwrap();
    let changed = xtask(&args);
    assert_eq!(code(&changed), 0, "{}", stderr(&changed));
    let summary = stdout(&changed);
    assert!(
        summary.contains("changes since the last generation"),
        "{summary}"
    );
    assert!(summary.contains("customer"), "{summary}");
    std::fs::remove_dir_all(&dir).unwrap();
}
