//! The path a decode error names (`nodes[3].status`) is found by re-reading the failed body; it
//! must be the path serde_path_to_error finds while decoding, for every kind of failure.

use std::collections::BTreeMap;

use isometric_registry::{raw::Response, Error};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Page {
    nodes: Vec<Node>,
    #[serde(default)]
    meta: Option<Meta>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Node {
    status: Status,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    scores: BTreeMap<String, Vec<i64>>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Active,
    Retired,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Meta {
    total: u32,
    #[serde(rename = "next.page")]
    next_page: Option<String>,
}

/// Our path and serde_path_to_error's for `body` decoded as `T`.
fn paths<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> (String, String) {
    let de = &mut serde_json::Deserializer::from_str(body);
    let expected = serde_path_to_error::deserialize::<_, T>(de)
        .expect_err(body)
        .path()
        .to_string();
    let response = Response::<Value>::new(200, Default::default(), body.to_owned());
    let Err(Error::Decode(decode)) = response.json::<T>() else {
        panic!("{body} decoded")
    };
    (decode.path, expected)
}

#[test]
fn decode_paths_match_tracking_while_decoding() {
    let pages = [
        // Wrong type, deep: after the value, before the closing brace.
        r#"{"nodes":[{"status":"active"},{"status":42}]}"#,
        // Unknown enum variant.
        r#"{"nodes":[{"status":"active"},{"status":"gone"}]}"#,
        // A missing field: reported at the object.
        r#"{"nodes":[{"status":"active"},{"tags":[]}]}"#,
        // Inside a list inside a map inside a list.
        r#"{"nodes":[{"status":"active","scores":{"a":[1,2],"b":[3,"x"]}}]}"#,
        // Strings holding quotes, braces, commas and escapes before the failure.
        r#"{"nodes":[{"status":"active","tags":["a\"b,{[","c\\"]},{"status":1}]}"#,
        // Keys with dots and escapes; a failure after a nested object closed.
        r#"{"meta":{"total":1,"next.page":null},"x":{"y":[1]},"nodes":[{"status":"active"},{"status":"x"}]}"#,
        r#"{"meta":{"total":-1},"nodes":[]}"#,
        r#"{"meta":{"next.page":5,"total":1},"nodes":[]}"#,
        // Spread over lines, with a BOM-free CRLF body.
        "{\r\n  \"nodes\": [\r\n    {\"status\": \"active\"},\r\n    {\"status\": \"retired\", \"tags\": [1]}\r\n  ]\r\n}",
        // The root itself.
        r#"[1,2]"#,
        r#"{"nodes":{}}"#,
        // Cut short and malformed.
        r#"{"nodes":[{"status":"act"#,
    ];
    for body in pages {
        let (ours, expected) = paths::<Page>(body);
        assert_eq!(ours, expected, "{body}");
    }
    // A trailing comma before `}`: tracking says `?` (a key it could not read), re-reading says
    // the object it is in.
    let (ours, expected) = paths::<Page>(r#"{"nodes":[{"status":"active"}],}"#);
    assert_eq!((ours.as_str(), expected.as_str()), (".", "?"));
    let (ours, expected) = paths::<Vec<Vec<Node>>>(r#"[[{"status":"active"}],[{"status":7}]]"#);
    assert_eq!(ours, expected);
    assert_eq!(ours, "[1][0].status");
}
