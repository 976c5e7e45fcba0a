//! Request bodies and responses of one matched operation.
//!
//! Rust API: the method returns the first JSON type among success responses (else bytes or
//! `()`), `stream()` exists for a streamed success body and yields its item type, and non-success responses are variants of a `#[non_exhaustive]` error enum (or
//! `serde_json::Value` when there are none). A required body is a method argument, an optional
//! one a `.body(..)` setter.

use super::compare::{compare, rename, show, RefDiff, Renames};
use super::model::{Change, Class, Ctx, Kind};
use super::retype::Env;
use crate::ir::{Content, Operation, StreamBody, SuccessBody};

/// What the generated method returns on success, in the new spec's names.
fn ok_type(op: &Operation, renames: &Renames) -> String {
    match op.success_body() {
        SuccessBody::Json(ty) => show(&rename(&ty, renames)),
        SuccessBody::Bytes => "Vec<u8>".into(),
        SuccessBody::Empty => "()".into(),
    }
}

/// What `stream()` yields, if the operation has one, in the new spec's names.
fn stream_type(op: &Operation, renames: &Renames) -> Option<String> {
    let item = |ty: Option<&crate::ir::TypeRef>| match ty {
        Some(ty) => show(&rename(ty, renames)),
        None => "serde_json::Value".into(),
    };
    Some(match op.stream_body()? {
        StreamBody::Events { data, .. } => format!("SseEvent<{}>", item(data)),
        StreamBody::JsonItems { item: ty, .. } => item(ty),
        StreamBody::Bytes { .. } => "Bytes".into(),
    })
}

/// The body type the generated method takes.
fn body_type(op: &Operation, renames: &Renames) -> Option<String> {
    match op.request_body_content()? {
        (Content { ty: Some(ty), .. }, encoding) if encoding.is_typed() => {
            Some(show(&rename(ty, renames)))
        }
        _ => Some("Upload".into()),
    }
}

pub struct OpSink<'a> {
    pub label: String,
    pub out: &'a mut Vec<Change>,
}

impl OpSink<'_> {
    pub fn push(&mut self, kind: Kind, class: Class, rust: bool, location: &str, message: String) {
        self.out
            .push(Change::new(kind, class, rust, location, message).with_ops([self.label.clone()]));
    }
}

pub fn diff_body(o: &Operation, n: &Operation, env: &Env, sink: &mut OpSink) {
    let renames = env.renames;
    let rust = body_type(o, renames) != body_type(n, renames);
    match (&o.body, &n.body) {
        (None, None) => {}
        (None, Some(b)) => {
            let msg = format!(
                "a{} request body was added",
                if b.required {
                    " required"
                } else {
                    "n optional"
                }
            );
            sink.push(
                Kind::RequestBodyAdded,
                Class::breaking_if(b.required),
                b.required,
                &b.pointer,
                msg,
            );
        }
        (Some(a), None) => {
            sink.push(
                Kind::RequestBodyRemoved,
                Class::Breaking,
                true,
                &a.pointer,
                "the request body was removed".into(),
            );
        }
        (Some(a), Some(b)) => {
            if !a.required && b.required {
                let msg = "the request body is now required (setter → method argument)".to_string();
                sink.push(
                    Kind::RequestBodyBecameRequired,
                    Class::Breaking,
                    true,
                    &b.pointer,
                    msg,
                );
            } else if a.required && !b.required {
                let msg =
                    "the request body is no longer required (method argument → setter)".to_string();
                sink.push(
                    Kind::RequestBodyBecameOptional,
                    Class::NonBreaking,
                    true,
                    &b.pointer,
                    msg,
                );
            }
            for c in a
                .contents
                .iter()
                .filter(|c| !b.contents.iter().any(|d| d.media_type == c.media_type))
            {
                let msg = format!(
                    "request content type `{}` is no longer accepted",
                    c.media_type
                );
                sink.push(
                    Kind::RequestContentTypeRemoved,
                    Class::Breaking,
                    rust,
                    &a.pointer,
                    msg,
                );
            }
            for d in b
                .contents
                .iter()
                .filter(|d| !a.contents.iter().any(|c| c.media_type == d.media_type))
            {
                let msg = format!("request content type `{}` is now accepted", d.media_type);
                sink.push(
                    Kind::RequestContentTypeAdded,
                    Class::NonBreaking,
                    rust,
                    &b.pointer,
                    msg,
                );
            }
            for (c, d) in pairs(&a.contents, &b.contents) {
                let location = format!(
                    "{}/content/{}/schema",
                    b.pointer,
                    crate::load::escape_pointer(&d.media_type)
                );
                let request = Ctx {
                    request: true,
                    response: false,
                };
                if replaced(env, c, d, request, &location, "the request body", sink) {
                    continue;
                }
                let class = match content_diff(c, d, renames) {
                    RefDiff::Same => continue,
                    RefDiff::Changed | RefDiff::BecameNonNullable => Class::Breaking,
                    RefDiff::BecameNullable => Class::NonBreaking,
                };
                let msg = format!(
                    "`{}` request body changed from `{}` to `{}`",
                    d.media_type,
                    show_content(c),
                    show_content(d)
                );
                sink.push(Kind::RequestBodyTypeChanged, class, rust, &location, msg);
            }
        }
    }
}

/// A body that now names another type of (possibly) the same shape: see [`Env::replaced`].
fn replaced(
    env: &Env,
    c: &Content,
    d: &Content,
    ctx: Ctx,
    location: &str,
    what: &str,
    sink: &mut OpSink,
) -> bool {
    let (Some(x), Some(y)) = (&c.ty, &d.ty) else {
        return false;
    };
    if content_diff(c, d, env.renames) != RefDiff::Changed
        || !env.replaced(x, y, ctx, std::slice::from_ref(&sink.label), sink.out)
    {
        return false;
    }
    let (location, msg) = env.replacement(what, x, y, location);
    sink.push(Kind::TypeReplaced, Class::NonBreaking, true, &location, msg);
    true
}

fn pairs<'a>(a: &'a [Content], b: &'a [Content]) -> Vec<(&'a Content, &'a Content)> {
    a.iter()
        .filter_map(|c| {
            b.iter()
                .find(|d| d.media_type == c.media_type)
                .map(|d| (c, d))
        })
        .collect()
}

fn content_diff(c: &Content, d: &Content, renames: &Renames) -> RefDiff {
    match (&c.ty, &d.ty) {
        (None, None) => RefDiff::Same,
        (Some(x), Some(y)) => compare(x, false, y, false, renames),
        _ => RefDiff::Changed,
    }
}

fn show_content(c: &Content) -> String {
    c.ty.as_ref().map(show).unwrap_or_else(|| "bytes".into())
}

pub fn diff_responses(o: &Operation, n: &Operation, env: &Env, sink: &mut OpSink) {
    let renames = env.renames;
    // A `stream()` that disappears or yields another type breaks callers; a new one doesn't.
    let old_stream = stream_type(o, renames);
    let ok_changed = ok_type(o, renames) != ok_type(n, renames)
        || (old_stream.is_some() && old_stream != stream_type(n, renames));
    let had_errors = o.responses.iter().any(|r| !r.status.is_success());
    let has_errors = n.responses.iter().any(|r| !r.status.is_success());
    // The error type switches between `serde_json::Value` and a generated enum.
    let error_type_changed = had_errors != has_errors;
    for r in o
        .responses
        .iter()
        .filter(|r| !n.responses.iter().any(|s| s.status == r.status))
    {
        let success = r.status.is_success();
        let rust = if success { ok_changed } else { true };
        let msg = format!(
            "{} response `{}` was removed",
            if success { "success" } else { "error" },
            r.status.label()
        );
        sink.push(
            Kind::ResponseStatusRemoved,
            Class::breaking_if(success),
            rust || error_type_changed,
            &r.pointer,
            msg,
        );
    }
    for s in n
        .responses
        .iter()
        .filter(|s| !o.responses.iter().any(|r| r.status == s.status))
    {
        let success = s.status.is_success();
        let rust = if success {
            ok_changed
        } else {
            error_type_changed
        };
        let msg = format!(
            "{} response `{}` was added",
            if success { "success" } else { "error" },
            s.status.label()
        );
        sink.push(
            Kind::ResponseStatusAdded,
            Class::NonBreaking,
            rust,
            &s.pointer,
            msg,
        );
    }
    for (r, s) in o.responses.iter().filter_map(|r| {
        n.responses
            .iter()
            .find(|s| s.status == r.status)
            .map(|s| (r, s))
    }) {
        let success = s.status.is_success();
        let status = s.status.label();
        let rust = if success { ok_changed } else { true };
        for c in r
            .contents
            .iter()
            .filter(|c| !s.contents.iter().any(|d| d.media_type == c.media_type))
        {
            let msg = format!("response `{status}` no longer comes as `{}`", c.media_type);
            sink.push(
                Kind::ResponseContentTypeRemoved,
                Class::breaking_if(success),
                rust,
                &s.pointer,
                msg,
            );
        }
        for d in s
            .contents
            .iter()
            .filter(|d| !r.contents.iter().any(|c| c.media_type == d.media_type))
        {
            let msg = format!("response `{status}` may now come as `{}`", d.media_type);
            sink.push(
                Kind::ResponseContentTypeAdded,
                Class::NonBreaking,
                success && ok_changed,
                &s.pointer,
                msg,
            );
        }
        for (c, d) in pairs(&r.contents, &s.contents) {
            let location = format!(
                "{}/content/{}/schema",
                s.pointer,
                crate::load::escape_pointer(&d.media_type)
            );
            let response = Ctx {
                request: false,
                response: true,
            };
            if replaced(
                env,
                c,
                d,
                response,
                &location,
                &format!("response `{status}`"),
                sink,
            ) {
                continue;
            }
            let class = match content_diff(c, d, renames) {
                RefDiff::Same => continue,
                RefDiff::Changed | RefDiff::BecameNullable => Class::Breaking,
                RefDiff::BecameNonNullable => Class::NonBreaking,
            };
            let rust = !matches!((&c.ty, &d.ty), (Some(x), Some(y)) if rename(x, renames) == *y);
            let msg = format!(
                "response `{status}` (`{}`) changed from `{}` to `{}`",
                d.media_type,
                show_content(c),
                show_content(d)
            );
            sink.push(Kind::ResponseTypeChanged, class, rust, &location, msg);
        }
    }
}
