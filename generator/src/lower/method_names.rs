//! Method names from operationIds: FastAPI's generated ids lose their path-and-method tail, and
//! a name without a verb gets one from the HTTP method.

use super::names::snake_name;

const VERBS: &[&str] = &[
    "get", "list", "create", "update", "delete", "remove", "set", "add", "search", "find", "fetch",
    "upload", "download", "cancel", "send", "start", "stop", "replace", "check", "verify",
    "validate", "submit", "login", "logout", "reset", "refresh", "revoke", "enable", "disable",
    "approve", "reject",
];

/// FastAPI ids are `{function}{path with non-word chars as _}_{method}`; return `{function}`.
pub(super) fn strip_fastapi_suffix<'a>(id: &'a str, method: &str, path: &str) -> Option<&'a str> {
    let path_part: String = path
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let suffix = format!("{path_part}_{method}");
    if let Some(base) = id.strip_suffix(suffix.as_str()).filter(|b| !b.is_empty()) {
        return Some(base);
    }
    // The id was made from an older path (a parameter renamed since): `{name}_{path}_{method}`
    // still starts its path part with the path's first segment.
    let rest = id.strip_suffix(&format!("_{method}"))?;
    let first = path
        .split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))?;
    let marker = format!(
        "_{}",
        first.replace(|c: char| !c.is_alphanumeric() && c != '_', "_")
    );
    let at = rest.match_indices(&marker).map(|(i, _)| i).find(|i| {
        let after = &rest[i + marker.len()..];
        *i > 0 && (after.is_empty() || after.starts_with('_'))
    })?;
    Some(&rest[..at])
}

/// A readable method name: FastAPI artefacts removed, and a verb in front when there is none.
pub(super) fn method_name(id: Option<&str>, method: &str, path: &str, is_list: bool) -> String {
    let verb = match method {
        "get" if is_list => "list",
        "get" => "get",
        "post" => "create",
        "put" | "patch" => "update",
        other => other,
    };
    let base = match id.map(|id| (id, strip_fastapi_suffix(id, method, path))) {
        Some((_, Some(base))) => snake_name(base),
        Some((id, None)) => return snake_name(id),
        None => {
            let resource: Vec<&str> = path
                .split('/')
                .filter(|s| !s.is_empty() && !s.starts_with('{'))
                .collect();
            snake_name(&resource.join("_"))
        }
    };
    let first_word = base.split('_').next().unwrap_or("");
    if VERBS.contains(&first_word) {
        base
    } else if base.is_empty() || base == "empty" {
        verb.to_string()
    } else {
        format!("{verb}_{base}")
    }
}

#[cfg(test)]
mod tests {
    use super::method_name;

    #[test]
    fn fastapi_ids_become_readable_methods() {
        let cases = [
            (
                "credit_batch_credit_batches__id__get",
                "get",
                "/credit_batches/{id}",
                false,
                "get_credit_batch",
            ),
            // The path parameter was renamed after the id was made.
            (
                "supplier_suppliers__id__get",
                "get",
                "/suppliers/{supplier_id}",
                false,
                "get_supplier",
            ),
            (
                "supplier_projects_suppliers__id__projects_get",
                "get",
                "/suppliers/{supplier_id}/projects",
                true,
                "list_supplier_projects",
            ),
            (
                "beneficiaries_beneficiaries_get",
                "get",
                "/beneficiaries",
                true,
                "list_beneficiaries",
            ),
            (
                "create_beneficiary_beneficiary_post",
                "post",
                "/beneficiary",
                false,
                "create_beneficiary",
            ),
            (
                "current_organisation_organisation_get",
                "get",
                "/organisation",
                false,
                "get_current_organisation",
            ),
            ("listPets", "get", "/pets", true, "list_pets"),
        ];
        for (id, method, path, list, expected) in cases {
            assert_eq!(method_name(Some(id), method, path, list), expected, "{id}");
        }
        assert_eq!(
            method_name(None, "delete", "/pets/{id}", false),
            "delete_pets"
        );
    }
}
