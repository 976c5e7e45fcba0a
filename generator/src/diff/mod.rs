//! What a new version of a spec breaks, on the wire and in the generated Rust API.
//!
//! Both specs are lowered to the IR first, so cosmetic differences (descriptions, examples,
//! key order, JSON vs YAML, `1` vs `1.0`) never show up. Operations are matched by method and
//! path template (parameter names normalised), types by pointer and name, then by structure
//! (a renamed schema). Every difference is one [`Change`] naming every operation it reaches.
//!
//! Wire classification follows the Isometric compatibility policy: new endpoints, new optional
//! query parameters, new response properties and reordering are not breaking.

mod bench;
mod bodies;
mod compare;
mod fields;
mod matching;
mod model;
mod operations;
mod params;
mod reach;
mod render;
mod retype;
mod servers;
mod types;

use std::path::Path;

pub use bench::{bench_diff, bench_inputs, modified_copy};
pub use model::{Change, Class, Ctx, FailOn, Format, Kind};
pub use render::{render, summary_of};

use crate::ir::Api;

/// Every change from `old` to `new`, sorted by location then kind.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let ops = operations::match_ops(old, new);
    let types = matching::match_types(&old.types, &new.types);
    // Operations are labelled by their new path; only operations present in both count as
    // affected by a change inside a type (added and removed ones are reported themselves).
    let old_reach = reach::Reach::compute(old, &|o| ops.old_labels.get(&o.pointer).cloned());
    let matched_new: std::collections::HashSet<&str> =
        ops.pairs.iter().map(|(_, n)| n.pointer.as_str()).collect();
    let new_reach = reach::Reach::compute(new, &|o| {
        matched_new.contains(o.pointer.as_str()).then(|| o.label())
    });
    let old_all = reach::Reach::compute(old, &|o| Some(o.label()));
    let both = reach::Both {
        old: &old_reach,
        new: &new_reach,
    };

    let mut out = Vec::new();
    let env = retype::Env::new(old, new, &types.renames);
    operations::diff_operations(&ops, &env, &mut out);
    operations::diff_api(old, new, &ops, &mut out);
    types::diff_types(&types, &env, &both, &old_all, &mut out);
    merge(out)
}

/// One entry per change: the same change found from several operations (a path-level or
/// `components/parameters` parameter, say) becomes one entry naming them all. Sorted by
/// location, then kind.
fn merge(changes: Vec<Change>) -> Vec<Change> {
    let mut merged: std::collections::BTreeMap<(String, Kind, String, Class, bool), Change> =
        Default::default();
    for c in changes {
        let key = (
            c.location.clone(),
            c.kind,
            c.message.clone(),
            c.class,
            c.rust_api_breaking,
        );
        match merged.get_mut(&key) {
            Some(m) => {
                m.operations.extend(c.operations);
                m.operations.sort();
                m.operations.dedup();
            }
            None => {
                merged.insert(key, c);
            }
        }
    }
    merged.into_values().collect()
}

/// Load both files and diff them. Errors name the file and JSON pointer at fault.
pub fn diff_files(old: &Path, new: &Path) -> crate::Result<Vec<Change>> {
    let old = crate::load_api(old)?;
    let new = crate::load_api(new)?;
    Ok(diff(&old, &new))
}

/// One screen (at most ~20 lines) for `regenerate`; None when nothing changed.
pub fn summary(old: &Api, new: &Api) -> Option<String> {
    summary_of(&diff(old, new))
}

/// Process exit code for the CLI: 1 when `--fail-on` matched, else 0 (2 is for bad input and is
/// decided before diffing).
pub fn exit_code(changes: &[Change], fail_on: Option<FailOn>) -> u8 {
    let matched = match fail_on {
        None => false,
        Some(FailOn::Any) => !changes.is_empty(),
        Some(FailOn::Breaking) => changes.iter().any(Change::is_breaking),
    };
    u8::from(matched)
}
