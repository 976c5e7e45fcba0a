//! Pagination declared with the vendor extensions other generators read, so specs written for
//! them page here unchanged. Supported fields:
//!
//! - `x-dropshot-pagination` (any value but `false`): `page_token` ← `next_page`, `items`, `limit`.
//! - `x-speakeasy-pagination`: `type` (`cursor`, `offsetLimit`, `url`); `inputs[]` with `name`,
//!   `in` (`parameters` or `requestBody`) and `type` (`cursor`, `offset`, `page`, `limit`);
//!   `outputs.nextCursor` (a `$.items[-1].id`-style path means keyset on the last item),
//!   `outputs.results`, `outputs.numPages`, `outputs.nextUrl`.
//! - `x-fern-pagination`: `cursor` + `next_cursor`, `offset` (+ `step`: offsets, without: page
//!   numbers), `next_uri` / `next_path`, `results`, `has-next-page`.
//! - `x-ms-pageable`: `nextLinkName` (`null`: not paged), `itemName` (default `value`).

use serde_json::Value;

use crate::config::{DeclaredStyle, PageDeclaration, PagingSetting};

type Reader = fn(&Value) -> Result<PagingSetting, String>;

/// The first pagination extension on the operation: its name and what it declares, or why it
/// cannot be read.
pub fn from_extensions(
    extensions: &indexmap::IndexMap<String, Value>,
) -> Option<(&'static str, Result<PagingSetting, String>)> {
    let readers: [(&'static str, Reader); 4] = [
        ("x-speakeasy-pagination", speakeasy),
        ("x-fern-pagination", fern),
        ("x-ms-pageable", ms_pageable),
        ("x-dropshot-pagination", dropshot),
    ];
    readers
        .into_iter()
        .find_map(|(key, read)| extensions.get(key).map(|v| (key, read(v))))
}

/// `$response.a.b`, `$.a.b`, `$request.x` → `a.b` / `x`.
fn path(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    let text = ["$response.", "$request.", "$.", "$"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    Some(text.to_string())
}

fn dropshot(value: &Value) -> Result<PagingSetting, String> {
    if value == &Value::Bool(false) || value.is_null() {
        return Ok(PagingSetting::Off);
    }
    Ok(PagingSetting::Declared(PageDeclaration {
        style: DeclaredStyle::Cursor,
        input: Some("page_token".into()),
        token: Some("next_page".into()),
        items: Some("items".into()),
        page_size: Some("limit".into()),
        ..PageDeclaration::default()
    }))
}

fn ms_pageable(value: &Value) -> Result<PagingSetting, String> {
    let link = match value.get("nextLinkName") {
        Some(Value::Null) => return Ok(PagingSetting::Off),
        Some(v) => v
            .as_str()
            .ok_or("`nextLinkName` is not a string")?
            .to_string(),
        None => "nextLink".into(),
    };
    let items = value
        .get("itemName")
        .and_then(Value::as_str)
        .unwrap_or("value");
    Ok(PagingSetting::Declared(PageDeclaration {
        style: DeclaredStyle::NextLink,
        link: Some(link),
        items: Some(items.into()),
        ..PageDeclaration::default()
    }))
}

fn speakeasy(value: &Value) -> Result<PagingSetting, String> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or("no `type`")?;
    let outputs = value.get("outputs").cloned().unwrap_or(Value::Null);
    let mut decl = PageDeclaration {
        items: outputs.get("results").and_then(path),
        ..PageDeclaration::default()
    };
    let inputs = value
        .get("inputs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let input_of = |role: &str| {
        inputs
            .iter()
            .find(|i| i.get("type").and_then(Value::as_str) == Some(role))
            .and_then(|i| {
                let name = i.get("name")?.as_str()?;
                Some(match i.get("in").and_then(Value::as_str) {
                    Some("requestBody") => format!("body.{name}"),
                    _ => name.to_string(),
                })
            })
    };
    decl.page_size = input_of("limit");
    match kind {
        "cursor" => {
            decl.input = Some(input_of("cursor").ok_or("no input of type `cursor`")?);
            let next = outputs
                .get("nextCursor")
                .and_then(path)
                .ok_or("no `outputs.nextCursor`")?;
            // `data[-1].id`: the last item's id.
            match next.split_once("[-1]") {
                Some((items, id)) => {
                    decl.style = DeclaredStyle::Keyset;
                    decl.items = Some(items.to_string());
                    decl.id = Some(id.trim_start_matches('.').to_string());
                }
                None => {
                    decl.style = DeclaredStyle::Cursor;
                    decl.token = Some(next);
                }
            }
        }
        "offsetLimit" => {
            if let Some(offset) = input_of("offset") {
                decl.style = DeclaredStyle::Offset;
                decl.input = Some(offset);
            } else {
                decl.style = DeclaredStyle::Page;
                decl.input = Some(input_of("page").ok_or("no input of type `offset` or `page`")?);
                decl.total = outputs.get("numPages").and_then(path);
            }
        }
        "url" => {
            decl.style = DeclaredStyle::NextLink;
            decl.link = Some(
                outputs
                    .get("nextUrl")
                    .and_then(path)
                    .ok_or("no `outputs.nextUrl`")?,
            );
        }
        other => return Err(format!("unsupported type `{other}`")),
    }
    Ok(PagingSetting::Declared(decl))
}

fn fern(value: &Value) -> Result<PagingSetting, String> {
    if value == &Value::Bool(false) {
        return Ok(PagingSetting::Off);
    }
    let get = |key: &str| value.get(key).and_then(path);
    let mut decl = PageDeclaration {
        items: get("results"),
        has_more: get("has-next-page"),
        ..PageDeclaration::default()
    };
    if let Some(cursor) = get("cursor") {
        decl.style = DeclaredStyle::Cursor;
        decl.input = Some(cursor);
        decl.token = Some(get("next_cursor").ok_or("`cursor` without `next_cursor`")?);
    } else if let Some(offset) = get("offset") {
        decl.input = Some(offset);
        match get("step") {
            Some(step) => {
                decl.style = DeclaredStyle::Offset;
                decl.page_size = Some(step);
            }
            None => decl.style = DeclaredStyle::Page,
        }
    } else if let Some(link) = get("next_uri").or_else(|| get("next_path")) {
        decl.style = DeclaredStyle::NextLink;
        decl.link = Some(link);
    } else {
        return Err("none of `cursor`, `offset`, `next_uri`, `next_path`".into());
    }
    Ok(PagingSetting::Declared(decl))
}
