//! The `cargo xtask` contract, run as a process: `--help`/`--version` of every command, the exit
//! codes of each (0 ok, 1 a check failed, 2 bad arguments or input), `--check`, `--crate-name`,
//! the spec-change summary, warnings counted by kind (listed with `--verbose`, silenced with
//! `--quiet`), no progress lines when stderr is not a terminal, and that a failed generation
//! leaves the output directory byte-for-byte as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oapi-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` with its bytes, to prove a directory did not change at all.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

fn fixture(path: &str) -> String {
    root().join(path).display().to_string()
}

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

/// The generator config beside the spec (`<stem>.oapi.toml`) or named with `--config`: its
/// declarations act, unpaged operations that look paged are reported, a bad config stops with
/// exit 2 naming the file and key, and a config change makes `--check` fail like a spec change.
#[test]
fn generator_config_pagination_notes_and_errors() {
    let dir = scratch("config");
    let spec = dir.join("paging.yaml");
    std::fs::copy(root().join("tests/fixtures/paging/paging.yaml"), &spec).unwrap();
    let config = dir.join("paging.oapi.toml");
    std::fs::copy(
        root().join("tests/fixtures/paging/paging.oapi.toml"),
        &config,
    )
    .unwrap();
    let out = dir.join("client");
    let (spec_arg, out_arg) = (spec.display().to_string(), out.display().to_string());

    // Each unpaged operation that looks paged gets one line naming it, with or without
    // `--verbose` (the operationId is what a declaration needs).
    let notes_of = |run: &Output| -> Vec<String> {
        stderr(run)
            .lines()
            .filter(|l| l.starts_with("note:"))
            .map(str::to_owned)
            .collect()
    };
    let expected = "note: search_things (GET /search) is not paged: `limit` looks like paging, \
                    but no request input takes a next-page value from the response; declare it \
                    under [pagination.search_things] in oapi.toml if it is";
    let run = xtask(&["regenerate", "--spec", &spec_arg, "--out", &out_arg]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(notes_of(&run), [expected]);
    // stderr is not a terminal here: no progress lines, only the note.
    assert_eq!(stderr(&run).lines().count(), 1, "{}", stderr(&run));
    let verbose = xtask(&[
        "regenerate",
        "--spec",
        &spec_arg,
        "--out",
        &out_arg,
        "--verbose",
    ]);
    assert_eq!(code(&verbose), 0, "{}", stderr(&verbose));
    assert_eq!(notes_of(&verbose), [expected]);
    // `--quiet` prints nothing at all on success.
    let quiet = xtask(&["regenerate", "--spec", &spec_arg, "--out", &out_arg, "-q"]);
    assert_eq!(code(&quiet), 0, "{}", stderr(&quiet));
    assert_eq!(
        (stdout(&quiet), stderr(&quiet)),
        (String::new(), String::new())
    );
    let code_of =
        |name: &str| std::fs::read_to_string(out.join("src/generated").join(name)).unwrap();
    assert!(code_of("operations.rs").contains("pub fn pages"));
    let before = tree(&out);

    // Turning one operation off is a change `--check` sees.
    let mut text = std::fs::read_to_string(&config).unwrap();
    text = text.replace(
        "list_switched_off = false",
        "list_switched_off = false\nlist_tokens = false",
    );
    std::fs::write(&config, &text).unwrap();
    let check = xtask(&[
        "regenerate",
        "--spec",
        &spec_arg,
        "--out",
        &out_arg,
        "--check",
    ]);
    assert_eq!(code(&check), 1, "{}", stderr(&check));

    // A typo in a key: exit 2, file and key named, output untouched.
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[pagination.list_tokens]\nstyle = \"cursor\"\ntokn = \"next_page\"\n",
    )
    .unwrap();
    let bad_arg = bad.display().to_string();
    let run = xtask(&[
        "regenerate",
        "--spec",
        &spec_arg,
        "--out",
        &out_arg,
        "--config",
        &bad_arg,
    ]);
    assert_eq!(code(&run), 2);
    let err = stderr(&run);
    assert!(
        err.contains("bad.toml at pagination.list_tokens") && err.contains("tokn"),
        "{err}"
    );
    // An operationId the spec does not have.
    std::fs::write(&bad, "[pagination]\nlist_tokenz = false\n").unwrap();
    let run = xtask(&[
        "regenerate",
        "--spec",
        &spec_arg,
        "--out",
        &out_arg,
        "--config",
        &bad_arg,
    ]);
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("no operation with operationId `list_tokenz`"),
        "{}",
        stderr(&run)
    );
    // A missing explicit config is an error too, not a silent default.
    let missing = dir.join("missing.toml").display().to_string();
    let run = xtask(&[
        "regenerate",
        "--spec",
        &spec_arg,
        "--out",
        &out_arg,
        "--config",
        &missing,
    ]);
    assert_eq!(code(&run), 2);
    assert_eq!(tree(&out), before);
    let _ = std::fs::remove_dir_all(&dir);
}

const COMMANDS: [&str; 6] = [
    "regenerate",
    "diff",
    "check-specs",
    "check-diff-verdicts",
    "ir",
    "bench",
];

#[test]
fn help_and_version_of_every_command_exit_0() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let run = xtask(args);
        assert_eq!(code(&run), 0, "{args:?}: {}", stderr(&run));
        let help = stdout(&run);
        assert!(
            help.contains("Usage: cargo xtask [OPTIONS] <COMMAND>"),
            "{help}"
        );
        for command in COMMANDS {
            assert!(
                help.contains(&format!("\n  {command} ")),
                "{command}: {help}"
            );
        }
        assert!(help.contains("Exit status:"), "{help}");
    }
    let version = format!("xtask {}\n", env!("CARGO_PKG_VERSION"));
    for flag in ["--version", "-V"] {
        let run = xtask(&[flag]);
        assert_eq!(code(&run), 0);
        assert_eq!(stdout(&run), version);
    }
    for command in COMMANDS {
        let usage = format!("Usage: cargo xtask {command}");
        for args in [[command, "--help"], [command, "-h"], ["help", command]] {
            let run = xtask(&args);
            assert_eq!(code(&run), 0, "{args:?}: {}", stderr(&run));
            let help = stdout(&run);
            assert!(help.contains(&usage), "{args:?}: {help}");
            assert!(
                help.contains("--quiet") && help.contains("--verbose"),
                "{help}"
            );
            assert!(help.contains("Exit status: 0"), "{args:?}: {help}");
            assert_eq!(stderr(&run), "");
        }
        let run = xtask(&[command, "--version"]);
        assert_eq!(code(&run), 0, "{command} --version");
        assert!(
            stdout(&run).ends_with(&format!(" {}\n", env!("CARGO_PKG_VERSION"))),
            "{}",
            stdout(&run)
        );
    }
}

#[test]
fn bad_arguments_exit_2_with_a_cargo_style_error() {
    for command in COMMANDS {
        let run = xtask(&[command, "--bogus"]);
        assert_eq!(code(&run), 2, "{command}");
        let message = stderr(&run);
        assert!(
            message.starts_with("error: unexpected argument '--bogus' found"),
            "{message}"
        );
        assert!(
            message.contains(&format!("Usage: cargo xtask {command}")),
            "{message}"
        );
        assert!(message.contains("try '--help'"), "{message}");
        assert_eq!(stdout(&run), "");
    }
    let cases: [(&[&str], &str); 8] = [
        (&[], "Usage: cargo xtask [OPTIONS] <COMMAND>"),
        (
            &["regenerate", "--out"],
            "a value is required for '--out <DIR>'",
        ),
        (
            &["regenerate", "--quiet", "--verbose"],
            "cannot be used with",
        ),
        (&["diff", "old.yaml"], "<NEW>"),
        (
            &["diff", "a", "b", "--format", "yaml"],
            "[possible values: text, markdown, json]",
        ),
        (&["check-specs"], "<SPEC_OR_DIR>..."),
        (&["ir", "extra"], "unexpected argument 'extra'"),
        (
            &["regnerate"],
            "tip: a similar subcommand exists: 'regenerate'",
        ),
    ];
    for (args, expected) in cases {
        let run = xtask(args);
        assert_eq!(code(&run), 2, "{args:?}");
        assert!(
            stderr(&run).contains(expected),
            "{args:?}: {}",
            stderr(&run)
        );
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
