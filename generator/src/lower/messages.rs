//! An operation's request body and responses: one [`Content`] per media type, the body's
//! `$ref`s to `components/requestBodies` resolved, responses by status with their headers.

use std::collections::BTreeMap;

use openapiv3::{
    ReferenceOr, RequestBody, Response as OaResponse, Schema, SchemaKind, StatusCode, Type,
};

use super::names::type_name;
use super::operations::{docs, RawOp};
use super::schema::wrap_nullable;
use super::Lowerer;
use crate::ir::{is_event_stream, Content, RequestBody as IrBody, Response, StatusSpec};
use crate::load::escape_pointer;

fn status_spec(code: &StatusCode) -> StatusSpec {
    match code {
        StatusCode::Code(c) => StatusSpec::Code(*c),
        StatusCode::Range(r) => StatusSpec::Range(*r),
    }
}

impl<'d> Lowerer<'d> {
    /// One [`Content`] per media type, in the spec's order.
    fn lower_contents(
        &mut self,
        content: &'d openapiv3::Content,
        hint: &str,
        pointer: &str,
    ) -> Vec<Content> {
        content
            .iter()
            .map(|(media_type, media)| Content {
                media_type: media_type.clone(),
                ty: media.schema.as_ref().map(|s| {
                    let schema_pointer =
                        format!("{pointer}/content/{}/schema", escape_pointer(media_type));
                    let l = self.lower_ref_or(s, hint, &schema_pointer);
                    wrap_nullable(l.ty, l.nullable)
                }),
                stream_end: None,
                part_types: self.part_types(media),
            })
            .collect()
    }

    /// The content type each file part of a multipart body declares: the media type's
    /// `encoding.<part>.contentType` (its first concrete entry: `image/*` names no type to
    /// send), else the part schema's 3.1 `contentMediaType` (of the items, for a list).
    fn part_types<'a>(&'a self, media: &'a openapiv3::MediaType) -> BTreeMap<String, String> {
        let mut types = BTreeMap::new();
        let boxed = |schema: &'a ReferenceOr<Box<Schema>>| match schema {
            ReferenceOr::Item(schema) => Some(schema.as_ref()),
            ReferenceOr::Reference { reference } => self.component(reference),
        };
        let body = match media.schema.as_ref() {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            Some(ReferenceOr::Reference { reference }) => self.component(reference),
            None => None,
        };
        if let Some(SchemaKind::Type(Type::Object(object))) = body.map(|b| &b.schema_kind) {
            for (name, property) in &object.properties {
                let mut schema = boxed(property);
                if let Some(SchemaKind::Type(Type::Array(array))) = schema.map(|s| &s.schema_kind) {
                    schema = array.items.as_ref().and_then(boxed);
                }
                let declared = schema
                    .and_then(|s| s.schema_data.extensions.get("x-contentMediaType"))
                    .and_then(|v| v.as_str());
                if let Some(declared) = declared {
                    types.insert(name.clone(), declared.to_owned());
                }
            }
        }
        for (name, encoding) in &media.encoding {
            let concrete = encoding.content_type.as_deref().and_then(|list| {
                list.split(',')
                    .map(str::trim)
                    .find(|t| !t.is_empty() && !t.contains('*'))
            });
            if let Some(content_type) = concrete {
                types.insert(name.clone(), content_type.to_owned());
            }
        }
        types
    }

    pub(super) fn lower_body(
        &mut self,
        body: &'d ReferenceOr<RequestBody>,
        op_pointer: &str,
        hint_base: &str,
    ) -> Option<IrBody> {
        let mut pointer = format!("{op_pointer}/requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/")?;
                pointer = format!("#/components/requestBodies/{name}");
                match self
                    .doc
                    .components
                    .as_ref()?
                    .request_bodies
                    .get(&super::schema::unescape(name))?
                {
                    ReferenceOr::Item(b) => b,
                    ReferenceOr::Reference { .. } => return None,
                }
            }
        };
        let contents = self.lower_contents(&body.content, &format!("{hint_base}Request"), &pointer);
        Some(IrBody {
            required: body.required,
            pointer,
            docs: docs(&None, &body.description, false),
            contents,
        })
    }

    pub(super) fn lower_responses(&mut self, op: &RawOp<'d>, hint_base: &str) -> Vec<Response> {
        let mut entries: Vec<(StatusSpec, &'d ReferenceOr<OaResponse>, String)> = op
            .op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                (
                    status_spec(code),
                    r,
                    format!("{}/responses/{}", op.pointer, code),
                )
            })
            .collect();
        if let Some(default) = &op.op.responses.default {
            entries.push((
                StatusSpec::Default,
                default,
                format!("{}/responses/default", op.pointer),
            ));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let success_count = entries.iter().filter(|e| e.0.is_success()).count();
        let mut out = Vec::new();
        for (status, response, mut pointer) in entries {
            let response = match response {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    let resolved =
                        reference
                            .strip_prefix("#/components/responses/")
                            .and_then(|name| {
                                self.doc
                                    .components
                                    .as_ref()?
                                    .responses
                                    .get(&super::schema::unescape(name))
                            });
                    match resolved {
                        Some(ReferenceOr::Item(r)) => {
                            pointer = reference.clone();
                            r
                        }
                        _ => {
                            self.warn(
                                &pointer,
                                format!("response $ref `{reference}` does not resolve"),
                            );
                            continue;
                        }
                    }
                }
            };
            let hint = if status.is_success() && success_count == 1 {
                format!("{hint_base}Response")
            } else {
                format!("{hint_base}{}Response", type_name(&status.label()))
            };
            let mut contents = self.lower_contents(&response.content, &hint, &pointer);
            for (content, media) in contents.iter_mut().zip(response.content.values()) {
                if is_event_stream(&content.media_type) {
                    content.stream_end =
                        super::streaming::stream_end(media, &response.description, op.op);
                }
            }
            out.push(Response {
                status,
                pointer,
                docs: docs(&None, &Some(response.description.clone()), false),
                contents,
            });
        }
        out
    }
}
