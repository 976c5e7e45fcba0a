//! Spec → IR. Components are named first (collapsing generator artefacts such as pydantic's
//! `Page_Project_` families and repeated ID aliases), then lowered, then operations.

mod all_of;
mod components;
mod customize;
mod doc_links;
mod ids;
mod messages;
mod method_names;
mod names;
mod numbers;
mod operations;
mod pagination;
mod schema;
mod security;
mod servers;
mod streaming;
mod type_passes;
mod unions;
mod view;

use std::collections::BTreeMap;

use openapiv3::OpenAPI;

use crate::config::Config;
use crate::ir::{Api, Docs, TypeDef, TypeRef, Warning};
use crate::load::Loaded;
pub use doc_links::is_absolute_http_url;
pub use names::{snake_name, type_name};
pub use type_passes::for_each_ref as for_each_type_ref;

pub struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// Component schema key → the type it stands for.
    component_types: BTreeMap<String, TypeRef>,
    types: BTreeMap<String, TypeDef>,
    type_names: names::NameScope,
    warnings: Vec<Warning>,
    /// While lowering a generic template: the component key that stands for `T`.
    generic_arg: Option<String>,
    /// Components whose properties are being merged into an `allOf` right now, to stop a schema
    /// that includes itself (through a property's `allOf`) from expanding forever.
    all_of_merging: Vec<String>,
    /// `format` → Rust type path, from the generator config.
    format_types: BTreeMap<String, String>,
}

/// Lower a loaded document into the IR, with no generator config.
pub fn lower(loaded: &Loaded) -> Api {
    lower_with(loaded, &Config::default())
        .expect("only a config declaration can fail lowering, and there is none")
}

/// Lower a loaded document into the IR, applying the generator config; a config entry that does
/// not fit the spec is an error naming the entry.
pub fn lower_with(loaded: &Loaded, config: &Config) -> crate::Result<Api> {
    let doc = &loaded.openapi;
    let mut lowerer = Lowerer {
        doc,
        component_types: BTreeMap::new(),
        types: BTreeMap::new(),
        type_names: names::NameScope::new(),
        warnings: Vec::new(),
        generic_arg: None,
        all_of_merging: Vec::new(),
        format_types: config
            .types
            .format
            .iter()
            .map(|(format, ty)| (format.clone(), ty.path.clone()))
            .collect(),
    };
    lowerer.lower_components();
    let servers = servers::servers(doc);
    let security_schemes = security::schemes(doc);
    let operations::LoweredOperations {
        client_headers,
        mut operations,
        notes: paging_notes,
    } = lowerer.lower_operations(config)?;
    let mut types: Vec<TypeDef> = lowerer.types.into_values().collect();
    ids::apply(&mut types, &mut operations);
    customize::apply(config, &mut types, &mut operations)?;
    types.sort_by(|a, b| a.name.cmp(&b.name));
    type_passes::strip_tag_fields(&mut types, &operations);
    type_passes::drop_unreferenced_inline_types(&mut types, &operations);
    let mut warnings = lowerer.warnings;
    warnings.sort_by(|a, b| (&a.pointer, &a.message).cmp(&(&b.pointer, &b.message)));
    warnings.dedup();
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        docs: Docs {
            summary: None,
            description: doc.info.description.clone(),
            examples: Vec::new(),
            deprecated: false,
        },
        servers,
        security_schemes,
        client_headers,
        types,
        operations,
        warnings,
        paging_notes,
    };
    let base = config
        .docs
        .base_url
        .clone()
        .or_else(|| doc_links::base_url(doc));
    doc_links::rewrite_api(&mut api, base.as_deref());
    Ok(api)
}

impl Lowerer<'_> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// Record a type definition and return a reference to it.
    fn add_type(&mut self, def: TypeDef) -> TypeRef {
        let name = def.name.clone();
        let reference = if def.generics.is_empty() {
            TypeRef::Named(name.clone())
        } else {
            TypeRef::Generic {
                name: name.clone(),
                args: def
                    .generics
                    .iter()
                    .map(|g| TypeRef::Param(g.clone()))
                    .collect(),
            }
        };
        self.types.insert(name, def);
        reference
    }
}
