//! `cargo xtask diff OLD NEW [--format text|markdown|json] [--fail-on breaking|any]`.
//! Exit codes: 0 it ran (whatever it found), 1 `--fail-on` matched, 2 bad input.

use std::path::PathBuf;

use generator::diff::{self, FailOn, Format};

const USAGE: &str =
    "usage: cargo xtask diff OLD NEW [--format text|markdown|json] [--fail-on breaking|any]";

struct Args {
    old: PathBuf,
    new: PathBuf,
    format: Format,
    fail_on: Option<FailOn>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut files = Vec::new();
    let mut format = Format::Text;
    let mut fail_on = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match arg.as_str() {
            "--format" => format = value("--format")?.parse()?,
            "--fail-on" => fail_on = Some(value("--fail-on")?.parse()?),
            flag if flag.starts_with("--") => return Err(format!("unexpected argument `{flag}`")),
            file => files.push(PathBuf::from(file)),
        }
    }
    match <[PathBuf; 2]>::try_from(files) {
        Ok([old, new]) => Ok(Args {
            old,
            new,
            format,
            fail_on,
        }),
        Err(files) => Err(format!(
            "expected two spec files (OLD NEW), got {}",
            files.len()
        )),
    }
}

pub fn run(args: &[String]) -> u8 {
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return 2;
        }
    };
    let changes = match diff::diff_files(&args.old, &args.new) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    print!("{}", diff::render(&changes, args.format));
    diff::exit_code(&changes, args.fail_on)
}
