//! Writing a generated crate to disk without ever leaving it half-written, and checking a
//! checked-in crate against a fresh generation.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedCrate;
use crate::error::{Error, Result};

/// Top-level entries the generator owns; anything else in the output directory (examples,
/// extra tests) belongs to the user and is carried over.
fn is_managed(entry: &Path, generated: &GeneratedCrate) -> bool {
    generated
        .files
        .keys()
        .any(|f| f.components().next() == entry.components().next())
}

fn io_error(path: &Path, action: &str, e: std::io::Error) -> Error {
    Error::new(format!("cannot {action} `{}`: {e}", path.display()))
}

/// The file-system calls of [`write_atomically`] that can fail halfway through a replace. Tests
/// substitute an implementation that fails at a chosen call, to prove the previous output
/// survives each failure; [`write_atomically`] uses the real file system.
#[doc(hidden)]
pub trait ReplaceSteps {
    fn write(&self, path: &Path, contents: &str) -> std::io::Result<()> {
        fs::write(path, contents)
    }
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        fs::rename(from, to)
    }
}

struct Disk;

impl ReplaceSteps for Disk {}

/// Write `generated` into `out`: everything goes to a sibling temporary directory first, which
/// then replaces `out` by rename. On failure `out` is left as it was.
pub fn write_atomically(generated: &GeneratedCrate, out: &Path) -> Result<()> {
    write_atomically_with(generated, out, &Disk)
}

/// [`write_atomically`] through `steps` (see [`ReplaceSteps`]).
#[doc(hidden)]
pub fn write_atomically_with(
    generated: &GeneratedCrate,
    out: &Path,
    steps: &dyn ReplaceSteps,
) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_error(parent, "create", e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.oapi-staging-{}", std::process::id()));
    let backup = parent.join(format!(".{name}.oapi-backup-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = (|| -> Result<()> {
        for (rel, contents) in &generated.files {
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", e))?;
            }
            steps
                .write(&path, contents)
                .map_err(|e| io_error(&path, "write", e))?;
        }
        // Carry the user's own files over.
        if out.is_dir() {
            for entry in fs::read_dir(out).map_err(|e| io_error(out, "read", e))? {
                let entry = entry.map_err(|e| io_error(out, "read", e))?;
                let rel = PathBuf::from(entry.file_name());
                if !is_managed(&rel, generated) {
                    copy_recursively(&entry.path(), &staging.join(&rel))?;
                }
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let moved_aside = out.exists();
    if moved_aside {
        steps.rename(out, &backup).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io_error(out, "move aside", e)
        })?;
    }
    if let Err(e) = steps.rename(&staging, out) {
        let _ = fs::remove_dir_all(&staging);
        let mut error = io_error(out, "replace", e);
        // Put the previous crate back; if even that fails, say where it is.
        if moved_aside {
            if let Err(restore) = steps.rename(&backup, out) {
                error = Error::new(format!(
                    "{error}; the previous output could not be put back ({restore}) and is in `{}`",
                    backup.display()
                ));
            }
        }
        return Err(error);
    }
    let _ = fs::remove_dir_all(&backup);
    Ok(())
}

fn copy_recursively(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to).map_err(|e| io_error(to, "create", e))?;
        for entry in fs::read_dir(from).map_err(|e| io_error(from, "read", e))? {
            let entry = entry.map_err(|e| io_error(from, "read", e))?;
            copy_recursively(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        fs::copy(from, to).map_err(|e| io_error(from, "copy", e))?;
    }
    Ok(())
}

/// Files that differ between a fresh generation and what is on disk: changed or missing
/// generated files, and stale files left in generator-owned directories.
pub fn stale_files(generated: &GeneratedCrate, out: &Path) -> Vec<PathBuf> {
    let mut stale: BTreeSet<PathBuf> = BTreeSet::new();
    for (rel, contents) in &generated.files {
        match fs::read_to_string(out.join(rel)) {
            Ok(existing) if existing == *contents => {}
            _ => {
                stale.insert(rel.clone());
            }
        }
    }
    let managed_dirs: BTreeSet<PathBuf> = generated
        .files
        .keys()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    for dir in &managed_dirs {
        if let Ok(entries) = fs::read_dir(out.join(dir)) {
            for entry in entries.flatten() {
                let rel = dir.join(entry.file_name());
                if entry.path().is_file() && !generated.files.contains_key(&rel) {
                    stale.insert(rel);
                }
            }
        }
    }
    stale.into_iter().collect()
}
