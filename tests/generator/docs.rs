//! Docs that help, checked on the registry crate and the deprecations fixture: titles that only
//! restate a name are gone, every method says first what it does, every argument and setter is
//! documented, `Option` results say when they are `None`, deprecations are attributes, and the
//! vendor's relative links point somewhere.

use super::{emitted_code, root};

fn registry_code() -> String {
    emitted_code(&root().join("spec/isometric-registry.openapi.json"))
}

/// The `///` lines right above line `at` (attributes skipped), top to bottom.
fn docs_above(lines: &[&str], at: usize) -> Vec<String> {
    let mut docs = Vec::new();
    for line in lines[..at].iter().rev() {
        let line = line.trim();
        if let Some(doc) = line.strip_prefix("///") {
            docs.push(doc.trim().to_string());
        } else if !line.starts_with("#[") {
            break;
        }
    }
    docs.reverse();
    docs
}

fn key(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[test]
fn registry_field_docs_never_only_restate_the_name() {
    let code = registry_code();
    let lines: Vec<&str> = code.lines().collect();
    let mut fields = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix("pub ") else {
            continue;
        };
        let Some((name, _)) = rest.split_once(':') else {
            continue;
        };
        if name.contains(['(', ' ', '<']) {
            continue;
        }
        fields += 1;
        if let Some(first) = docs_above(&lines, i).first() {
            assert_ne!(
                key(first),
                key(name),
                "field `{name}` is documented only by its title"
            );
        }
    }
    assert!(fields > 150, "{fields} fields");
    for title in [
        "/// Id\n",
        "/// Notes\n",
        "/// Refunded At\n",
        "/// BufferPoolRefund\n",
    ] {
        assert!(!code.contains(title), "{title:?} is still there");
    }
    // Descriptions, examples and constraints of the same fields stay.
    assert!(code.contains("\"bpr_1E5BH6AG21S0SKTW\""));
    assert!(code.contains("Constraints: length 20–37."));
}

#[test]
fn registry_methods_say_what_they_do_and_document_every_input() {
    let code = registry_code();
    let lines: Vec<&str> = code.lines().collect();
    let mut methods = 0;
    let mut setters = 0;
    let mut in_client_impl = false;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("impl crate::Client {") {
            in_client_impl = true;
            continue;
        }
        let Some(rest) = line.trim().strip_prefix("pub fn ") else {
            continue;
        };
        let name = &rest[..rest.find(['(', '<']).unwrap()];
        let docs = docs_above(&lines, i);
        assert!(!docs.is_empty(), "`{name}` has no docs");
        let end = i + lines[i..]
            .iter()
            .position(|l| l.trim_end().ends_with('{'))
            .unwrap();
        let signature = lines[i..=end]
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        // `Client::builder()` is configuration, not an operation.
        if std::mem::take(&mut in_client_impl) && name != "builder" {
            methods += 1;
            let first = &docs[0];
            assert!(
                first.ends_with('.'),
                "`{name}`: first line `{first}` is not a sentence"
            );
            let verb = first.split(' ').next().unwrap();
            assert!(
                ["Get", "List", "Create"].contains(&verb),
                "`{name}`: `{first}` does not say what it does"
            );
            // Every argument but `&self` and the body is documented in `# Arguments`.
            let args = &signature[signature.find('(').unwrap() + 1..signature.rfind(')').unwrap()];
            for arg in args
                .split(',')
                .filter_map(|a| a.split_once(':').map(|(n, _)| n.trim()))
                .filter(|n| *n != "body")
            {
                let entry = docs
                    .iter()
                    .find(|d| d.starts_with(&format!("- `{arg}`:")))
                    .unwrap_or_else(|| panic!("`{name}`: argument `{arg}` undocumented"));
                assert!(entry.len() > arg.len() + 16, "{entry}");
            }
        } else if signature.contains("(mut self, value") {
            setters += 1;
        }
    }
    assert_eq!(methods, 41);
    assert!(setters > 90, "{setters} setters");
    assert!(code.contains("    /// Get a credit batch by ID.\n"));
    // Every one of the 24 operations with an `{id}` in its path documents it.
    assert_eq!(code.matches("    /// - `id`: The ").count(), 24);
    assert!(code.contains(
        "    /// Only results whose from supplier ID is this value (the `from_supplier_id` query \
         parameter).\n"
    ));
    // `get_project` returns `Option<Project>` and says when it is `None`; so does every
    // operation returning an `Option`.
    let get_project = code.find("pub fn get_project(").unwrap();
    let docs = &code[code[..get_project].rfind("impl crate::Client {").unwrap()..get_project];
    assert!(
        docs.contains("Returns `None` when the server answers `200` with a `null` body"),
        "{docs}"
    );
    let optional = code.matches("Result<Option<").count();
    assert!(optional >= 3, "{optional}");
    assert_eq!(code.matches("Returns `None` when").count(), optional);
}

#[test]
fn deprecations_are_attributes_the_compiler_reports() {
    let code = emitted_code(&root().join("tests/fixtures/constructs/deprecated.yaml"));
    let attribute_before = |item: &str| {
        let at = code.find(item).unwrap_or_else(|| panic!("no `{item}`"));
        let above = &code[..at];
        let start = above.rfind("\n    ///").unwrap();
        above[start..].contains("#[deprecated(note = ")
    };
    // Operation, optional parameter (its setter), property (field and `with_` setter).
    assert!(attribute_before("pub fn get_pet_old("));
    assert!(attribute_before("pub fn legacy(mut self"));
    assert!(attribute_before("pub tag: Option<String>"));
    assert!(attribute_before("pub fn with_tag(mut self"));
    assert!(attribute_before("pub legacy_code: Option<i64>"));
    assert!(!attribute_before("pub fn list_pets(&self"));
    assert!(!attribute_before("pub name: String"));
    // A required parameter is an argument, which cannot carry the attribute: its docs say it.
    assert!(code.contains(
        "/// - `x_old_trace`: Sent as the `X-Old-Trace` header. **Deprecated** in the API spec."
    ));
    // Only the generated items that must touch a deprecated item allow the lint: `new` and the
    // `with_` setters of the deprecated fields, the page walk reading `next_cursor`, and the one
    // `let` reading the deprecated multipart field (a builder's `build` allows it in the
    // runtime's `model_builder!`).
    assert_eq!(
        code.matches("#[allow(deprecated)]").count(),
        2 + 4 + 2 + 1,
        "{code}"
    );
    assert!(
        code.contains("#[allow(deprecated)] let deprecated_caption = &fields.caption;")
            || code.contains(
                "#[allow(deprecated)]\n                let deprecated_caption = &fields.caption;"
            )
    );
    assert!(!code.contains("#![allow(deprecated)]"));
}

#[test]
fn relative_links_in_vendor_prose_are_made_absolute() {
    let api =
        generator::load_api(&root().join("tests/fixtures/constructs/deprecated.yaml")).unwrap();
    assert_eq!(
        api.docs.description.as_deref().map(str::trim),
        Some(
            "Read [the migration guide](https://docs.example.com/guides/migrate#v2) and below; \
             ![flow](https://docs.example.com/api/images/flow.png)."
        )
    );
    // The registry has no `externalDocs`: its links resolve against the first server's origin.
    let readme = std::fs::read_to_string(root().join("generated-client/README.md")).unwrap();
    assert!(readme.contains("](https://api.sandbox.isometric.com/images/credit-journey.png)"));
    assert!(
        !readme.contains("](/"),
        "a relative link is left in the README"
    );
}
