//! Docs of the operation methods and their inputs: a first line that says what the method
//! does, every argument and setter documented (from the spec, else from its name, place and
//! type), when an `Option` result is `None`, and `#[deprecated]` where the spec says so.

use proc_macro2::TokenStream;

use super::docs::{constraints_line, deprecated_attr, is_title_echo, render_named};
use crate::ir::{Docs, Operation, ParamLocation, Parameter, SuccessBody, TypeRef};

/// Verbs a method name or a summary may start with.
const VERBS: &[&str] = &[
    "get", "list", "create", "update", "delete", "remove", "set", "add", "search", "find", "fetch",
    "retrieve", "upload", "download", "cancel", "send", "start", "stop", "replace", "check",
    "verify", "validate", "submit", "login", "logout", "reset", "refresh", "revoke", "enable",
    "disable", "approve", "reject", "archive", "restore", "export", "import", "count", "generate",
    "watch", "tail", "stream", "patch", "put", "post", "read", "run", "assign", "unassign",
    "register", "close", "open", "move", "copy", "edit", "mark",
];

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
fn lists(op: &Operation) -> bool {
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

/// The first doc line: the spec's summary when it says something, else a sentence built from
/// the method name and path ("Get a credit batch by ID.").
pub fn what_it_does(op: &Operation) -> String {
    if let Some(summary) = op
        .docs
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.contains('\n'))
    {
        let summary = super::docs::sanitize(summary);
        // FastAPI titles the handler's name (`Credit Batch`): the method name says it better.
        if !is_generated_summary(op, &summary) {
            return sentence(&summary);
        }
    }
    built_sentence(op)
}

/// A summary that is only the operation's id (or handler name) title-cased, as FastAPI writes.
fn is_generated_summary(op: &Operation, summary: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let summary = key(summary);
    !summary.is_empty() && (key(&op.id).starts_with(&summary) || key(&op.rust_name) == summary)
}

fn built_sentence(op: &Operation) -> String {
    let words: Vec<&str> = op.rust_name.split('_').filter(|w| !w.is_empty()).collect();
    let ends_in_param = op
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|s| s.starts_with('{'));
    let last_param = ends_in_param
        .then(|| {
            let seg = op
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            seg.trim_matches(['{', '}']).to_string()
        })
        .filter(|s| !s.is_empty());
    let (verb, object) = match words.split_first() {
        Some((first, rest)) if VERBS.contains(first) && !rest.is_empty() => {
            (first.to_string(), rest.join(" "))
        }
        _ => {
            let verb = match op.method.as_str() {
                "GET" if lists(op) => "list",
                "GET" | "HEAD" => "get",
                "POST" => "create",
                "PUT" => "replace",
                "PATCH" => "update",
                "DELETE" => "delete",
                _ => "call",
            };
            let resource = op
                .path
                .rsplit('/')
                .find(|s| !s.is_empty() && !s.starts_with('{'))
                .map(|s| human(s).to_lowercase())
                .unwrap_or_else(|| "the API root".into());
            let resource = if ends_in_param {
                singular(resource)
            } else {
                resource
            };
            (verb.to_string(), resource)
        }
    };
    let by = last_param.map(|p| {
        let name = human(&p);
        if name.to_lowercase() == object {
            // `PUT /parts/{part}` updates a part, not "a part by part".
            return String::new();
        }
        if name == "ID"
            || name.ends_with(" ID") && object.ends_with(&name[..name.len() - 3].to_lowercase())
        {
            " by ID".to_string()
        } else {
            format!(" by {}", name)
        }
    });
    let article = |noun: &str| {
        if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        }
    };
    let phrase = match (verb.as_str(), &by) {
        ("list" | "search" | "count" | "export", _) => object.clone(),
        (_, Some(by)) => format!("{} {object}{by}", article(&object)),
        ("create" | "add" | "upload" | "register", None) => {
            format!("{} {object}", article(&object))
        }
        (_, None) => format!("the {object}"),
    };
    sentence(&format!("{} {phrase}", capitalize(&verb)))
}

/// The literal path segment right before `{name}`.
fn segment_before(path: &str, name: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let at = segments
        .iter()
        .position(|s| s.trim_matches(['{', '}']) == name && s.starts_with('{'))?;
    segments[..at]
        .iter()
        .rev()
        .find(|s| !s.starts_with('{'))
        .map(|s| human(s).to_lowercase())
}

/// `credit_batch_id` → `credit batch ID`, `petId` → `pet ID`.
fn human(name: &str) -> String {
    use heck::ToSnakeCase;
    name.to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w == "id" {
                "ID".to_string()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `credit batches` → `credit batch`, `deliveries` → `delivery`.
fn singular(words: String) -> String {
    let (head, last) = match words.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l.to_string()),
        None => (String::new(), words.clone()),
    };
    let one = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["ches", "shes", "sses", "xes", "zes"]
        .iter()
        .any(|s| last.ends_with(s))
    {
        last[..last.len() - 2].to_string()
    } else if last.ends_with('s') && !last.ends_with("ss") && !last.ends_with("us") {
        last[..last.len() - 1].to_string()
    } else {
        last
    };
    format!("{head}{one}")
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` ending in a full stop (unless it already ends a sentence).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', ':']) || text.ends_with('`') {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// Do two pieces of prose say the same (ignoring case and punctuation)?
fn same_sentence(a: &str, b: &str) -> bool {
    is_title_echo(a, &[b])
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
