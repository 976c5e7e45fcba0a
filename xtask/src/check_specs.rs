//! `cargo xtask check-specs [--clippy] [--test] [--work DIR] SPEC_OR_DIR...`: generate a crate for each spec
//! into one scratch workspace and build them all with one cargo invocation (shared target dir),
//! failing on any error or warning. Proves that real specs yield compiling, warning-free clients.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::emit::Options;

use crate::ui::{count, Ui};
use crate::workspace_root;

fn collect_specs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut specs = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(input)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("json" | "yaml" | "yml")
                    )
                })
                .collect();
            entries.sort();
            specs.extend(entries);
        } else {
            specs.push(input.clone());
        }
    }
    specs
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 every crate builds without warnings, 1 a crate does not, \
                        2 a spec could not be generated or cargo could not run."
)]
pub struct Args {
    /// Run clippy (all targets, warnings as errors) instead of `cargo check`
    #[arg(long)]
    clippy: bool,
    /// Also run each crate's generated example round-trip tests
    #[arg(long)]
    test: bool,
    #[command(flatten)]
    work: WorkArg,
    /// Spec files, or directories whose .json/.yaml/.yml files are all checked
    #[arg(value_name = "SPEC_OR_DIR", required = true)]
    inputs: Vec<PathBuf>,
}

/// The scratch build's target directory, shared by the commands that build generated crates.
#[derive(clap::Args, Debug)]
pub struct WorkArg {
    /// Cargo target directory for the scratch builds (kept between runs)
    #[arg(long = "work", value_name = "DIR", default_value_os_t = crate::default_work_dir())]
    pub dir: PathBuf,
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    let specs = collect_specs(&args.inputs);
    if specs.is_empty() {
        eprintln!("error: no .json, .yaml or .yml spec in the given paths");
        return 2;
    }
    // The scratch workspace must not sit inside ours, or cargo would treat it as a member.
    let scratch = std::env::temp_dir().join(format!("oapi-spec-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut members = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        ui.status(
            "Generating",
            format_args!("[{}/{}] {}", i + 1, specs.len(), spec.display()),
        );
        let stem = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("spec")
            .replace('.', "-");
        let crate_name = format!("check-{}", heck::ToKebabCase::to_kebab_case(stem.as_str()));
        let files = match write_generated(spec, &crate_name, &scratch) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        ui.result(format_args!(
            "generated {crate_name} ({files} files) from {}",
            spec.display()
        ));
        members.push(crate_name);
    }
    if let Err(e) = write_workspace(&scratch, &members) {
        eprintln!("error: cannot write scratch workspace: {e}");
        return 2;
    }
    let tool = if args.clippy { "clippy" } else { "cargo check" };
    ui.status(
        "Building",
        format_args!("{} with {tool}", count(members.len(), "crate", "crates")),
    );
    let mut status = cargo_build(&scratch, &args.work.dir, args.clippy);
    if args.test && matches!(status, Ok(true)) {
        // Runs each crate's generated spec-example tests (round-trips of documented JSON).
        ui.status("Testing", count(members.len(), "crate", "crates"));
        status = cargo_test(&scratch, &args.work.dir);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    match status {
        Ok(true) => {
            ui.result(format_args!(
                "{} generated crates build without warnings",
                members.len()
            ));
            0
        }
        Ok(false) => 1,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            2
        }
    }
}

/// Generate the crate `name` from `spec` into `scratch/name`; the number of files written.
pub fn write_generated(spec: &Path, name: &str, scratch: &Path) -> Result<usize, String> {
    let options = Options {
        crate_name: name.to_owned(),
        spec_name: spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        examples: Vec::new(),
        config: generator::config::Config::find(spec, None).map_err(|e| e.to_string())?,
    };
    let generated = generator::generate_crate(spec, &options).map_err(|e| e.to_string())?;
    generator::output::write_atomically(&generated, &scratch.join(name))
        .map_err(|e| e.to_string())?;
    Ok(generated.files.len())
}

/// A workspace manifest listing `members`, with our lock file so dependency versions match the
/// ones this repository is tested with.
pub fn write_workspace(scratch: &Path, members: &[String]) -> std::io::Result<()> {
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        list.join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest)?;
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        scratch.join("Cargo.lock"),
    )
    .map(|_| ())
}

fn cargo_test(scratch: &Path, target: &Path) -> std::io::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        // Only the integration tests (the generated `tests/spec_examples.rs`): the runtime's own
        // unit tests are the same in every crate and run in this repository's suite, and
        // building each library a second time for them costs minutes on the corpus. Every
        // crate is run, not only up to the first that fails.
        .args(["test", "--workspace", "--no-fail-fast", "--test", "*"])
        .status()?;
    Ok(status.success())
}

fn cargo_build(scratch: &Path, target: &Path, clippy: bool) -> std::io::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(scratch).env("CARGO_TARGET_DIR", target);
    if clippy {
        cmd.args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]);
    } else {
        cmd.args(["check", "--workspace"])
            .env("RUSTFLAGS", "-D warnings");
    }
    Ok(cmd.status()?.success())
}
