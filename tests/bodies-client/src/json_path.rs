//! Where in a JSON body decoding failed, as `nodes[3].status`: found by re-reading the text up to
//! the position serde_json reports. Tracking the path while decoding (serde_path_to_error) would
//! compile a second decoder for every response type of the API, most of a generated crate's
//! build time; this reads only bodies that already failed.

/// One open container between the root and the error.
enum Frame {
    /// The key being read or last read (`None` before the first), and whether the next string
    /// is a key.
    Object {
        key: Option<String>,
        expects_key: bool,
    },
    /// The index of the element being read.
    Array { index: usize },
}

/// The path of the value that contains the byte at serde_json's (1-based) `line` and
/// (0-based) `column`: keys joined by `.`, indices as `[n]`, `.` for the root.
pub(crate) fn path_at(body: &[u8], line: usize, column: usize) -> String {
    let end = offset(body, line, column);
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match body[i] {
            b'"' => {
                let close = string_end(body, i);
                if let Some(Frame::Object { key, expects_key }) = stack.last_mut() {
                    if *expects_key {
                        let text = &body[i..(close + 1).min(body.len())];
                        *key = serde_json::from_slice::<String>(text).ok();
                        *expects_key = false;
                    }
                }
                i = close;
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                expects_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            // A value that ended before the error: its parent's key or index stays current.
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expects_key, .. }) => *expects_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    render(&stack)
}

/// The byte offset of a serde_json position (it counts columns in bytes from 0).
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start = body
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line.saturating_sub(2))
        .map_or(0, |(i, _)| i + 1);
    let start = if line <= 1 { 0 } else { line_start };
    (start + column).min(body.len())
}

/// The index of the quote closing the string that opens at `open`.
fn string_end(body: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    body.len()
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}
