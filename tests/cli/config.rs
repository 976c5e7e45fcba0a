//! The generator config (`oapi.toml`): pagination declarations, notes and errors.

use super::*;

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
