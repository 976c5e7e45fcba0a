//! Docs of the operation methods and their inputs: a first line that says what the method
//! does (`method_sentence.rs`), every argument and setter documented (from the spec, else from its name, place and
//! type), when an `Option` result is `None`, and `#[deprecated]` where the spec says so.

use proc_macro2::TokenStream;

use super::docs::{constraints_line, deprecated_attr, is_title_echo, render_named};
use super::method_sentence::{human, same_sentence, segment_before, singular, what_it_does};
use crate::ir::{Docs, Operation, ParamLocation, Parameter, SuccessBody, TypeRef};

/// The method's docs: what it does, the spec's description, the route, when it returns
/// `None`, and its arguments.
pub fn method_docs(op: &Operation) -> String {
    let mut parts = vec![what_it_does(op)];
    let docs = Docs {
        summary: None,
        deprecated: false,
        ..op.docs.clone()
    };
    let description = render_named(&docs, &[]);
    if !description.is_empty() && !same_sentence(&description, &parts[0]) {
        parts.push(description);
    }
    parts.push(format!("`{}`", op.label()));
    if let Some(none) = when_none(op) {
        parts.push(none);
    }
    let required: Vec<&Parameter> = op.params.iter().filter(|p| p.required).collect();
    if !required.is_empty() {
        let mut args = String::from("# Arguments");
        for p in required {
            args.push_str(&format!("\n- `{}`: {}", p.rust_name, argument_line(op, p)));
        }
        parts.push(args);
    }
    parts.join("\n\n")
}

/// `#[deprecated]` for the method of a deprecated operation.
pub fn method_attr(op: &Operation) -> TokenStream {
    deprecated_attr(&op.docs, &format!("`{}`", op.label()))
}

/// `#[deprecated]` for the setter of a deprecated optional parameter.
pub fn setter_attr(p: &Parameter) -> TokenStream {
    deprecated_attr(&p.docs, &format!("the `{}` parameter", p.name))
}

/// Does the page walk of `pages()` / `items()` read a property the spec deprecates? Then those
/// two methods (and only they) allow the `deprecated` lint.
pub fn paging_touches_deprecated(
    op: &Operation,
    types: &std::collections::BTreeMap<String, crate::ir::TypeDef>,
) -> bool {
    let Some(p) = &op.pagination else {
        return false;
    };
    // Every field name any of the walks steps through.
    let mut steps = std::collections::BTreeSet::new();
    collect_step_names(&serde_json::to_value(p).unwrap_or_default(), &mut steps);
    let mut roots = vec![p.item.clone()];
    if let SuccessBody::Json(ty) = op.success_body() {
        roots.push(ty);
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(ty) = roots.pop() {
        match &ty {
            TypeRef::Named(name) | TypeRef::Generic { name, .. } if seen.insert(name.clone()) => {
                if let TypeRef::Generic { args, .. } = &ty {
                    roots.extend(args.iter().cloned());
                }
                match types.get(name).map(|d| &d.kind) {
                    Some(crate::ir::TypeKind::Struct { fields, .. }) => {
                        if fields
                            .iter()
                            .any(|f| f.docs.deprecated && steps.contains(&f.name))
                        {
                            return true;
                        }
                        roots.extend(fields.iter().map(|f| f.ty.clone()));
                    }
                    Some(crate::ir::TypeKind::Alias { target, .. }) => roots.push(target.clone()),
                    _ => {}
                }
            }
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                roots.push((**inner).clone())
            }
            _ => {}
        }
    }
    false
}

fn collect_step_names(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Array(steps)) = map.get("steps") {
                for step in steps {
                    if let Some(name) = step.get("name").and_then(|n| n.as_str()) {
                        out.insert(name.to_string());
                    }
                }
            }
            for v in map.values() {
                collect_step_names(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_step_names(v, out)),
        _ => {}
    }
}

/// A parameter's docs: the spec's description and examples, else a line built from its name,
/// place and type; then its constraints and default.
pub fn param_docs(op: &Operation, p: &Parameter) -> String {
    let docs = Docs {
        deprecated: false,
        ..p.docs.clone()
    };
    let mut parts = Vec::new();
    let spec = render_named(&docs, &[&p.name, &p.rust_name]);
    let has_prose = docs
        .description
        .as_deref()
        .is_some_and(|d| !d.trim().is_empty())
        || docs
            .summary
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty() && !is_title_echo(s, &[&p.name]));
    if !has_prose {
        parts.push(built_param_line(op, p));
    }
    if !spec.is_empty() {
        parts.push(spec);
    }
    if p.docs.deprecated && p.required {
        // An argument cannot carry `#[deprecated]`: say it here.
        parts.push("**Deprecated** in the API spec.".into());
    }
    if let Some(line) = constraints_line(&p.constraints) {
        parts.push(line);
    }
    if let Some(default) = &p.default {
        parts.push(format!("The server's default: `{default}`."));
    }
    parts.join("\n\n")
}

/// A required parameter in the method's `# Arguments` list, on one line: its description (or a
/// built line), the first example, constraints and default.
fn argument_line(op: &Operation, p: &Parameter) -> String {
    let mut parts = Vec::new();
    match p
        .docs
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(d) => parts.push(super::docs::sanitize(d).replace('\n', " ")),
        None => parts.push(built_param_line(op, p)),
    }
    if p.docs.deprecated {
        // An argument cannot carry `#[deprecated]`: say it here.
        parts.push("**Deprecated** in the API spec.".into());
    }
    if let Some(example) = p.docs.examples.first() {
        let text = match example {
            serde_json::Value::String(s) => s.clone(),
            other => serde_json::to_string(other).unwrap_or_default(),
        };
        if !text.contains('`') && text.len() <= 80 {
            parts.push(format!("Example: `{text}`."));
        }
    }
    if let Some(line) = constraints_line(&p.constraints) {
        parts.push(line);
    }
    if let Some(default) = &p.default {
        parts.push(format!("The server's default: `{default}`."));
    }
    parts.join(" ")
}

/// A line for a parameter the spec does not describe.
fn built_param_line(op: &Operation, p: &Parameter) -> String {
    let wire = p.name.replace('`', "'");
    match p.location {
        ParamLocation::Path => {
            let owner = segment_before(&op.path, &p.name).map(singular);
            let name = human(&p.name);
            match owner {
                Some(owner) if name == "ID" || name == format!("{owner} ID") => {
                    format!("The {owner}'s ID.")
                }
                Some(owner) if !name.contains(&owner) => format!("The {owner}'s {name}."),
                _ => format!("The {name}."),
            }
        }
        ParamLocation::Query if paging_role(op, p).is_some() => {
            format!(
                "{} (the `{wire}` query parameter).",
                paging_role(op, p).unwrap_or_default()
            )
        }
        ParamLocation::Query if lists(op) => {
            let many = matches!(p.ty, TypeRef::List(_));
            format!(
                "Only results whose {} {} (the `{wire}` query parameter).",
                human(&p.name),
                if many {
                    "is one of these values"
                } else {
                    "is this value"
                }
            )
        }
        ParamLocation::Query => format!("Sent as the `{wire}` query parameter."),
        ParamLocation::Header => format!("Sent as the `{wire}` header."),
        ParamLocation::Cookie => format!("Sent as the `{wire}` cookie."),
    }
}

/// What a query parameter does in the operation's paging, if it is one of its inputs.
fn paging_role(op: &Operation, param: &Parameter) -> Option<&'static str> {
    let name = &param.name;
    use crate::ir::PageStyle;
    let p = op.pagination.as_ref()?;
    if p.page_size.as_ref().is_some_and(|s| s.name == *name) {
        return Some("How many items a page holds; `page_size()` sets it too");
    }
    if p.backward.contains(&param.rust_name) {
        return Some("An input for paging backwards; `pages()` clears it");
    }
    let input = match &p.style {
        PageStyle::Cursor { input, .. }
        | PageStyle::Offset { input, .. }
        | PageStyle::PageNumber { input, .. }
        | PageStyle::Keyset { input, .. } => input,
        PageStyle::NextLink { .. } => return None,
    };
    (input.name == *name).then_some(
        "Where the page starts; `pages()` sets it from each response, so set it only to \
         start elsewhere",
    )
}

/// Does the operation return a collection (a list method, or paged)?
pub(super) fn lists(op: &Operation) -> bool {
    op.pagination.is_some() || op.rust_name.starts_with("list_") || op.rust_name == "list"
}

/// When `send()` gives `Ok(None)`, for a success body the spec lets be `null`.
fn when_none(op: &Operation) -> Option<String> {
    let SuccessBody::Json(TypeRef::Nullable(_)) = op.success_body() else {
        return None;
    };
    let statuses: Vec<String> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success() && !r.contents.is_empty())
        .map(|r| format!("`{}`", r.status.label()))
        .collect();
    Some(format!(
        "Returns `None` when the server answers {} with a `null` body (the spec's response \
         schema allows `null`).",
        if statuses.is_empty() {
            "success".to_string()
        } else {
            statuses.join(" or ")
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{QueryStyle, Response, StatusSpec};

    fn op(method: &str, path: &str, rust_name: &str, id: &str, summary: Option<&str>) -> Operation {
        Operation {
            id: id.into(),
            rust_name: rust_name.into(),
            method: method.into(),
            path: path.into(),
            pointer: String::new(),
            docs: Docs {
                summary: summary.map(Into::into),
                ..Docs::default()
            },
            tags: Vec::new(),
            params: Vec::new(),
            body: None,
            responses: Vec::<Response>::new(),
            security: Vec::new(),
            pagination: None,
        }
    }

    fn param(name: &str, location: ParamLocation, ty: TypeRef) -> Parameter {
        Parameter {
            name: name.into(),
            rust_name: name.into(),
            location,
            pointer: String::new(),
            required: location == ParamLocation::Path,
            nullable: false,
            ty,
            explode: true,
            style: QueryStyle::Form,
            default: None,
            constraints: Default::default(),
            docs: Docs::default(),
        }
    }

    #[test]
    fn first_line_from_summary_else_method_and_path() {
        let id = "credit_batch_credit_batches__id__get";
        let get = op(
            "GET",
            "/credit_batches/{id}",
            "get_credit_batch",
            id,
            Some("Credit Batch"),
        );
        assert_eq!(what_it_does(&get), "Get a credit batch by ID.");
        let list = op(
            "GET",
            "/projects",
            "list_projects",
            "projects_projects_get",
            Some("Projects"),
        );
        assert_eq!(what_it_does(&list), "List projects.");
        let current = op(
            "GET",
            "/organisation",
            "get_current_organisation",
            "current_organisation_organisation_get",
            Some("Current Organisation"),
        );
        assert_eq!(what_it_does(&current), "Get the current organisation.");
        let create = op(
            "POST",
            "/stripe/checkout",
            "create_stripe_checkout_session",
            "create_stripe_checkout_session_stripe_checkout_post",
            Some("Create Stripe Checkout Session"),
        );
        assert_eq!(what_it_does(&create), "Create a stripe checkout session.");
        // A written summary is kept as written.
        let written = op(
            "GET",
            "/pets/{petId}",
            "get_pet",
            "getPetById",
            Some("Find pet by ID"),
        );
        assert_eq!(what_it_does(&written), "Find pet by ID.");
        // No summary, and a name that is no verb: method and path.
        let bare = op(
            "DELETE",
            "/pets/{petId}",
            "pets_pet_id",
            "pets_pet_id",
            None,
        );
        assert_eq!(what_it_does(&bare), "Delete a pet by ID.");
        let put = op(
            "PUT",
            "/items/{item_id}/parts/{part}",
            "update_part",
            "x",
            None,
        );
        assert_eq!(what_it_does(&put), "Update a part.");
        let create = op("POST", "/beneficiary", "create_beneficiary", "x", None);
        assert_eq!(what_it_does(&create), "Create a beneficiary.");
    }

    #[test]
    fn undocumented_parameters_get_a_line() {
        let mut list = op(
            "GET",
            "/projects/{id}/documents",
            "list_project_documents",
            "x",
            None,
        );
        let id = param(
            "id",
            ParamLocation::Path,
            TypeRef::Named("IsometricId".into()),
        );
        let status = param(
            "status",
            ParamLocation::Query,
            TypeRef::List(Box::new(TypeRef::Named("Status".into()))),
        );
        let supplier = param(
            "from_supplier_id",
            ParamLocation::Query,
            TypeRef::Named("Id".into()),
        );
        list.params = vec![id.clone(), status.clone(), supplier.clone()];
        assert_eq!(param_docs(&list, &id), "The project's ID.");
        assert_eq!(
            param_docs(&list, &status),
            "Only results whose status is one of these values (the `status` query parameter)."
        );
        assert_eq!(
            param_docs(&list, &supplier),
            "Only results whose from supplier ID is this value (the `from_supplier_id` query parameter)."
        );
        let pet = param("petId", ParamLocation::Path, TypeRef::Named("Id".into()));
        let get = op("GET", "/pets/{petId}", "get_pet", "x", None);
        assert_eq!(param_docs(&get, &pet), "The pet's ID.");
        // Examples the spec gives stay, after the built line.
        let mut with_example = id.clone();
        with_example.docs.examples = vec![serde_json::json!("prj_1")];
        assert_eq!(
            param_docs(&list, &with_example),
            "The project's ID.\n\n# Example\n```json\n\"prj_1\"\n```"
        );
    }

    #[test]
    fn nullable_results_say_when_they_are_none() {
        let mut get = op("GET", "/projects/{id}", "get_project", "x", None);
        get.responses = vec![Response {
            status: StatusSpec::Code(200),
            pointer: String::new(),
            docs: Docs::default(),
            contents: vec![crate::ir::Content {
                media_type: "application/json".into(),
                ty: Some(TypeRef::Nullable(Box::new(TypeRef::Named(
                    "Project".into(),
                )))),
                stream_end: None,
                part_types: Default::default(),
            }],
        }];
        assert!(method_docs(&get)
            .contains("Returns `None` when the server answers `200` with a `null` body"));
    }
}
