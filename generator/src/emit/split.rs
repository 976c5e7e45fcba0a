//! Splitting the generated code of a large spec into modules, so no single file holds
//! everything: operations by tag (or first path segment), types by initial letter. Small specs
//! stay in one `types.rs` and one `operations.rs`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::OperationNames;
use crate::error::Result;
use crate::ir::{Operation, TypeDef};
use crate::lower::snake_name;

pub const MAX_TYPES_PER_FILE: usize = 120;
pub const MAX_OPERATIONS_PER_FILE: usize = 60;

/// `None` module: everything in one file.
pub type Groups<'a, T> = Vec<(Option<String>, Vec<T>)>;

pub fn group_types(types: &[TypeDef]) -> Groups<'_, &TypeDef> {
    if types.len() <= MAX_TYPES_PER_FILE {
        return vec![(None, types.iter().collect())];
    }
    let mut groups: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
    for t in types {
        let initial = t.name.chars().next().unwrap_or('x').to_ascii_lowercase();
        groups
            .entry(format!("types_{initial}"))
            .or_default()
            .push(t);
    }
    groups.into_iter().map(|(k, v)| (Some(k), v)).collect()
}

pub fn group_operations<'a>(
    ops: &'a [Operation],
    names: &'a [OperationNames],
) -> Groups<'a, (&'a Operation, &'a OperationNames)> {
    let pairs: Vec<_> = ops.iter().zip(names).collect();
    if ops.len() <= MAX_OPERATIONS_PER_FILE {
        return vec![(None, pairs)];
    }
    let mut groups: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (op, names) in pairs {
        let key = op
            .tags
            .first()
            .cloned()
            .or_else(|| {
                op.path
                    .split('/')
                    .find(|s| !s.is_empty() && !s.starts_with('{'))
                    .map(String::from)
            })
            .unwrap_or_else(|| "root".into());
        groups
            .entry(snake_name(&key))
            .or_default()
            .push((op, names));
    }
    groups.into_iter().map(|(k, v)| (Some(k), v)).collect()
}

/// Write one group's files from its items' formatted `texts`. A group that fits stays one file
/// (`types.rs` when unsplit, `types/<group>.rs` otherwise); a group larger than `max` becomes a
/// directory of `part_N.rs` files under an index, so a tag with hundreds of operations (or the
/// thousand types sharing an initial) still never lands in one file. `prelude(depth)` is what a
/// file `depth` modules below `src/generated/<kind>` starts with; `head` the do-not-edit header.
pub fn write_module(
    files: &mut BTreeMap<PathBuf, String>,
    head: &str,
    (kind, module): (&str, Option<&str>),
    texts: &[String],
    max: usize,
    prelude: impl Fn(usize) -> Result<String>,
) -> Result<()> {
    let file = |texts: &[String], depth: usize| -> Result<String> {
        Ok(format!("{head}{}{}", prelude(depth)?, texts.concat()))
    };
    let Some(module) = module else {
        files.insert(module_path(kind, None), file(texts, 0)?);
        return Ok(());
    };
    if texts.len() <= max {
        files.insert(module_path(kind, Some(module)), file(texts, 1)?);
        return Ok(());
    }
    let parts: Vec<String> = (1..=texts.len().div_ceil(max))
        .map(|i| format!("part_{i}"))
        .collect();
    for (part, chunk) in parts.iter().zip(texts.chunks(max)) {
        let path = PathBuf::from(format!("src/generated/{kind}/{module}/{part}.rs"));
        files.insert(path, file(chunk, 2)?);
    }
    let index = index_module(parts.into_iter(), false, None)?;
    files.insert(
        PathBuf::from(format!("src/generated/{kind}/{module}/mod.rs")),
        format!("{head}{index}"),
    );
    Ok(())
}

pub fn module_path(kind: &str, module: Option<&str>) -> PathBuf {
    match module {
        None => format!("src/generated/{kind}.rs").into(),
        Some(m) => format!("src/generated/{kind}/{m}.rs").into(),
    }
}

/// The cargo feature that compiles one operations module: `ops-stage-instances`.
pub fn feature_name(module: &str) -> String {
    format!("ops-{}", module.replace('_', "-"))
}

/// `mod a; pub use a::*; …` plus any items that belong beside them. With `gated`, each module
/// sits behind its own cargo feature (all on by default), so a user of a huge API can compile
/// only the operations they call.
pub fn index_module(
    modules: impl Iterator<Item = String>,
    gated: bool,
    extra: Option<TokenStream>,
) -> Result<String> {
    let items = modules.map(|m| {
        let ident = format_ident!("{}", m);
        let cfg = gated.then(|| {
            let feature = feature_name(&m);
            quote! { #[cfg(feature = #feature)] }
        });
        quote! { #cfg mod #ident; #cfg pub use #ident::*; }
    });
    super::format_file(
        quote! {
            #(#items)*
            #extra
        },
        "module index",
    )
}
