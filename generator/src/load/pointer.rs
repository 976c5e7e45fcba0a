//! JSON pointers (RFC 6901): escaping a segment and following a `#/…` fragment.

use serde_json::Value;

/// Escape one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

pub(super) fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Follow a JSON pointer fragment (`/components/schemas/X`) inside a value.
pub fn resolve_pointer<'a>(doc: &'a Value, fragment: &str) -> Option<&'a Value> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.is_empty() {
        return Some(doc);
    }
    fragment.split('/').skip(1).try_fold(doc, |v, seg| {
        // Most segments are plain names: no escapes, no allocation.
        let seg: std::borrow::Cow<str> = if seg.contains(['~', '%']) {
            unescape_pointer(&percent_decode(seg)).into()
        } else {
            seg.into()
        };
        match v {
            Value::Object(m) => m.get(seg.as_ref()),
            Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
    })
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            // Check the bytes before slicing: `%` may precede a multi-byte character.
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
