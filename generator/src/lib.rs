//! oapi-rs generator: OpenAPI 3.0/3.1 → intermediate model → formatted Rust client crate.
//!
//! Pipeline: [`load`] (JSON/YAML, external `$ref`s) → [`normalize`] (3.1 → one shape) →
//! [`lower`] (→ [`ir`]) → [`emit`] (→ files). Diffing works on the IR.

pub mod config;
pub mod diff;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod normalize;

pub use error::{Error, Result};

use std::path::Path;

/// Load, normalize and lower one spec file.
pub fn load_api(path: &Path) -> Result<ir::Api> {
    let loaded = load::load_file(path)?;
    Ok(lower::lower(&loaded))
}

pub mod emit;
pub mod output;

/// The file inside a generated crate that keeps a copy of the spec it came from, so the next
/// regeneration can say what changed.
pub fn spec_snapshot_name(spec: &Path) -> String {
    let ext = spec.extension().and_then(|e| e.to_str()).unwrap_or("json");
    format!("openapi.{ext}")
}

/// The text kept as that copy: the spec verbatim, or for a spec spread over several files the
/// one document they bundle into (so the copy can be diffed on its own later).
fn spec_snapshot_text(spec: &Path, text: String, loaded: &load::Loaded) -> Result<String> {
    let Some(bundled) = &loaded.bundled else {
        return Ok(text);
    };
    let yaml = matches!(
        spec.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    let rendered = if yaml {
        serde_yaml::to_string(bundled).map_err(|e| e.to_string())
    } else {
        serde_json::to_string_pretty(bundled)
            .map(|t| t + "\n")
            .map_err(|e| e.to_string())
    };
    rendered.map_err(|e| Error::new(format!("cannot write the bundled spec: {e}")).in_file(spec))
}

/// Load a spec and generate the complete crate in memory.
pub fn generate_crate(spec: &Path, options: &emit::Options) -> Result<emit::GeneratedCrate> {
    generate_crate_with_api(spec, options).map(|(generated, _)| generated)
}

/// [`generate_crate`], also returning the IR (for its warnings and for diffing).
pub fn generate_crate_with_api(
    spec: &Path,
    options: &emit::Options,
) -> Result<(emit::GeneratedCrate, ir::Api)> {
    generate_crate_observed(spec, options, &mut |_| {})
}

/// A finished step of [`generate_crate_observed`], for progress reports.
#[derive(Debug, Clone, Copy)]
pub enum Phase<'a> {
    /// The spec (and any file it refers to) is read and parsed; `bytes` of the root file.
    Loaded { bytes: usize },
    /// The intermediate model is built.
    Lowered(&'a ir::Api),
    /// Every file of the crate is rendered (the kept copy of the spec included).
    Emitted { files: usize },
}

/// [`generate_crate_with_api`], telling `observe` as each phase finishes.
pub fn generate_crate_observed(
    spec: &Path,
    options: &emit::Options,
    observe: &mut dyn FnMut(Phase<'_>),
) -> Result<(emit::GeneratedCrate, ir::Api)> {
    let text = std::fs::read_to_string(spec)
        .map_err(|e| Error::new(format!("cannot read spec: {e}")).in_file(spec))?;
    let loaded = load::load_str(&text, spec)?;
    observe(Phase::Loaded { bytes: text.len() });
    let api = lower::lower_with(&loaded, &options.config)?;
    observe(Phase::Lowered(&api));
    let mut generated = emit::generate(&api, options).map_err(|e| e.in_file(spec))?;
    let snapshot = spec_snapshot_text(spec, text, &loaded)?;
    generated
        .files
        .insert(spec_snapshot_name(spec).into(), snapshot);
    observe(Phase::Emitted {
        files: generated.files.len(),
    });
    Ok((generated, api))
}
