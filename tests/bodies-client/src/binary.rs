//! Raw bytes of a `format: binary` value.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The bytes of a `format: binary` value: a file part of a `multipart/form-data`
/// body, with an optional file name and content type.
///
/// Inside JSON, which has no encoding for raw bytes, it travels as a string
/// (bytes that are not UTF-8 are replaced when serialized).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Binary {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Binary {
    /// Wraps `bytes`, with no file name or content type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Binary {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with a multipart file part (default: the
    /// part's name).
    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the content type sent with a multipart file part (default:
    /// `application/octet-stream`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The file name, if one was set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if one was set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file's contents would flood any log; its size and name say enough.
        f.debug_struct("Binary")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary::new(bytes)
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary::new(text.into_bytes())
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Binary::new(text.as_bytes())
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Binary::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_and_quiet_debug() {
        let value = Binary::from("hello").with_file_name("a.txt");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"hello\"");
        let back: Binary = serde_json::from_str("\"hello\"").unwrap();
        assert_eq!(back.as_bytes(), b"hello");
        let debug = format!("{:?}", Binary::new(vec![0u8; 4096]));
        assert!(debug.contains("len: 4096") && debug.len() < 100, "{debug}");
    }
}
