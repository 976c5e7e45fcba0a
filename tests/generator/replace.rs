//! The atomic replace of an output directory when a step of it fails: a write into the staging
//! directory, moving the old output aside, the final rename, and putting the old output back.
//! Each failure must leave the previous crate byte-for-byte where it was (or, when even the
//! restore fails, say where it is), and leave no staging or backup directory behind.
//!
//! Failures come through the `ReplaceSteps` seam, and from the real file system where root
//! cannot bypass them (a socket among the user's files, an output whose parent is a file), since
//! CI runs as root and permission bits would not stop it.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use generator::emit::GeneratedCrate;
use generator::output::{write_atomically, write_atomically_with, ReplaceSteps};

use super::{options, root};

/// Fails the `write`th file write and the renames whose (0-based) call numbers are listed.
#[derive(Default)]
struct FailAt {
    write: Option<usize>,
    renames: Vec<usize>,
    writes_seen: Cell<usize>,
    renames_seen: Cell<usize>,
}

impl ReplaceSteps for FailAt {
    fn write(&self, path: &Path, contents: &str) -> io::Result<()> {
        let n = self.writes_seen.replace(self.writes_seen.get() + 1);
        if self.write == Some(n) {
            return Err(io::Error::other("disk full (injected)"));
        }
        std::fs::write(path, contents)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let n = self.renames_seen.replace(self.renames_seen.get() + 1);
        if self.renames.contains(&n) {
            return Err(io::Error::other("rename refused (injected)"));
        }
        std::fs::rename(from, to)
    }
}

/// Every regular file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    files
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A directory `<case>/out` holding a crate generated from one fixture plus a user file, and
/// the crate from a different fixture to replace it with.
fn existing_output(case: &str) -> (PathBuf, PathBuf, GeneratedCrate) {
    let parent = std::env::temp_dir().join(format!("oapi-replace-{case}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&parent);
    let out = parent.join("out");
    let old_spec = root().join("tests/fixtures/constructs/unions.yaml");
    let old = generator::generate_crate(&old_spec, &options("unions")).unwrap();
    write_atomically(&old, &out).unwrap();
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(out.join("examples/mine.rs"), "fn main() {}\n").unwrap();
    let new_spec = root().join("tests/fixtures/constructs/pagination.yaml");
    let new = generator::generate_crate(&new_spec, &options("pages")).unwrap();
    (parent, out, new)
}

#[test]
fn the_seam_sees_every_write_and_both_renames() {
    let (parent, out, new) = existing_output("seam");
    let steps = FailAt::default();
    write_atomically_with(&new, &out, &steps).unwrap();
    assert_eq!(steps.writes_seen.get(), new.files.len());
    assert_eq!(steps.renames_seen.get(), 2, "move aside, then replace");
    assert!(generator::output::stale_files(&new, &out).is_empty());
    assert!(out.join("examples/mine.rs").exists());
    assert_eq!(entries(&parent), ["out"]);
    std::fs::remove_dir_all(&parent).unwrap();
}

#[test]
fn a_failed_step_leaves_the_previous_output_intact_and_nothing_behind() {
    let cases = [
        (
            "write",
            FailAt {
                write: Some(5),
                ..Default::default()
            },
            "cannot write",
        ),
        (
            "aside",
            FailAt {
                renames: vec![0],
                ..Default::default()
            },
            "cannot move aside",
        ),
        (
            "replace",
            FailAt {
                renames: vec![1],
                ..Default::default()
            },
            "cannot replace",
        ),
    ];
    for (case, steps, expected) in cases {
        let (parent, out, new) = existing_output(case);
        let before = tree(&out);
        let error = write_atomically_with(&new, &out, &steps)
            .expect_err(case)
            .to_string();
        assert!(
            error.contains(expected) && error.contains("(injected)"),
            "{case}: {error}"
        );
        assert_eq!(tree(&out), before, "{case}: the previous output changed");
        assert_eq!(entries(&parent), ["out"], "{case}: left behind");
        std::fs::remove_dir_all(&parent).unwrap();
    }
}

/// The final rename fails and so does putting the old output back: the error says where the
/// previous crate is, and it is all there.
#[test]
fn a_failed_restore_names_where_the_previous_output_is() {
    let (parent, out, new) = existing_output("restore");
    let before = tree(&out);
    let steps = FailAt {
        renames: vec![1, 2],
        ..Default::default()
    };
    let error = write_atomically_with(&new, &out, &steps)
        .unwrap_err()
        .to_string();
    assert!(!out.exists());
    let kept = entries(&parent);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].contains("oapi-backup"), "{kept:?}");
    let backup = parent.join(&kept[0]);
    assert!(
        error.contains("could not be put back") && error.contains(&backup.display().to_string()),
        "{error}"
    );
    assert_eq!(tree(&backup), before);
    std::fs::remove_dir_all(&parent).unwrap();
}

/// A real failure while copying the user's files over: a socket cannot be copied, not even by
/// root.
#[test]
fn an_uncopyable_user_file_fails_before_anything_is_replaced() {
    let (parent, out, new) = existing_output("socket");
    let socket = out.join("agent.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let before = tree(&out);
    let error = write_atomically(&new, &out).unwrap_err().to_string();
    assert!(
        error.contains("cannot copy") && error.contains("agent.sock"),
        "{error}"
    );
    assert_eq!(tree(&out), before);
    assert!(socket.exists());
    assert_eq!(entries(&parent), ["out"]);
    std::fs::remove_dir_all(&parent).unwrap();
}

/// The output's parent is a regular file: nothing can be created, and the file is untouched.
#[test]
fn an_output_under_a_file_fails_and_touches_nothing() {
    let parent = std::env::temp_dir().join(format!("oapi-replace-file-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&parent);
    std::fs::create_dir_all(&parent).unwrap();
    let file = parent.join("not-a-dir");
    std::fs::write(&file, "mine").unwrap();
    let spec = root().join("tests/fixtures/constructs/pagination.yaml");
    let generated = generator::generate_crate(&spec, &options("pages")).unwrap();
    let error = write_atomically(&generated, &file.join("out"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("cannot create") && error.contains("not-a-dir"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    assert_eq!(entries(&parent), ["not-a-dir"]);
    std::fs::remove_dir_all(&parent).unwrap();
}
