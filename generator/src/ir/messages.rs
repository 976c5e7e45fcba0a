//! What an operation sends and answers: request bodies and responses by media type, which body
//! encoding the generated method uses, and what it returns or streams.

use serde::Serialize;

use super::{Docs, Operation, Primitive, TypeRef};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    pub required: bool,
    pub pointer: String,
    pub docs: Docs,
    /// One entry per media type, in a stable order.
    pub contents: Vec<Content>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    pub media_type: String,
    /// `None` when the spec gives no schema (body kept as bytes).
    pub ty: Option<TypeRef>,
    /// For `text/event-stream`: the event data that ends the stream (`[DONE]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_end: Option<String>,
    /// For `multipart/form-data`: the content type a file part declares, by property name
    /// (sent when the caller's file has none).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub part_types: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusSpec {
    Code(u16),
    /// `4XX` → 4.
    Range(u16),
    Default,
}

impl StatusSpec {
    pub fn is_success(&self) -> bool {
        match self {
            StatusSpec::Code(c) => (200..300).contains(c),
            StatusSpec::Range(r) => *r == 2,
            StatusSpec::Default => false,
        }
    }

    pub fn label(&self) -> String {
        match self {
            StatusSpec::Code(c) => c.to_string(),
            StatusSpec::Range(r) => format!("{r}XX"),
            StatusSpec::Default => "default".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub status: StatusSpec,
    pub pointer: String,
    pub docs: Docs,
    pub contents: Vec<Content>,
}

/// JSON media types (`application/json`, `application/problem+json`, and the wildcards).
pub fn is_json_media_type(media_type: &str) -> bool {
    let m = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*"
}

/// The media type without parameters, lower-cased.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A success body the generated `stream()` method reads as it arrives.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamBody<'a> {
    /// `text/event-stream`: events whose data has type `data` (JSON; `None`: any JSON value,
    /// a string schema: the text as is), ending at the `end` sentinel if declared.
    Events {
        content: &'a Content,
        data: Option<&'a TypeRef>,
        end: Option<&'a str>,
    },
    /// One JSON value per line (`application/x-ndjson`, `application/jsonl`) or per record
    /// (`application/json-seq`): items of type `item` (`None`: any JSON value).
    JsonItems {
        content: &'a Content,
        item: Option<&'a TypeRef>,
        json_seq: bool,
    },
    /// A binary download (octet-stream, images, PDFs, … with a binary or no schema): raw chunks.
    Bytes { content: &'a Content },
}

impl StreamBody<'_> {
    pub fn media_type(&self) -> &str {
        match self {
            StreamBody::Events { content, .. }
            | StreamBody::JsonItems { content, .. }
            | StreamBody::Bytes { content } => &content.media_type,
        }
    }
}

pub fn is_event_stream(media_type: &str) -> bool {
    essence(media_type) == "text/event-stream"
}

/// The streamed success body of `responses`: events first, then JSON items, then bytes.
pub fn stream_body(responses: &[Response]) -> Option<StreamBody<'_>> {
    let contents = || {
        responses
            .iter()
            .filter(|r| r.status.is_success())
            .flat_map(|r| r.contents.iter())
    };
    if let Some(content) = contents().find(|c| is_event_stream(&c.media_type)) {
        return Some(StreamBody::Events {
            content,
            data: content.ty.as_ref(),
            end: content.stream_end.as_deref(),
        });
    }
    let json_items = |c: &&Content| {
        matches!(
            essence(&c.media_type).as_str(),
            "application/x-ndjson" | "application/jsonl" | "application/json-seq"
        )
    };
    if let Some(content) = contents().find(json_items) {
        // A schema written as an array of the items describes the whole body.
        let item = match &content.ty {
            Some(TypeRef::List(item)) => Some(&**item),
            ty => ty.as_ref(),
        };
        return Some(StreamBody::JsonItems {
            content,
            item,
            json_seq: essence(&content.media_type) == "application/json-seq",
        });
    }
    contents()
        .find(|c| {
            is_binary_media_type(&c.media_type)
                && matches!(c.ty, None | Some(TypeRef::Primitive(Primitive::Binary)))
        })
        .map(|content| StreamBody::Bytes { content })
}

/// Media types whose bodies are not text: neither JSON, nor `text/*`, XML, forms or the
/// streaming formats above.
fn is_binary_media_type(media_type: &str) -> bool {
    let m = essence(media_type);
    !(is_json_media_type(&m)
        || m.starts_with("text/")
        || m.ends_with("/xml")
        || m.ends_with("+xml")
        || m.starts_with("multipart/")
        || m == "application/x-www-form-urlencoded"
        || m.contains("json"))
}

/// How the generated method sends a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Form,
    /// `multipart/form-data`: text fields and `format: binary` file parts.
    Multipart,
    Bytes,
}

impl BodyEncoding {
    /// Sent from a typed value (the generated method takes the schema's type).
    pub fn is_typed(self) -> bool {
        self != BodyEncoding::Bytes
    }
}

/// What the generated method returns on success.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessBody {
    Json(TypeRef),
    Bytes,
    Empty,
}

impl Operation {
    /// The request body the generated method sends: JSON when offered, else a form, else bytes.
    /// Shared by emission and diffing so both see the same Rust signature.
    pub fn request_body_content(&self) -> Option<(&Content, BodyEncoding)> {
        let body = self.body.as_ref()?;
        let typed = |pred: &dyn Fn(&str) -> bool| {
            body.contents
                .iter()
                .find(|c| pred(&c.media_type) && c.ty.is_some())
        };
        if let Some(c) = typed(&is_json_media_type) {
            return Some((c, BodyEncoding::Json));
        }
        if let Some(c) = typed(&|m| m.starts_with("application/x-www-form-urlencoded")) {
            return Some((c, BodyEncoding::Form));
        }
        if let Some(c) = typed(&|m| m.starts_with("multipart/form-data")) {
            return Some((c, BodyEncoding::Multipart));
        }
        body.contents.first().map(|c| (c, BodyEncoding::Bytes))
    }

    /// The success body `stream()` reads as it arrives, if any.
    pub fn stream_body(&self) -> Option<StreamBody<'_>> {
        stream_body(&self.responses)
    }

    /// The first JSON body among the success responses, else bytes if any has a body.
    pub fn success_body(&self) -> SuccessBody {
        let successes: Vec<&Response> = self
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .collect();
        let json = successes
            .iter()
            .flat_map(|r| r.contents.iter())
            .filter(|c| is_json_media_type(&c.media_type))
            .find_map(|c| c.ty.clone());
        match json {
            Some(ty) => SuccessBody::Json(ty),
            None if successes.iter().any(|r| !r.contents.is_empty()) => SuccessBody::Bytes,
            None => SuccessBody::Empty,
        }
    }
}
