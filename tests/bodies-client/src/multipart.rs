//! `multipart/form-data` request bodies.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use serde::Serialize;
use serde_json::Value;

use crate::encoding;
use crate::Binary;

/// The parts of a `multipart/form-data` body: text fields and files.
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    error: Option<String>,
}

#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field: strings as they are, numbers and booleans as JSON
    /// writes them, lists and objects as JSON (`application/json`); nothing
    /// for `null`, so an unset `Option` adds no part.
    pub fn text<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match encoding::to_value(name, value) {
            Ok(Value::Null) => {}
            Ok(v @ (Value::Array(_) | Value::Object(_))) => self.parts.push(Part {
                name: name.to_owned(),
                file_name: None,
                content_type: Some("application/json".to_owned()),
                body: v.to_string().into_bytes(),
            }),
            Ok(scalar) => self.parts.push(Part {
                name: name.to_owned(),
                file_name: None,
                content_type: None,
                body: encoding::scalar_text(&scalar).into_bytes(),
            }),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Adds a file part, named by the file's name (or the field name), typed by the file's
    /// content type (or `application/octet-stream`).
    pub fn file(self, name: &str, file: &Binary) -> Self {
        self.file_as(name, file, "application/octet-stream")
    }

    /// [`file`](Self::file), with `content_type` (what the spec declares for the part) sent
    /// when the file has no content type of its own.
    pub fn file_as(mut self, name: &str, file: &Binary, content_type: &str) -> Self {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name().unwrap_or(name).to_owned()),
            content_type: Some(file.content_type().unwrap_or(content_type).to_owned()),
            body: file.as_bytes().to_vec(),
        });
        self
    }

    /// Adds every top-level property of `value` as a text field (for bodies
    /// whose fields are not known one by one).
    pub fn fields<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        match encoding::to_value("multipart body", value) {
            Ok(Value::Object(map)) => {
                for (name, v) in &map {
                    self = self.text(name, v);
                }
            }
            Ok(_) => self.error = Some("a multipart body must serialize to an object".into()),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// The encoded body and its content type, or why it cannot be built.
    pub(crate) fn encode(self) -> Result<(Vec<u8>, String), String> {
        if let Some(error) = self.error {
            return Err(error);
        }
        // A boundary must not occur inside any part; a random one almost never
        // does, and is replaced if it does.
        let boundary = loop {
            let candidate = format!("oapi-{:016x}{:016x}", random(), random());
            let needle = candidate.as_bytes();
            let clashes = self
                .parts
                .iter()
                .any(|p| p.body.windows(needle.len()).any(|w| w == needle));
            if !clashes {
                break candidate;
            }
        };
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let name = quoted(&part.name);
            let disposition = match &part.file_name {
                Some(file) => format!("form-data; name=\"{name}\"; filename=\"{}\"", quoted(file)),
                None => format!("form-data; name=\"{name}\""),
            };
            body.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.body);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok((body, format!("multipart/form-data; boundary={boundary}")))
    }
}

/// A name inside a quoted header parameter: quotes and line breaks escaped as
/// browsers do (`%22`, `%0D`, `%0A`).
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn random() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_the_boundary() {
        let file = Binary::new(vec![0xff, 0x00, b'x']).with_file_name("a\"b.bin");
        let (body, content_type) = Multipart::new()
            .text("name", "Ann")
            .text("count", &3)
            .text("unset", &None::<String>)
            .text("tags", &["a", "b"])
            .file("upload", &file)
            .encode()
            .unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\
             Content-Type: application/json\r\n\r\n[\"a\",\"b\"]\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a%22b.bin\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\u{fffd}\u{0}x\r\n--{boundary}--\r\n"
        );
        assert_eq!(text, expected);
        // The file's bytes go through untouched (the text above shows them lossily).
        assert!(body.windows(3).any(|w| w == [0xff, 0x00, b'x']));
    }
}
