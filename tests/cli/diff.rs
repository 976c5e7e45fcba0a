//! `cargo xtask diff` and `cargo xtask ir`: exit codes and formats.

use super::*;

#[test]
fn diff_exit_codes_and_formats() {
    let pair = |rule: &str| {
        let dir = root().join("tests/fixtures/diff").join(rule);
        let old = dir.join("old.yaml").display().to_string();
        let new = dir.join("new.yaml").display().to_string();
        (old, new)
    };
    let (old, new) = pair("operation-removed");
    let ran = xtask(&["diff", &old, &new]);
    assert_eq!(code(&ran), 0, "{}", stderr(&ran));
    assert!(stdout(&ran).contains("breaking"));
    assert_eq!(
        code(&xtask(&["diff", &old, &new, "--fail-on", "breaking"])),
        1
    );
    assert_eq!(code(&xtask(&["diff", &old, &new, "--fail-on", "any"])), 1);

    let json = xtask(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code(&json), 0);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let change = &parsed["changes"][0];
    assert_eq!(change["class"], "breaking");
    for field in ["rust_api_breaking", "operations", "location", "message"] {
        assert!(change.get(field).is_some(), "{field} missing: {change}");
    }
    let markdown = xtask(&["diff", &old, &new, "--format", "markdown"]);
    assert_eq!(code(&markdown), 0);
    assert!(stdout(&markdown).contains('|') || stdout(&markdown).contains('#'));

    let (old, new) = pair("operation-added");
    assert_eq!(
        code(&xtask(&["diff", &old, &new, "--fail-on", "breaking"])),
        0
    );
    assert_eq!(code(&xtask(&["diff", &old, &new, "--fail-on", "any"])), 1);
    assert_eq!(code(&xtask(&["diff", &old, &old, "--fail-on", "any"])), 0);

    let bad = std::env::temp_dir().join(format!("oapi-cli-bad-{}.yaml", std::process::id()));
    std::fs::write(&bad, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x: {get: {responses: {'200': {$ref: '#/components/responses/Gone'}}}}\n").unwrap();
    let broken = xtask(&["diff", &old, &bad.display().to_string()]);
    assert_eq!(code(&broken), 2);
    let message = stderr(&broken);
    assert!(
        message.contains("oapi-cli-bad-") && message.contains("#/paths/~1x/get/responses/200/$ref"),
        "{message}"
    );
    std::fs::remove_file(&bad).unwrap();
    for bad_args in [
        &["diff", &old][..],
        &["diff", &old, &new, "--format", "yaml"],
        &["diff", &old, &new, "--fail-on", "sometimes"],
    ] {
        assert_eq!(code(&xtask(bad_args)), 2, "{bad_args:?}");
    }
}

#[test]
fn ir_exit_codes() {
    let spec = fixture("tests/fixtures/constructs/pagination.yaml");
    let run = xtask(&["ir", "--spec", &spec]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let ir: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(ir["operations"]
        .as_array()
        .is_some_and(|ops| !ops.is_empty()));
    let missing = xtask(&["ir", "--spec", "no-such-spec.yaml"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("no-such-spec.yaml") && stderr(&missing).contains("cannot read"),
        "{}",
        stderr(&missing)
    );
}
