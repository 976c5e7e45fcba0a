//! `cargo xtask diff OLD NEW [--format text|markdown|json] [--fail-on breaking|any]`.
//! Exit codes: 0 it ran (whatever it found), 1 `--fail-on` matched, 2 bad input.

use std::path::PathBuf;

use generator::diff::{self, FailOn, Format};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 it ran (whatever it found), 1 `--fail-on` matched, \
                        2 a spec could not be read or the arguments are wrong."
)]
pub struct Args {
    /// The spec the current crate was generated from
    old: PathBuf,
    /// The new version of the spec
    new: PathBuf,
    /// How to print the changes
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Exit 1 when a change of this class is found
    #[arg(long, value_enum, value_name = "CLASS")]
    fail_on: Option<FailOnArg>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    /// One line per change, grouped by class
    Text,
    /// Markdown, for pull-request comments
    Markdown,
    /// Every field, for tools
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FailOnArg {
    /// Any change that breaks existing requests or responses on the wire
    Breaking,
    /// Any change at all
    Any,
}

pub fn run(args: &Args) -> u8 {
    let changes = match diff::diff_files(&args.old, &args.new) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Json => Format::Json,
    };
    let fail_on = args.fail_on.map(|f| match f {
        FailOnArg::Breaking => FailOn::Breaking,
        FailOnArg::Any => FailOn::Any,
    });
    print!("{}", diff::render(&changes, format));
    diff::exit_code(&changes, fail_on)
}
