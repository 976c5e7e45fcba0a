//! Paths → operations: parameters, client-wide headers, pagination and streaming, names
//! (`method_names.rs`), bodies and responses (`messages.rs`).

use std::collections::BTreeMap;

use openapiv3::{
    Parameter, ParameterData, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr,
};

use super::method_names::{method_name, strip_fastapi_suffix};
use super::names::{snake_name, type_name, NameScope};
use super::pagination;
use super::Lowerer;
use crate::config::Config;
use crate::ir::PagingNote;
use crate::ir::{
    stream_body, ClientHeader, Docs, Operation, ParamLocation, Parameter as IrParameter, TypeKind,
    TypeRef,
};
use crate::load::escape_pointer;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operation_of<'a>(item: &'a PathItem, method: &str) -> Option<&'a openapiv3::Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "options" => item.options.as_ref(),
        "head" => item.head.as_ref(),
        "patch" => item.patch.as_ref(),
        "trace" => item.trace.as_ref(),
        _ => None,
    }
}

pub(super) fn docs(
    summary: &Option<String>,
    description: &Option<String>,
    deprecated: bool,
) -> Docs {
    Docs {
        summary: summary.clone(),
        description: description.clone(),
        examples: Vec::new(),
        deprecated,
    }
}

pub(super) struct LoweredOperations {
    pub client_headers: Vec<ClientHeader>,
    pub operations: Vec<Operation>,
    pub notes: Vec<PagingNote>,
}

pub(super) struct RawOp<'a> {
    pub path: &'a str,
    pub method: &'static str,
    pub op: &'a openapiv3::Operation,
    pub params: Vec<(
        ParamLocation,
        &'a ParameterData,
        Option<&'a QueryStyle>,
        String,
    )>,
    pub pointer: String,
}

impl<'d> Lowerer<'d> {
    fn resolve_param(
        &mut self,
        p: &'d ReferenceOr<Parameter>,
        pointer: String,
    ) -> Option<(&'d Parameter, String)> {
        match p {
            ReferenceOr::Item(p) => Some((p, pointer)),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                match self
                    .doc
                    .components
                    .as_ref()?
                    .parameters
                    .get(&super::schema::unescape(name))
                {
                    Some(ReferenceOr::Item(p)) => {
                        Some((p, format!("#/components/parameters/{name}")))
                    }
                    _ => {
                        self.warn(
                            &pointer,
                            format!(
                                "parameter $ref `{reference}` does not resolve; parameter skipped"
                            ),
                        );
                        None
                    }
                }
            }
        }
    }

    fn collect_raw_ops(&mut self) -> Vec<RawOp<'d>> {
        let doc = self.doc;
        let mut out = Vec::new();
        let mut paths: Vec<(&String, &ReferenceOr<PathItem>)> = doc.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let path_pointer = format!("#/paths/{}", escape_pointer(path));
            let ReferenceOr::Item(item) = item else {
                self.warn(
                    &path_pointer,
                    "path item $refs are not supported; path skipped",
                );
                continue;
            };
            for method in METHODS {
                let Some(op) = operation_of(item, method) else {
                    continue;
                };
                let pointer = format!("{path_pointer}/{method}");
                let mut params: Vec<(ParamLocation, &ParameterData, Option<&QueryStyle>, String)> =
                    Vec::new();
                let path_level = item
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")));
                let op_level = op
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
                for (p, p_pointer) in path_level.chain(op_level) {
                    let Some((param, p_pointer)) = self.resolve_param(p, p_pointer) else {
                        continue;
                    };
                    let (location, data, style) = match param {
                        Parameter::Query {
                            parameter_data,
                            style,
                            ..
                        } => (ParamLocation::Query, parameter_data, Some(style)),
                        Parameter::Header { parameter_data, .. } => {
                            (ParamLocation::Header, parameter_data, None)
                        }
                        Parameter::Path { parameter_data, .. } => {
                            (ParamLocation::Path, parameter_data, None)
                        }
                        Parameter::Cookie { parameter_data, .. } => {
                            (ParamLocation::Cookie, parameter_data, None)
                        }
                    };
                    // Operation-level parameters override path-level ones of the same name.
                    params.retain(|(l, d, _, _)| !(*l == location && d.name == data.name));
                    params.push((location, data, style, p_pointer));
                }
                out.push(RawOp {
                    path,
                    method,
                    op,
                    params,
                    pointer,
                });
            }
        }
        out
    }

    pub(super) fn lower_operations(
        &mut self,
        config: &Config,
    ) -> Result<LoweredOperations, crate::Error> {
        let raw = self.collect_raw_ops();
        check_selection(config, self.doc, &raw)?;
        let raw: Vec<RawOp<'_>> = raw
            .into_iter()
            .filter(|op| {
                config
                    .operations
                    .keeps(op.op.operation_id.as_deref(), op.path, &op.op.tags)
            })
            .collect();

        // Header parameters every operation requires become client settings.
        let mut header_counts: BTreeMap<String, (usize, &ParameterData)> = BTreeMap::new();
        for op in &raw {
            for (loc, data, _, _) in &op.params {
                if *loc == ParamLocation::Header && data.required {
                    header_counts
                        .entry(data.name.to_ascii_lowercase())
                        .or_insert((0, data))
                        .0 += 1;
                }
            }
        }
        let mut header_scope = NameScope::new();
        let client_headers: Vec<ClientHeader> = header_counts
            .into_iter()
            .filter(|(name, (count, _))| *count == raw.len() && name != "authorization")
            .map(|(name, (_, data))| {
                let snake = snake_name(&name);
                let setting = snake.strip_prefix("x_").unwrap_or(&snake).to_string();
                let secret = ["secret", "token", "key", "auth", "password", "credential"]
                    .iter()
                    .any(|w| name.contains(w));
                ClientHeader {
                    name: data.name.clone(),
                    rust_name: header_scope.claim(&setting),
                    docs: docs(&None, &data.description, false),
                    secret,
                }
            })
            .collect();
        let is_client_header = |name: &str| {
            client_headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case(name))
        };

        let global_security = self.doc.security.clone().unwrap_or_default();
        let mut method_scope = NameScope::with_taken(
            ["builder", "new", "clone", "base_url", "http_client"].map(String::from),
        );
        let mut operations = Vec::new();
        let mut notes = Vec::new();
        let mut errors = Vec::new();
        for op in &raw {
            let hint_base = op
                .op
                .operation_id
                .as_deref()
                .map(|id| strip_fastapi_suffix(id, op.method, op.path).unwrap_or(id))
                .map(type_name)
                .unwrap_or_else(|| type_name(&format!("{} {}", op.method, op.path)));
            let responses = self.lower_responses(op, &hint_base);
            let success_ty = responses
                .iter()
                .filter(|r| r.status.is_success())
                .flat_map(|r| r.contents.iter())
                .find_map(|c| c.ty.clone());
            let mut params = Vec::new();
            let mut reserved = [
                "body",
                "client",
                "send",
                "send_with_response",
                "with_options",
                "request_options",
                "pages",
                "items",
                "page_link",
            ]
            .map(String::from)
            .to_vec();
            if stream_body(&responses).is_some() {
                reserved.extend(["stream".into(), "reconnect".into(), "reconnects".into()]);
            }
            let mut scope = NameScope::with_taken(reserved);
            for (location, data, style, p_pointer) in &op.params {
                if *location == ParamLocation::Header && is_client_header(&data.name) {
                    continue;
                }
                params.push(
                    self.lower_param(*location, data, *style, p_pointer, &hint_base, &mut scope),
                );
            }
            let body = op
                .op
                .request_body
                .as_ref()
                .and_then(|b| self.lower_body(b, &op.pointer, &hint_base));
            let security = op
                .op
                .security
                .as_ref()
                .unwrap_or(&global_security)
                .iter()
                .map(|req| req.keys().cloned().collect::<Vec<_>>())
                .collect();
            let mut operation = Operation {
                id: op
                    .op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}", op.method, op.path)),
                rust_name: String::new(),
                method: op.method.to_ascii_uppercase(),
                path: op.path.to_string(),
                pointer: op.pointer.clone(),
                docs: docs(&op.op.summary, &op.op.description, op.op.deprecated),
                tags: op.op.tags.clone(),
                params,
                body,
                responses,
                security,
                pagination: None,
            };
            let raw_signals = pagination::RawSignals {
                extensions: &op.op.extensions,
                link_header: self.declares_link_header(op.op),
            };
            match pagination::paginate(&operation, &raw_signals, &self.types, config) {
                Ok(pagination::Outcome::Paged(p)) => operation.pagination = Some(*p),
                Ok(pagination::Outcome::Unpaged(Some(reason))) => notes.push(PagingNote {
                    operation: operation.id.clone(),
                    label: operation.label(),
                    reason,
                }),
                Ok(pagination::Outcome::Unpaged(None)) => {}
                Err(e) => errors.push(e),
            }
            let is_list = op.method == "get"
                && (operation.pagination.is_some()
                    || success_ty
                        .as_ref()
                        .is_some_and(|t| self.is_list_like(t, op.path)));
            operation.rust_name = method_scope.claim(&method_name(
                op.op.operation_id.as_deref(),
                op.method,
                op.path,
                is_list,
            ));
            operations.push(operation);
        }
        if let Some(e) = errors.into_iter().next() {
            return Err(e);
        }
        pagination::check_config_names(config, &operations)?;
        Ok(LoweredOperations {
            client_headers,
            operations,
            notes,
        })
    }

    /// A success response declares a `Link` header (RFC 8288 next links).
    fn declares_link_header(&self, op: &openapiv3::Operation) -> bool {
        op.responses.responses.iter().any(|(status, response)| {
            let success = matches!(status, openapiv3::StatusCode::Code(c) if (200..300).contains(c))
                || matches!(status, openapiv3::StatusCode::Range(2));
            let response = match response {
                openapiv3::ReferenceOr::Item(r) => Some(r),
                openapiv3::ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| self.doc.components.as_ref()?.responses.get(name))
                    .and_then(|r| r.as_item()),
            };
            success
                && response
                    .is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
        })
    }

    /// A collection: a list, or an object carrying a list of what the path names
    /// (`/issuances/{id}/credit_batches` → `credit_batches`) or a conventional payload list
    /// (`nodes`, `items`, `data`, `results`).
    fn is_list_like(&self, ty: &TypeRef, path: &str) -> bool {
        let ty = match crate::ir::resolve_aliases(ty, &self.types) {
            TypeRef::Nullable(inner) => crate::ir::resolve_aliases(&inner, &self.types),
            other => other,
        };
        let name = match &ty {
            TypeRef::List(_) => return true,
            TypeRef::Named(n) | TypeRef::Generic { name: n, .. } => n,
            _ => return false,
        };
        let resource = path
            .rsplit('/')
            .find(|s| !s.is_empty() && !s.starts_with('{'))
            .map(|s| s.replace('-', "_").to_ascii_lowercase())
            .unwrap_or_default();
        match self.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields.iter().any(|f| {
                let is_list = matches!(
                    crate::ir::resolve_aliases(&f.ty, &self.types),
                    TypeRef::List(_)
                );
                is_list
                    && (matches!(f.name.as_str(), "nodes" | "items" | "data" | "results")
                        || (!resource.is_empty()
                            && f.name.to_ascii_lowercase().ends_with(&resource)))
            }),
            _ => false,
        }
    }

    /// Description and examples of the component schema a `$ref` names, through chains of
    /// references.
    fn referenced_docs(&self, reference: &str) -> Docs {
        let mut reference = reference;
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        for _ in 0..16 {
            let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                break;
            };
            match schemas.and_then(|s| s.get(&super::schema::unescape(name))) {
                Some(ReferenceOr::Reference { reference: next }) => reference = next,
                Some(ReferenceOr::Item(schema)) => {
                    let docs = super::schema::docs_of(&super::view::View::of(schema));
                    return Docs {
                        summary: None,
                        description: docs.description,
                        examples: docs.examples,
                        deprecated: false,
                    };
                }
                None => break,
            }
        }
        Docs::default()
    }

    fn lower_param(
        &mut self,
        location: ParamLocation,
        data: &ParameterData,
        style: Option<&QueryStyle>,
        pointer: &str,
        hint_base: &str,
        scope: &mut NameScope,
    ) -> IrParameter {
        let hint = format!("{hint_base}{}", type_name(&data.name));
        let (ty, nullable, constraints, default, schema_docs) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let l = self.lower_ref_or(schema, &hint, &format!("{pointer}/schema"));
                // A `$ref` has no docs of its own: the schema it names documents the parameter
                // (an ID family's examples show the prefix: `ctb_…`).
                let docs = match schema {
                    ReferenceOr::Reference { reference } => self.referenced_docs(reference),
                    ReferenceOr::Item(_) => l.docs,
                };
                (l.ty, l.nullable, l.constraints, l.default, docs)
            }
            ParameterSchemaOrContent::Content(content) => {
                let schema = content.values().find_map(|m| m.schema.as_ref());
                match schema {
                    Some(s) => {
                        let l = self.lower_ref_or(s, &hint, &format!("{pointer}/content"));
                        (l.ty, l.nullable, l.constraints, l.default, l.docs)
                    }
                    None => (
                        TypeRef::Any,
                        false,
                        Default::default(),
                        None,
                        Docs::default(),
                    ),
                }
            }
        };
        let mut param_docs = docs(&None, &data.description, data.deprecated.unwrap_or(false));
        if param_docs.description.is_none() {
            param_docs.description = schema_docs.description;
        }
        param_docs.examples = data.example.iter().cloned().collect();
        if param_docs.examples.is_empty() {
            param_docs.examples = schema_docs.examples;
        }
        self.fit_numbers(
            &ty,
            &mut Default::default(),
            &mut None,
            &mut param_docs.examples,
            pointer,
        );
        let explode = match style {
            Some(QueryStyle::Form) | None => data.explode.unwrap_or(true),
            Some(_) => data.explode.unwrap_or(false),
        };
        let style = match style {
            Some(QueryStyle::SpaceDelimited) => crate::ir::QueryStyle::SpaceDelimited,
            Some(QueryStyle::PipeDelimited) => crate::ir::QueryStyle::PipeDelimited,
            Some(QueryStyle::DeepObject) => crate::ir::QueryStyle::DeepObject,
            Some(QueryStyle::Form) | None => crate::ir::QueryStyle::Form,
        };
        IrParameter {
            name: data.name.clone(),
            rust_name: scope.claim(&snake_name(&data.name)),
            location,
            pointer: pointer.to_string(),
            required: data.required || location == ParamLocation::Path,
            nullable,
            ty,
            explode,
            style,
            default,
            constraints,
            docs: param_docs,
        }
    }
}

/// Every tag, path prefix and operationId the config's `[operations]` names exists in the spec.
fn check_selection(
    config: &Config,
    doc: &openapiv3::OpenAPI,
    raw: &[RawOp<'_>],
) -> Result<(), crate::Error> {
    let filters = config
        .operations
        .include
        .iter()
        .map(|f| ("include", f))
        .chain([("exclude", &config.operations.exclude)]);
    for (which, filter) in filters {
        for tag in &filter.tags {
            let known = doc.tags.iter().any(|t| &t.name == tag)
                || raw.iter().any(|op| op.op.tags.contains(tag));
            if !known {
                return Err(config.error(
                    &format!("operations.{which}.tags"),
                    format!("the spec has no tag `{tag}`"),
                ));
            }
        }
        for prefix in &filter.paths {
            if !raw.iter().any(|op| op.path.starts_with(prefix.as_str())) {
                return Err(config.error(
                    &format!("operations.{which}.paths"),
                    format!("no path starts with `{prefix}`"),
                ));
            }
        }
        for id in &filter.ids {
            if !raw
                .iter()
                .any(|op| op.op.operation_id.as_deref() == Some(id.as_str()))
            {
                return Err(config.error(
                    &format!("operations.{which}.ids"),
                    format!("the spec has no operation with operationId `{id}`"),
                ));
            }
        }
    }
    Ok(())
}
