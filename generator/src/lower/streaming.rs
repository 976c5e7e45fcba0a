//! The end sentinel of an event stream (OpenAI's `data: [DONE]`).
//!
//! Declared with `x-stream-end: "<data>"` on the `text/event-stream` media type object
//! (`x-stream-end: false` declares none). Without it, a literal `[DONE]` in the response's
//! description, the media type's examples, or the operation's summary or description declares
//! `[DONE]`.

use openapiv3::{MediaType, Operation, ReferenceOr};
use serde_json::Value;

const DONE: &str = "[DONE]";

pub fn stream_end(media: &MediaType, response_description: &str, op: &Operation) -> Option<String> {
    if let Some(declared) = media.extensions.get("x-stream-end") {
        return declared.as_str().map(str::to_owned);
    }
    let examples = media
        .example
        .iter()
        .chain(media.examples.values().filter_map(|example| match example {
            ReferenceOr::Item(example) => example.value.as_ref(),
            ReferenceOr::Reference { .. } => None,
        }));
    let mentions = |text: &str| text.contains(DONE);
    let in_example = |value: &Value| match value {
        Value::String(text) => mentions(text),
        other => mentions(&other.to_string()),
    };
    let declared = mentions(response_description)
        || examples.into_iter().any(in_example)
        || op.summary.as_deref().is_some_and(mentions)
        || op.description.as_deref().is_some_and(mentions);
    declared.then(|| DONE.to_owned())
}
