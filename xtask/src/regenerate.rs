//! `cargo xtask regenerate`: a spec → a complete crate on disk, or `--check` against one.
//! Exit codes: 0 done (or up to date), 1 `--check` found stale files, 2 failure.

use std::path::{Path, PathBuf};

use generator::emit::Options;
use generator::Phase;

use crate::ui::{count, size, Ui};
use crate::workspace_root;

fn default_spec() -> PathBuf {
    workspace_root().join("spec/isometric-registry.openapi.json")
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 generated (or up to date), 1 `--check` found stale \
                        files, 2 the spec, config or output could not be used (output untouched)."
)]
pub struct Args {
    /// The OpenAPI 3.0/3.1 document, JSON or YAML
    #[arg(long, value_name = "PATH", default_value_os_t = default_spec())]
    spec: PathBuf,
    /// The crate directory, replaced only after a complete generation
    #[arg(long, value_name = "DIR", default_value_os_t = workspace_root().join("generated-client"))]
    out: PathBuf,
    /// The crate's name [default: from the spec's file name]
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,
    /// The generator config [default: `<spec stem>.oapi.toml`, else `oapi.toml`, beside the spec]
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Generate in memory and exit 1 listing the files that differ from DIR; never writes
    #[arg(long)]
    check: bool,
}

#[derive(clap::Args, Debug)]
pub struct IrArgs {
    /// The OpenAPI 3.0/3.1 document, JSON or YAML
    #[arg(long, value_name = "PATH", default_value_os_t = default_spec())]
    spec: PathBuf,
}

/// Crate name from the spec title: `Isometric Registry API` → `isometric-registry`.
fn default_crate_name(spec: &Path) -> String {
    let stem = spec.file_name().and_then(|n| n.to_str()).unwrap_or("api");
    let stem = stem.split('.').next().unwrap_or(stem);
    let name: String = heck::ToKebabCase::to_kebab_case(stem);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    }
}

pub fn run(args: &Args, ui: &Ui) -> u8 {
    let config = match generator::config::Config::find(&args.spec, args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let options = Options {
        crate_name: args
            .crate_name
            .clone()
            .or_else(|| config.package.name.clone())
            .unwrap_or_else(|| default_crate_name(&args.spec)),
        spec_name: args
            .spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        examples: generator::emit::read_examples(&args.out),
        config,
    };
    let mut progress = |phase: Phase<'_>| match phase {
        Phase::Loaded { bytes } => ui.status(
            "Loaded",
            format_args!("{} ({})", args.spec.display(), size(bytes)),
        ),
        Phase::Lowered(api) => ui.status(
            "Lowered",
            format_args!(
                "{}, {}",
                count(api.types.len(), "type", "types"),
                count(api.operations.len(), "operation", "operations")
            ),
        ),
        Phase::Emitted { files } => ui.status("Emitted", count(files, "file", "files")),
    };
    let (generated, api) =
        match generator::generate_crate_observed(&args.spec, &options, &mut progress) {
            Ok(done) => done,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
    let code = write_or_check(args, ui, &generated);
    for line in crate::warnings::lines(&api, &args.spec, ui.verbose()) {
        ui.note(line);
    }
    code
}

fn write_or_check(args: &Args, ui: &Ui, generated: &generator::emit::GeneratedCrate) -> u8 {
    if args.check {
        let stale = generator::output::stale_files(generated, &args.out);
        if stale.is_empty() {
            ui.result(format_args!("{} is up to date", args.out.display()));
            return 0;
        }
        eprintln!(
            "{} is stale; run `cargo xtask regenerate`. Files that differ:",
            args.out.display()
        );
        for f in stale {
            eprintln!("  {}", f.display());
        }
        return 1;
    }
    let snapshot = generated
        .files
        .get(Path::new(&generator::spec_snapshot_name(&args.spec)))
        .cloned()
        .unwrap_or_default();
    print_spec_changes(&args.spec, &args.out, &snapshot, ui);
    if let Err(e) = generator::output::write_atomically(generated, &args.out) {
        eprintln!("error: {e}");
        return 2;
    }
    ui.result(format_args!(
        "generated {} files into {}",
        generated.files.len(),
        args.out.display()
    ));
    0
}

pub fn print_ir(args: &IrArgs) -> u8 {
    match generator::load_api(&args.spec) {
        Ok(api) => {
            println!("{}", serde_json::to_string_pretty(&api).unwrap_or_default());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// When the spec differs from the copy kept in the output crate at the last generation, say what
/// the new version breaks before the crate is replaced. `snapshot` is the copy this generation
/// keeps (the bundled document for a multi-file spec).
fn print_spec_changes(spec: &Path, out: &Path, snapshot: &str, ui: &Ui) {
    let previous = out.join(generator::spec_snapshot_name(spec));
    let Ok(old_text) = std::fs::read_to_string(&previous) else {
        return;
    };
    if old_text == snapshot {
        return;
    }
    match generator::diff::diff_files(&previous, spec) {
        Ok(changes) => match generator::diff::summary_of(&changes) {
            Some(summary) => ui.result(format_args!(
                "{}: changes since the last generation\n{summary}",
                spec.display()
            )),
            None => ui.result(format_args!(
                "{}: changed since the last generation, with no effect on the API",
                spec.display()
            )),
        },
        Err(e) => ui.note(format_args!(
            "note: cannot compare with the previous spec: {e}"
        )),
    }
}
