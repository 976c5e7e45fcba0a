//! A declaration (from the config, a vendor extension or detection) checked against the
//! operation's real inputs and response types, giving the IR's [`Pagination`] or the reason it
//! cannot work.

use crate::config::{DeclaredStyle, PageDeclaration};
use crate::ir::{
    BodyEncoding, FieldPath, InputLocation, LinkSource, Operation, PageInput, PageStyle,
    Pagination, ParamLocation, SuccessBody, TokenConversion, TypeRef,
};

use super::walk::{norm, split_path, Types};

pub struct Context<'a> {
    pub op: &'a Operation,
    pub types: Types<'a>,
    /// A success response declares a `Link` header.
    pub link_header: bool,
}

impl Context<'_> {
    pub fn success(&self) -> Result<TypeRef, String> {
        match self.op.success_body() {
            SuccessBody::Json(ty) => Ok(ty),
            _ => Err("the success response is not JSON".into()),
        }
    }

    /// The JSON body's type and whether the builder holds it as an `Option`.
    pub fn body(&self) -> Option<(TypeRef, bool)> {
        match self.op.request_body_content() {
            Some((content, BodyEncoding::Json)) => {
                let required = self.op.body.as_ref().is_some_and(|b| b.required);
                content.ty.clone().map(|ty| (ty, !required))
            }
            _ => None,
        }
    }

    /// A request input by name: an optional query parameter, else a field of the JSON body
    /// (`body.x` looks only in the body).
    pub fn input(&self, name: &str) -> Result<PageInput, String> {
        let (body_only, name) = match name.strip_prefix("body.") {
            Some(rest) => (true, rest),
            None => (false, name),
        };
        if !body_only {
            if let Some(p) = self.op.params.iter().find(|p| {
                p.location == ParamLocation::Query && (p.name == name || p.rust_name == name)
            }) {
                if p.required {
                    return Err(format!("`{}` is a required parameter", p.name));
                }
                let (ty, nullable) = self.types.unwrap(&p.ty);
                let nullable = nullable || matches!(p.ty, TypeRef::Nullable(_));
                return Ok(PageInput {
                    name: p.name.clone(),
                    rust_name: p.rust_name.clone(),
                    location: InputLocation::Query,
                    ty,
                    options: 1 + u8::from(nullable),
                });
            }
        }
        let (body, optional_body) = self
            .body()
            .ok_or_else(|| format!("no query parameter or JSON body field `{name}`"))?;
        let (path, ty) = self
            .types
            .walk(&body, &[name])
            .map_err(|_| format!("no query parameter or JSON body field `{name}`"))?;
        let step = &path.steps[0];
        Ok(PageInput {
            name: step.name.clone(),
            rust_name: step.rust_name.clone(),
            location: InputLocation::Body { optional_body },
            ty,
            options: u8::from(step.optional),
        })
    }

    fn response_path(&self, root: &TypeRef, path: &str) -> Result<(FieldPath, TypeRef), String> {
        self.types.walk(root, &split_path(path))
    }

    fn integer_input(&self, name: &str) -> Result<PageInput, String> {
        let input = self.input(name)?;
        if !self.types.is_integer(&input.ty) {
            return Err(format!(
                "`{}` is {}, not an integer",
                input.name,
                self.types.describe(&input.ty)
            ));
        }
        Ok(input)
    }

    fn integer_path(&self, root: &TypeRef, path: &str) -> Result<FieldPath, String> {
        let (found, ty) = self.response_path(root, path)?;
        if !self.types.is_integer(&ty) {
            return Err(format!(
                "`{path}` is {}, not an integer",
                self.types.describe(&ty)
            ));
        }
        Ok(found)
    }
}

/// Checks `decl` against the operation. `source` names who declared it, for the IR.
pub fn resolve(
    decl: &PageDeclaration,
    cx: &Context<'_>,
    source: &str,
) -> Result<Pagination, String> {
    let success = cx.success()?;
    let items_path = match &decl.items {
        Some(p) => p.clone(),
        None => super::detect::find_items(cx, &success)?,
    };
    let (items, list) = cx.response_path(&success, &items_path)?;
    let TypeRef::List(item) = list else {
        return Err(format!("`{}` is not a list", items.wire()));
    };
    let item = *item;
    let needs = |what: &Option<String>, key: &str| {
        what.clone()
            .ok_or_else(|| format!("the declaration has no `{key}`"))
    };
    let style = match decl.style {
        DeclaredStyle::Cursor => {
            let input = cx.input(&needs(&decl.input, "input")?)?;
            let token_name = needs(&decl.token, "token")?;
            let (token, token_ty) = cx.response_path(&success, &token_name)?;
            let convert = if cx.types.unwrap(&token_ty).0 == cx.types.unwrap(&input.ty).0 {
                TokenConversion::Same
            } else if cx.types.same_shape(&token_ty, &input.ty) {
                TokenConversion::Json
            } else if cx.types.is_string(&input.ty)
                && matches!(cx.types.unwrap(&token_ty).0, TypeRef::Primitive(_))
            {
                TokenConversion::Text
            } else {
                return Err(format!(
                    "the token `{token_name}` is {} but `{}` takes {}",
                    cx.types.describe(&token_ty),
                    input.name,
                    cx.types.describe(&input.ty)
                ));
            };
            PageStyle::Cursor {
                input,
                token,
                token_ty,
                convert,
            }
        }
        DeclaredStyle::NextLink => {
            let link = needs(&decl.link, "link")?;
            if link.eq_ignore_ascii_case("header:link") {
                PageStyle::NextLink {
                    link: LinkSource::Header,
                }
            } else {
                let (path, ty) = cx.response_path(&success, &link)?;
                if !cx.types.is_string(&ty) {
                    return Err(format!("the link `{link}` is {}", cx.types.describe(&ty)));
                }
                PageStyle::NextLink {
                    link: LinkSource::Body { path },
                }
            }
        }
        DeclaredStyle::Offset => PageStyle::Offset {
            input: cx.integer_input(&needs(&decl.input, "input")?)?,
            total: decl
                .total
                .as_deref()
                .map(|t| cx.integer_path(&success, t))
                .transpose()?,
        },
        DeclaredStyle::Page => {
            let input = cx.integer_input(&needs(&decl.input, "input")?)?;
            let param = cx.op.params.iter().find(|p| p.name == input.name);
            let first = param
                .and_then(|p| p.default.as_ref().and_then(|d| d.as_i64()))
                .or_else(|| param.and_then(|p| p.constraints.minimum).map(|m| m as i64))
                .unwrap_or(1);
            PageStyle::PageNumber {
                input,
                first,
                total_pages: decl
                    .total
                    .as_deref()
                    .map(|t| cx.integer_path(&success, t))
                    .transpose()?,
            }
        }
        DeclaredStyle::Keyset => {
            let input = cx.input(&needs(&decl.input, "input")?)?;
            let (id, id_ty) = match &decl.id {
                Some(name) => cx
                    .types
                    .walk(&item, &split_path(name))
                    .map_err(|_| format!("the items have no `{name}`"))?,
                None => item_id(cx, &item, &input)?,
            };
            if !cx.types.same_shape(&id_ty, &input.ty) {
                return Err(format!(
                    "`{}` is {} but the items' `{}` is {}",
                    input.name,
                    cx.types.describe(&input.ty),
                    id.wire(),
                    cx.types.describe(&id_ty)
                ));
            }
            PageStyle::Keyset { input, id, id_ty }
        }
    };
    let page_size = decl
        .page_size
        .as_deref()
        .map(|name| cx.integer_input(name))
        .transpose()?;
    let max_page_size = page_size.as_ref().and_then(|size| {
        cx.op
            .params
            .iter()
            .find(|p| p.name == size.name && size.location == InputLocation::Query)
            .and_then(|p| p.constraints.maximum)
            .filter(|m| *m >= 1.0 && *m <= u32::MAX as f64)
            .map(|m| m as u64)
    });
    let has_more = decl
        .has_more
        .as_deref()
        .map(|path| {
            let (found, ty) = cx.response_path(&success, path)?;
            if cx.types.is_bool(&ty) {
                Ok(found)
            } else {
                Err(format!(
                    "`{path}` is {}, not a boolean",
                    cx.types.describe(&ty)
                ))
            }
        })
        .transpose()?;
    Ok(Pagination {
        backward: backward_params(cx, &style),
        style,
        items,
        item,
        page_size,
        max_page_size,
        has_more,
        source: source.to_string(),
    })
}

/// An item's id for keyset paging: its own `id`, else the `id` of the one object inside it that
/// has an id of the input's type (`{ "user": { "id": … }, "reason": … }`).
fn item_id(
    cx: &Context<'_>,
    item: &TypeRef,
    input: &PageInput,
) -> Result<(FieldPath, TypeRef), String> {
    if let Ok(found) = cx.types.walk(item, &["id"]) {
        return Ok(found);
    }
    let fields = cx.types.fields(item).unwrap_or_default();
    let nested: Vec<_> = fields
        .iter()
        .filter_map(|f| cx.types.walk(item, &[f.name.as_str(), "id"]).ok())
        .filter(|(_, ty)| cx.types.same_shape(ty, &input.ty))
        .collect();
    match <[_; 1]>::try_from(nested) {
        Ok([one]) => Ok(one),
        Err(_) => Err("the items have no `id`".into()),
    }
}

/// Relay's backward inputs (`last`, `before`) beside a forward `after` cursor: cleared while
/// paging forwards.
fn backward_params(cx: &Context<'_>, style: &PageStyle) -> Vec<String> {
    let PageStyle::Cursor { input, .. } = style else {
        return Vec::new();
    };
    if input.location != InputLocation::Query || norm(&input.name) != "after" {
        return Vec::new();
    }
    ["last", "before"]
        .iter()
        .filter_map(|name| {
            cx.op
                .params
                .iter()
                .find(|p| {
                    p.location == ParamLocation::Query && !p.required && norm(&p.name) == *name
                })
                .map(|p| p.rust_name.clone())
        })
        .collect()
}
