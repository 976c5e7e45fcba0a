//! `cargo xtask regenerate [--spec PATH] [--out DIR] [--crate-name NAME] [--check]`.
//! Exit codes: 0 done (or up to date), 1 `--check` found stale files, 2 failure.

use std::path::PathBuf;

use generator::emit::Options;

use crate::workspace_root;

struct Args {
    spec: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    config: Option<PathBuf>,
    check: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let root = workspace_root();
    let mut parsed = Args {
        spec: root.join("spec/isometric-registry.openapi.json"),
        out: root.join("generated-client"),
        crate_name: None,
        config: None,
        check: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match arg.as_str() {
            "--spec" => parsed.spec = PathBuf::from(value("--spec")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
            "--config" => parsed.config = Some(PathBuf::from(value("--config")?)),
            "--check" => parsed.check = true,
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(parsed)
}

/// Crate name from the spec title: `Isometric Registry API` → `isometric-registry`.
fn default_crate_name(spec: &std::path::Path) -> String {
    let stem = spec.file_name().and_then(|n| n.to_str()).unwrap_or("api");
    let stem = stem.split('.').next().unwrap_or(stem);
    let name: String = heck::ToKebabCase::to_kebab_case(stem);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    }
}

pub fn run(args: &[String]) -> u8 {
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\nusage: cargo xtask regenerate [--spec PATH] [--out DIR] [--crate-name NAME] [--config PATH] [--check]");
            return 2;
        }
    };
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
    let generated = match generator::generate_crate_with_api(&args.spec, &options) {
        Ok((g, api)) => {
            for w in &api.warnings {
                eprintln!(
                    "warning: {} at {}: {}",
                    args.spec.display(),
                    w.pointer,
                    w.message
                );
            }
            for note in &api.paging_notes {
                eprintln!(
                    "note: {} ({}) is not paged: {}; declare it under [pagination.{}] in {} if it is",
                    note.operation,
                    note.label,
                    note.reason,
                    note.operation,
                    generator::config::FILE_NAME
                );
            }
            g
        }
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if args.check {
        let stale = generator::output::stale_files(&generated, &args.out);
        if stale.is_empty() {
            println!("{} is up to date", args.out.display());
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
        .get(std::path::Path::new(&generator::spec_snapshot_name(
            &args.spec,
        )))
        .cloned()
        .unwrap_or_default();
    print_spec_changes(&args.spec, &args.out, &snapshot);
    if let Err(e) = generator::output::write_atomically(&generated, &args.out) {
        eprintln!("error: {e}");
        return 2;
    }
    println!(
        "generated {} files into {}",
        generated.files.len(),
        args.out.display()
    );
    0
}

pub fn print_ir(args: &[String]) -> u8 {
    let spec = match args {
        [flag, path] if flag == "--spec" => PathBuf::from(path),
        [] => workspace_root().join("spec/isometric-registry.openapi.json"),
        _ => {
            eprintln!("usage: cargo xtask ir [--spec PATH]");
            return 2;
        }
    };
    match generator::load_api(&spec) {
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
fn print_spec_changes(spec: &std::path::Path, out: &std::path::Path, snapshot: &str) {
    let previous = out.join(generator::spec_snapshot_name(spec));
    let Ok(old_text) = std::fs::read_to_string(&previous) else {
        return;
    };
    if old_text == snapshot {
        return;
    }
    match generator::diff::diff_files(&previous, spec) {
        Ok(changes) => match generator::diff::summary_of(&changes) {
            Some(summary) => println!(
                "{}: changes since the last generation\n{summary}",
                spec.display()
            ),
            None => println!(
                "{}: changed since the last generation, with no effect on the API",
                spec.display()
            ),
        },
        Err(e) => eprintln!("note: cannot compare with the previous spec: {e}"),
    }
}
