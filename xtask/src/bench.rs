//! `cargo xtask bench`: generation speed on the registry spec (in memory and to disk, median of
//! 25 runs) and on synthetic specs 10× and 100× its size, with peak memory. Runs in release mode
//! (re-executing itself when started from a debug build).

use std::path::Path;
use std::time::{Duration, Instant};

use generator::emit::Options;
use serde_json::Value;

use crate::workspace_root;

const RUNS: usize = 25;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Peak resident memory of this process so far, from /proc (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The registry spec copied `factor` times: every path, operation id and schema gets a copy
/// prefix, and references are rewritten to match, so the copies are independent.
fn scaled_spec(base: &Value, factor: usize) -> Value {
    let mut out = base.clone();
    let schemas = base["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let paths = base["paths"].as_object().cloned().unwrap_or_default();
    let mut new_schemas = serde_json::Map::new();
    let mut new_paths = serde_json::Map::new();
    for copy in 0..factor {
        let prefix = if copy == 0 {
            String::new()
        } else {
            format!("C{copy}")
        };
        let rename = |text: String| {
            if prefix.is_empty() {
                text
            } else {
                text.replace(
                    "#/components/schemas/",
                    &format!("#/components/schemas/{prefix}"),
                )
            }
        };
        for (name, schema) in &schemas {
            let text = rename(schema.to_string());
            new_schemas.insert(
                format!("{prefix}{name}"),
                serde_json::from_str(&text).unwrap_or(Value::Null),
            );
        }
        for (path, item) in &paths {
            let mut text = rename(item.to_string());
            if !prefix.is_empty() {
                text = text.replace(
                    "\"operationId\":\"",
                    &format!("\"operationId\":\"{}_", prefix.to_lowercase()),
                );
            }
            let new_path = if prefix.is_empty() {
                path.clone()
            } else {
                format!("/{}{path}", prefix.to_lowercase())
            };
            new_paths.insert(new_path, serde_json::from_str(&text).unwrap_or(Value::Null));
        }
    }
    out["components"]["schemas"] = Value::Object(new_schemas);
    out["paths"] = Value::Object(new_paths);
    out
}

fn time_generation(spec: &Path, runs: usize) -> Result<(Duration, usize), String> {
    let options = Options {
        crate_name: "bench".into(),
        spec_name: "bench.json".into(),
        examples: Vec::new(),
        ..Default::default()
    };
    let mut samples = Vec::with_capacity(runs);
    let mut lines = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let generated = generator::generate_crate(spec, &options).map_err(|e| e.to_string())?;
        samples.push(start.elapsed());
        lines = generated.files.values().map(|f| f.lines().count()).sum();
    }
    Ok((median(samples), lines))
}

pub fn run() -> u8 {
    if cfg!(debug_assertions) {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args([
                "run",
                "--quiet",
                "--release",
                "--package",
                "xtask",
                "--",
                "bench",
            ])
            .current_dir(workspace_root())
            .status();
        return match status {
            Ok(s) if s.success() => 0,
            _ => 2,
        };
    }
    match bench() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn bench() -> Result<(), String> {
    let root = workspace_root();
    let spec = root.join("spec/isometric-registry.openapi.json");
    let scratch = std::env::temp_dir().join(format!("oapi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;

    let (in_memory, lines) = time_generation(&spec, RUNS)?;
    println!(
        "registry, in memory: median {:.1} ms over {RUNS} runs ({lines} lines)",
        in_memory.as_secs_f64() * 1e3
    );

    let options = Options {
        crate_name: "bench".into(),
        spec_name: "isometric-registry.openapi.json".into(),
        examples: Vec::new(),
        ..Default::default()
    };
    let mut to_disk = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let generated = generator::generate_crate(&spec, &options).map_err(|e| e.to_string())?;
        generator::output::write_atomically(&generated, &scratch.join("out"))
            .map_err(|e| e.to_string())?;
        to_disk.push(start.elapsed());
    }
    println!(
        "registry, to disk:   median {:.1} ms over {RUNS} runs",
        median(to_disk).as_secs_f64() * 1e3
    );

    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(&spec).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let one_x = in_memory.as_secs_f64();
    for factor in [10, 100] {
        let path = scratch.join(format!("registry-x{factor}.json"));
        std::fs::write(&path, scaled_spec(&base, factor).to_string()).map_err(|e| e.to_string())?;
        let runs = if factor == 100 { 3 } else { 5 };
        let (elapsed, lines) = time_generation(&path, runs)?;
        println!(
            "registry ×{factor}: median {:.0} ms over {runs} runs ({lines} lines), {:.1}× the 1× time, peak RSS {} MiB",
            elapsed.as_secs_f64() * 1e3,
            elapsed.as_secs_f64() / one_x,
            peak_rss_mib().map(|m| format!("{m:.0}")).unwrap_or_else(|| "?".into()),
        );
    }
    bench_diff(&spec, &scratch)?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// Diffing two registry-sized specs: the registry against an edited copy, loading both files
/// included (what `cargo xtask diff` does), and the comparison alone.
fn bench_diff(spec: &Path, scratch: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    let modified = generator::diff::modified_copy(&text).map_err(|e| e.to_string())?;
    let new_path = scratch.join("registry-modified.json");
    std::fs::write(&new_path, modified).map_err(|e| e.to_string())?;
    let mut with_load = Vec::new();
    let mut changes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        changes = generator::diff::diff_files(spec, &new_path)
            .map_err(|e| e.to_string())?
            .len();
        with_load.push(start.elapsed());
    }
    let (old, new) = generator::diff::bench_inputs(spec).map_err(|e| e.to_string())?;
    let mut compare_only = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        std::hint::black_box(generator::diff::bench_diff(&old, &new));
        compare_only.push(start.elapsed());
    }
    println!(
        "diff registry vs edited copy: median {:.1} ms with loading both files, {:.2} ms comparing ({changes} changes, {RUNS} runs)",
        median(with_load).as_secs_f64() * 1e3,
        median(compare_only).as_secs_f64() * 1e3,
    );
    Ok(())
}
