//! `cargo xtask check-diff-verdicts [--fixtures DIR] [--work DIR]`: proves the diff's `rust_api_breaking` verdicts
//! by compiling. Each `tests/fixtures/diff/<rule>/caller.rs` is code a user might write against
//! the crate generated from `old.yaml`. It must compile against that crate, and it must compile
//! against the crate generated from `new.yaml` exactly when the diff says no change breaks the
//! Rust API. One scratch workspace, one `cargo check --keep-going`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::ui::Ui;
use crate::workspace_root;

struct Case {
    rule: String,
    /// The diff's verdict: some change breaks code written against the old crate.
    breaking: bool,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 every verdict holds, 1 one does not, 2 a fixture could \
                        not be generated or cargo could not run."
)]
pub struct Args {
    /// The fixture pairs: one directory per rule with old and new spec (.yaml or .json) and caller.rs
    #[arg(long, value_name = "DIR", default_value_os_t = workspace_root().join("tests/fixtures/diff"))]
    fixtures: PathBuf,
    #[command(flatten)]
    work: crate::check_specs::WorkArg,
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    match check(&args.fixtures, &args.work.dir, ui) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn check(fixtures: &Path, work: &Path, ui: &Ui) -> Result<bool, String> {
    let mut rules: Vec<PathBuf> = std::fs::read_dir(fixtures)
        .map_err(|e| format!("{}: {e}", fixtures.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("caller.rs").exists())
        .collect();
    rules.sort();
    if rules.is_empty() {
        return Err(format!(
            "{}: no rule directory with a caller.rs",
            fixtures.display()
        ));
    }
    let scratch = std::env::temp_dir().join(format!("oapi-diff-verdicts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut cases = Vec::new();
    let mut members = Vec::new();
    for (i, dir) in rules.iter().enumerate() {
        let rule = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("rule")
            .to_owned();
        ui.status(
            "Generating",
            format_args!("[{}/{}] {rule} (old and new)", i + 1, rules.len()),
        );
        let (old, new) = (spec_in(dir, "old")?, spec_in(dir, "new")?);
        let changes = generator::diff::diff_files(&old, &new).map_err(|e| e.to_string())?;
        let caller = std::fs::read_to_string(dir.join("caller.rs")).map_err(|e| e.to_string())?;
        for (side, spec) in [("old", &old), ("new", &new)] {
            let api = format!("{side}-{rule}");
            crate::check_specs::write_generated(spec, &api, &scratch)?;
            write_caller(&scratch, &format!("caller-{side}-{rule}"), &api, &caller)?;
            members.push(api);
            members.push(format!("caller-{side}-{rule}"));
        }
        cases.push(Case {
            rule,
            breaking: changes.iter().any(|c| c.rust_api_breaking),
        });
    }
    crate::check_specs::write_workspace(&scratch, &members).map_err(|e| e.to_string())?;
    ui.status(
        "Checking",
        format_args!(
            "{} with cargo check",
            crate::ui::count(members.len(), "crate", "crates")
        ),
    );
    let failed = failing_targets(&scratch, work)?;
    let _ = std::fs::remove_dir_all(&scratch);

    let mut ok = true;
    for case in &cases {
        let generated_ok = !failed.contains(&lib_name(&format!("old-{}", case.rule)))
            && !failed.contains(&lib_name(&format!("new-{}", case.rule)));
        let old_ok = !failed.contains(&lib_name(&format!("caller-old-{}", case.rule)));
        let new_ok = !failed.contains(&lib_name(&format!("caller-new-{}", case.rule)));
        let verdict = match (generated_ok, old_ok, new_ok != case.breaking) {
            (false, _, _) => "a generated crate does not compile",
            (_, false, _) => "caller does not compile against the old crate",
            (_, _, false) if case.breaking => {
                "diff says Rust-API-breaking, but the caller still compiles"
            }
            (_, _, false) => "diff says not Rust-API-breaking, but the caller no longer compiles",
            _ => "",
        };
        let shown = if case.breaking { "breaks" } else { "compiles" };
        if verdict.is_empty() {
            ui.result(format_args!(
                "ok    {:<36} new crate {shown} the caller, as the diff said",
                case.rule
            ));
        } else {
            ok = false;
            println!("FAIL  {:<36} {verdict}", case.rule);
        }
    }
    ui.result(format_args!(
        "{} rules checked by compiling a caller",
        cases.len()
    ));
    Ok(ok)
}

/// A rule's `old` or `new` spec: `<side>.yaml`, `<side>.yml` or `<side>.json` (the JSON-vs-YAML
/// rule compares the two forms).
fn spec_in(dir: &Path, side: &str) -> Result<PathBuf, String> {
    ["yaml", "yml", "json"]
        .iter()
        .map(|ext| dir.join(format!("{side}.{ext}")))
        .find(|path| path.exists())
        .ok_or_else(|| format!("{}: no {side}.yaml or {side}.json", dir.display()))
}

fn lib_name(package: &str) -> String {
    package.replace('-', "_")
}

fn write_caller(scratch: &Path, name: &str, api: &str, code: &str) -> Result<(), String> {
    let dir = scratch.join(name);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [lib]\npath = \"lib.rs\"\n\n[dependencies]\napi = {{ path = \"../{api}\", package = \"{api}\" }}\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("lib.rs"), format!("#![allow(dead_code)]\n{code}"))
        .map_err(|e| e.to_string())
}

/// Library targets with compile errors, from cargo's JSON messages.
fn failing_targets(scratch: &Path, target: &Path) -> Result<BTreeSet<String>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format",
            "json",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut failed = BTreeSet::new();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] == "compiler-message" && message["message"]["level"] == "error" {
            let name = message["target"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let text = message["message"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            errors.entry(name.clone()).or_default().push(text);
            failed.insert(name);
        }
    }
    for (target, messages) in &errors {
        if let Some(first) = messages.first() {
            println!("      {target}: {first}");
        }
    }
    if !output.status.success() && failed.is_empty() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(failed)
}
