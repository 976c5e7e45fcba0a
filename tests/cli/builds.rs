//! `check-specs` and `check-diff-verdicts`, which build generated crates.

use super::*;

/// A spec with one documented example; `count` decides whether the example fits the schema.
fn counted_spec(count: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Counts, version: '1'}}\npaths:\n  /count:\n    get:\n      \
         operationId: get_count\n      responses:\n        '200':\n          description: ok\n          \
         content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Count'}}\n\
         components:\n  schemas:\n    Count:\n      type: object\n      required: [count]\n      \
         properties:\n        count: {{type: integer}}\n      example: {{count: {count}}}\n"
    )
}

/// `check-specs` and `check-diff-verdicts` build generated crates, in `target/spec-check` as CI's
/// runs of the same commands do (so dependencies build once); one test keeps the builds in
/// sequence.
#[test]
fn build_commands_exit_0_when_it_holds_1_when_it_does_not_2_on_bad_input() {
    let dir = scratch("builds");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let empty_arg = empty.display().to_string();

    // check-specs.
    let none = xtask(&["check-specs", &empty_arg]);
    assert_eq!(code(&none), 2);
    assert!(
        stderr(&none).contains("no .json, .yaml or .yml spec"),
        "{}",
        stderr(&none)
    );
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "openapi: 3.0.3\ninfo: [unclosed\n").unwrap();
    let run = xtask(&["check-specs", &broken.display().to_string()]);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("broken.yaml"), "{}", stderr(&run));

    let good = dir.join("good.yaml");
    std::fs::write(&good, counted_spec("3")).unwrap();
    let run = xtask(&[
        "check-specs",
        "--clippy",
        "--test",
        &good.display().to_string(),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(
        stdout(&run).contains("1 generated crates build without warnings"),
        "{}",
        stdout(&run)
    );
    // A spec whose own example does not fit its schema: the crate builds, its example test fails.
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, counted_spec("many")).unwrap();
    let run = xtask(&[
        "check-specs",
        "--test",
        "--quiet",
        &bad.display().to_string(),
    ]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    assert!(
        !stdout(&run).contains("generated check-bad"),
        "--quiet: {}",
        stdout(&run)
    );

    // check-diff-verdicts, on a fixture directory of one rule.
    let rules = dir.join("rules");
    let rule = rules.join("operation-removed");
    std::fs::create_dir_all(&rule).unwrap();
    let source = root().join("tests/fixtures/diff/operation-removed");
    for file in ["old.yaml", "new.yaml", "caller.rs"] {
        std::fs::copy(source.join(file), rule.join(file)).unwrap();
    }
    let fixtures = rules.display().to_string();
    let verdicts = ["check-diff-verdicts", "--fixtures", fixtures.as_str()];
    let run = xtask(&verdicts);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert!(
        stdout(&run).contains("ok    operation-removed"),
        "{}",
        stdout(&run)
    );
    // A caller the removal does not touch: the diff's "breaks the Rust API" is not proven.
    std::fs::write(
        rule.join("caller.rs"),
        "pub fn call(_client: &api::Client) {}\n",
    )
    .unwrap();
    let run = xtask(&verdicts);
    assert_eq!(code(&run), 1, "{}{}", stdout(&run), stderr(&run));
    assert!(
        stdout(&run).contains("diff says Rust-API-breaking, but the caller still compiles"),
        "{}",
        stdout(&run)
    );
    let run = xtask(&["check-diff-verdicts", "--fixtures", &empty_arg]);
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("no rule directory with a caller.rs"),
        "{}",
        stderr(&run)
    );
    std::fs::write(rule.join("old.yaml"), "openapi: 3.0.3\ninfo: [unclosed\n").unwrap();
    let run = xtask(&verdicts);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("old.yaml"), "{}", stderr(&run));
    let _ = std::fs::remove_dir_all(&dir);
}
