//! Developer CLI: `cargo xtask <command>`. The arguments of every command are parsed here, once,
//! with clap; each command module owns its `Args` and a `run` returning the exit code.

mod bench;
mod check_specs;
mod diff;
mod diff_verdicts;
mod load_bench;
mod regenerate;
mod ui;
mod warnings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generation builds and drops millions of small token and syntax-tree allocations on several
// threads; glibc's allocator spent about 40% of `regenerate`'s instructions on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate, check and compare typed Rust clients for OpenAPI documents.
#[derive(Parser, Debug)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    version,
    propagate_version = true,
    after_help = "Exit status: 0 success, 1 a check failed (stale files, `--fail-on` matched, a \
                  crate or verdict did not hold), 2 bad arguments or input."
)]
struct Cli {
    #[command(flatten)]
    output: ui::OutputArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate a complete client crate from a spec (or check a checked-in one is fresh)
    Regenerate(regenerate::Args),
    /// Say what a new spec version breaks, on the wire and in the generated Rust API
    Diff(diff::Args),
    /// Generate each spec into a scratch workspace and build them all, warnings as errors
    CheckSpecs(check_specs::Args),
    /// Prove the diff's Rust-API verdicts by compiling each fixture's caller
    CheckDiffVerdicts(diff_verdicts::Args),
    /// Print the intermediate model of a spec as JSON (debugging)
    #[command(after_help = "Exit status: 0 printed, 2 the spec could not be read.")]
    Ir(regenerate::IrArgs),
    /// Release-mode timings of generation and diffing
    #[command(after_help = "Exit status: 0 measured, 2 a run failed.")]
    Bench,
    /// One shared client under 1,000 concurrent requests against a local mock, clean and with
    /// injected faults (release mode): requests/s, p50/p99, connections, errors by kind
    #[command(
        after_help = "Exit status: 0 measured, 1 the benchmark failed, 2 cargo could not run."
    )]
    BenchLoad,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ui = ui::Ui::new(&cli.output);
    let code = match &cli.command {
        Command::Regenerate(args) => regenerate::run(args, &ui),
        Command::Diff(args) => diff::run(args),
        Command::CheckSpecs(args) => check_specs::run(args, &ui),
        Command::CheckDiffVerdicts(args) => diff_verdicts::run(args, &ui),
        Command::Ir(args) => regenerate::print_ir(args),
        Command::Bench => bench::run(),
        Command::BenchLoad => load_bench::run(),
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

/// Where the shared `--work` flag points by default: cargo's target directory for the scratch
/// workspaces, kept between runs so dependencies build once.
pub fn default_work_dir() -> std::path::PathBuf {
    workspace_root().join("target/spec-check")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_parse_before_or_after_the_command() {
        let cli = Cli::try_parse_from(["xtask", "-q", "regenerate", "--check"]).unwrap();
        assert!(cli.output.quiet);
        let cli = Cli::try_parse_from(["xtask", "regenerate", "--verbose"]).unwrap();
        assert!(cli.output.verbose);
        let both = Cli::try_parse_from(["xtask", "regenerate", "--quiet", "--verbose"]);
        assert!(both.is_err(), "--quiet and --verbose contradict each other");
    }
}
