//! Which operations page, and how. In order of authority: the user's config (`oapi.toml`), a
//! vendor extension in the spec, then detection from names checked against types. Every
//! operation where paging signals were seen but no pager came out gets a note saying why.

mod declared;
mod detect;
mod resolve;
mod walk;

use std::collections::BTreeMap;

use crate::config::{Config, PagingSetting};
use crate::ir::{Operation, Pagination, TypeDef};

/// What the lowering saw on the raw operation that the IR does not keep.
pub struct RawSignals<'a> {
    pub extensions: &'a indexmap::IndexMap<String, serde_json::Value>,
    /// A success response declares a `Link` header.
    pub link_header: bool,
}

pub enum Outcome {
    Paged(Box<Pagination>),
    /// Not paged; `Some(reason)` when it looked paged.
    Unpaged(Option<String>),
}

/// Decide for one operation. `Err` is a config declaration that does not fit the operation.
pub fn paginate(
    op: &Operation,
    raw: &RawSignals<'_>,
    types: &BTreeMap<String, TypeDef>,
    config: &Config,
) -> Result<Outcome, crate::Error> {
    let cx = resolve::Context {
        op,
        types: walk::Types(types),
        link_header: raw.link_header,
    };
    match config.pagination.get(&op.id) {
        Some(PagingSetting::Off) => return Ok(Outcome::Unpaged(None)),
        Some(PagingSetting::Declared(decl)) => {
            return resolve::resolve(decl, &cx, crate::config::FILE_NAME)
                .map(|p| Outcome::Paged(Box::new(p)))
                .map_err(|reason| config.error(&format!("pagination.{}", op.id), reason))
        }
        None => {}
    }
    let mut vendor_reason = None;
    if let Some((key, setting)) = declared::from_extensions(raw.extensions) {
        match setting {
            Ok(PagingSetting::Off) => return Ok(Outcome::Unpaged(None)),
            Ok(PagingSetting::Declared(decl)) => match resolve::resolve(&decl, &cx, key) {
                Ok(p) => return Ok(Outcome::Paged(Box::new(p))),
                Err(reason) => vendor_reason = Some(format!("`{key}`: {reason}")),
            },
            Err(reason) => vendor_reason = Some(format!("`{key}` cannot be read: {reason}")),
        }
    }
    let detected = detect::detect(&cx);
    let mut reasons = detected.refusals;
    for candidate in &detected.candidates {
        match resolve::resolve(candidate, &cx, "detected") {
            Ok(p) => return Ok(Outcome::Paged(Box::new(p))),
            Err(reason) => reasons.push(reason),
        }
    }
    if let Some(reason) = vendor_reason {
        return Ok(Outcome::Unpaged(Some(reason)));
    }
    if detected.signals.is_empty() {
        return Ok(Outcome::Unpaged(None));
    }
    let verb = if detected.signals.len() == 1 {
        "looks"
    } else {
        "look"
    };
    let signals = detected.signals.join(", ");
    let reason = match reasons.first() {
        Some(first) => format!("{signals} {verb} like paging, but {first}"),
        None => format!(
            "{signals} {verb} like paging, but no request input takes a next-page value from \
             the response"
        ),
    };
    Ok(Outcome::Unpaged(Some(reason)))
}

/// Every config entry names an operation of the spec.
pub fn check_config_names(config: &Config, operations: &[Operation]) -> Result<(), crate::Error> {
    for id in config.pagination.keys() {
        if !operations.iter().any(|op| &op.id == id) {
            return Err(config.error(
                &format!("pagination.{id}"),
                format!("the spec has no operation with operationId `{id}`"),
            ));
        }
    }
    Ok(())
}
