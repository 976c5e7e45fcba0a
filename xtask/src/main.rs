//! Developer CLI: `cargo xtask <command>`. Parses arguments and calls into the generator.

mod bench;
mod check_specs;
mod diff;
mod diff_verdicts;
mod load_bench;
mod regenerate;

use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask regenerate [--spec PATH] [--out DIR] [--crate-name NAME] [--config PATH] [--check]
  cargo xtask diff OLD NEW [--format text|markdown|json] [--fail-on breaking|any]
  cargo xtask check-specs [--clippy] [--test] [--work DIR] SPEC_OR_DIR...
  cargo xtask check-diff-verdicts [--work DIR]
  cargo xtask ir [--spec PATH]
  cargo xtask bench";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let code = match command.as_str() {
        "regenerate" => regenerate::run(rest),
        "diff" => diff::run(rest),
        "ir" => regenerate::print_ir(rest),
        "check-specs" => check_specs::run(rest),
        "check-diff-verdicts" => diff_verdicts::run(rest),
        "bench" => bench::run(rest),
        "bench-load" => load_bench::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            0
        }
        other => {
            eprintln!("error: unknown command `{other}`\n{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}

/// The workspace root (xtask lives one level below it), so defaults work from any directory.
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default()
}
