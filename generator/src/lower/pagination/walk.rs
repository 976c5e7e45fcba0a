//! Walking the IR's types by field name: what `result.points` or `page_info.end_cursor` is, and
//! how it is stored (which steps are `Option`s in the generated structs).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::ir::{
    resolve_aliases, Field, FieldPath, FieldStep, Primitive, TypeDef, TypeKind, TypeRef,
};

pub struct Types<'a>(pub &'a BTreeMap<String, TypeDef>);

impl Types<'_> {
    /// The type behind aliases, with an outer `Nullable` kept apart: `(type, was nullable)`.
    pub fn unwrap(&self, ty: &TypeRef) -> (TypeRef, bool) {
        match resolve_aliases(ty, self.0) {
            TypeRef::Nullable(inner) => (resolve_aliases(&inner, self.0), true),
            other => (other, false),
        }
    }

    /// The fields of a struct type (through aliases; generic arguments substituted, so only a
    /// generic type's fields are copied).
    pub fn fields(&self, ty: &TypeRef) -> Option<Cow<'_, [Field]>> {
        let (ty, _) = self.unwrap(ty);
        let (name, args) = match &ty {
            TypeRef::Named(n) => (n, &[][..]),
            TypeRef::Generic { name, args } => (name, &args[..]),
            _ => return None,
        };
        let def = self.0.get(name)?;
        let TypeKind::Struct { fields, .. } = &def.kind else {
            return None;
        };
        if args.is_empty() {
            return Some(Cow::Borrowed(fields));
        }
        Some(Cow::Owned(
            fields
                .iter()
                .map(|f| Field {
                    ty: substitute(&f.ty, &def.generics, args),
                    ..f.clone()
                })
                .collect(),
        ))
    }

    /// Whether `ty` is a struct (through aliases).
    pub fn is_struct(&self, ty: &TypeRef) -> bool {
        let (TypeRef::Named(name) | TypeRef::Generic { name, .. }) = self.unwrap(ty).0 else {
            return false;
        };
        matches!(
            self.0.get(&name).map(|d| &d.kind),
            Some(TypeKind::Struct { .. })
        )
    }

    /// Follows `path` (wire names, or Rust names) from `root`: the steps and the type found at
    /// the end (without its `Option`).
    pub fn walk(&self, root: &TypeRef, path: &[&str]) -> Result<(FieldPath, TypeRef), String> {
        let (mut ty, root_optional) = self.unwrap(root);
        let mut steps = Vec::new();
        let mut rest = path;
        while let Some(first) = rest.first() {
            let fields = self.fields(&ty).ok_or_else(|| {
                format!("`{first}` is looked up in a value that is not an object")
            })?;
            let find = |name: &str| {
                fields
                    .iter()
                    .find(|f| f.name == name)
                    .or_else(|| fields.iter().find(|f| f.rust_name == name))
            };
            // A property name may hold dots itself (Azure's `odata.nextLink`): when a segment
            // names no field, it and the segments after it are tried as one name.
            let (field, used) = (1..=rest.len())
                .find_map(|n| find(&rest[..n].join(".")).map(|f| (f, n)))
                .ok_or_else(|| format!("the response has no field `{first}`"))?;
            rest = &rest[used..];
            let (inner, nullable) = self.unwrap(&field.ty);
            let option = (!field.required || field.nullable) && field.ty != TypeRef::Any;
            steps.push(FieldStep {
                name: field.name.clone(),
                rust_name: field.rust_name.clone(),
                optional: option || nullable,
            });
            ty = inner;
        }
        Ok((
            FieldPath {
                root_optional,
                steps,
            },
            ty,
        ))
    }

    /// The same JSON either way: one type, or two unions / structs built alike (specs often
    /// repeat an inline `anyOf` for the request and the response).
    pub fn same_shape(&self, a: &TypeRef, b: &TypeRef) -> bool {
        let (a, b) = (self.unwrap(a).0, self.unwrap(b).0);
        if a == b {
            return true;
        }
        let (TypeRef::Named(a), TypeRef::Named(b)) = (&a, &b) else {
            return false;
        };
        match (
            self.0.get(a).map(|d| &d.kind),
            self.0.get(b).map(|d| &d.kind),
        ) {
            (
                Some(TypeKind::UntaggedUnion { variants: va }),
                Some(TypeKind::UntaggedUnion { variants: vb }),
            ) => va.len() == vb.len() && va.iter().zip(vb).all(|(x, y)| x.ty == y.ty),
            (
                Some(TypeKind::Struct { fields: fa, .. }),
                Some(TypeKind::Struct { fields: fb, .. }),
            ) => {
                fa.len() == fb.len()
                    && fa
                        .iter()
                        .zip(fb)
                        .all(|(x, y)| x.name == y.name && x.ty == y.ty && x.required == y.required)
            }
            _ => false,
        }
    }

    pub fn is_integer(&self, ty: &TypeRef) -> bool {
        matches!(
            self.unwrap(ty).0,
            TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64)
        )
    }

    pub fn is_bool(&self, ty: &TypeRef) -> bool {
        self.unwrap(ty).0 == TypeRef::Primitive(Primitive::Bool)
    }

    pub fn is_string(&self, ty: &TypeRef) -> bool {
        self.unwrap(ty).0 == TypeRef::Primitive(Primitive::String)
    }

    /// Short description for messages: `integer`, `string`, `date-time`, `Snowflake`.
    pub fn describe(&self, ty: &TypeRef) -> String {
        match self.unwrap(ty).0 {
            TypeRef::Primitive(Primitive::String) => "a string".into(),
            TypeRef::Primitive(Primitive::Bool) => "a boolean".into(),
            TypeRef::Primitive(Primitive::DateTime) => "a date-time".into(),
            TypeRef::Primitive(Primitive::Date) => "a date".into(),
            TypeRef::Primitive(Primitive::F32 | Primitive::F64) => "a number".into(),
            t if self.is_integer(&t) => "an integer".into(),
            TypeRef::List(_) => "a list".into(),
            TypeRef::Named(n) | TypeRef::Generic { name: n, .. } => format!("`{n}`"),
            _ => "a value".into(),
        }
    }
}

/// Replaces generic parameters by the arguments they stand for.
pub fn substitute(ty: &TypeRef, params: &[String], args: &[TypeRef]) -> TypeRef {
    let sub = |t: &TypeRef| Box::new(substitute(t, params, args));
    match ty {
        TypeRef::Param(p) => params
            .iter()
            .position(|x| x == p)
            .and_then(|i| args.get(i))
            .or(args.first())
            .cloned()
            .unwrap_or(TypeRef::Any),
        TypeRef::List(t) => TypeRef::List(sub(t)),
        TypeRef::Map(t) => TypeRef::Map(sub(t)),
        TypeRef::Nullable(t) => TypeRef::Nullable(sub(t)),
        TypeRef::Generic { name, args: inner } => TypeRef::Generic {
            name: name.clone(),
            args: inner.iter().map(|t| substitute(t, params, args)).collect(),
        },
        other => other.clone(),
    }
}

/// Names compared loosely: `page_token`, `pageToken` and `PageToken` are one name.
pub fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `meta.next_page_url` → `["meta", "next_page_url"]`; `""` → `[]`.
pub fn split_path(path: &str) -> Vec<&str> {
    path.split('.').filter(|s| !s.is_empty()).collect()
}
