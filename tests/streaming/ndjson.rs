//! `application/x-ndjson`: one typed item per line.

use streaming_fixture::{types::Record, Error, StreamExt};

use super::{chunks, client, cut_at};
use crate::mock_server::{MockResponse, MockServer};

#[tokio::test]
async fn items_arrive_typed_with_blank_lines_skipped_and_lines_split_anywhere() {
    let body = "{\"n\":1,\"name\":\"caf\u{e9}\"}\r\n\n   \n{\"n\":2,\"name\":\"b\"}\n{\"n\":3,\"name\":\"c\"}";
    let accent = body.find('\u{e9}').unwrap();
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "application/x-ndjson",
        cut_at(body, &[3, accent + 1, accent + 2, 40]),
    )])
    .await;
    let items = client(&server.url())
        .get_export("e 1")
        .stream()
        .await
        .unwrap();
    let items: Vec<Record> = items.map(|item| item.unwrap()).collect().await;
    let names: Vec<(i64, &str)> = items.iter().map(|r| (r.n, r.name.as_str())).collect();
    assert_eq!(
        names,
        [(1, "caf\u{e9}"), (2, "b"), (3, "c")],
        "an unterminated complete last line counts"
    );
    let request = &server.requests()[0];
    assert_eq!(request.target, "/exports/e%201");
    assert_eq!(request.header("accept"), Some("application/x-ndjson"));
}

#[tokio::test]
async fn a_partial_last_line_is_an_interrupted_error() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "application/x-ndjson",
        chunks(&[b"{\"n\":1,\"name\":\"a\"}\n{\"n\":2,", b"\"na"]),
    )])
    .await;
    let mut items = client(&server.url())
        .get_export("e")
        .stream()
        .await
        .unwrap();
    assert_eq!(items.next().await.unwrap().unwrap().n, 1);
    let err = items.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Interrupted(i) if i.received == 29),
        "{err:?}"
    );
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn a_bad_line_is_a_decode_error_and_a_cut_body_is_interrupted() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "application/x-ndjson",
        chunks(&[
            b"{\"n\":\"x\",\"name\":\"a\"}\n{\"n\":2,\"name\":\"b\"}\n",
            b"{\"n\":3",
        ]),
    )
    .cut()])
    .await;
    let mut items = client(&server.url())
        .get_export("e")
        .stream()
        .await
        .unwrap();
    let bad = items.next().await.unwrap().unwrap_err();
    assert!(matches!(&bad, Error::Decode(d) if d.path == "n"), "{bad:?}");
    assert_eq!(items.next().await.unwrap().unwrap().n, 2);
    let cut = items.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&cut, Error::Interrupted(i) if i.source.is_some()),
        "{cut:?}"
    );
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn json_text_sequences_split_on_the_record_separator() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "application/json-seq",
        chunks(&[
            b"\x1e{\"n\":1,\n\"name\":\"a\"}\n\x1e",
            b"{\"n\":2,\"name\":\"b\"}\n",
        ]),
    )])
    .await;
    let items = client(&server.url())
        .get_audit_trail()
        .stream()
        .await
        .unwrap();
    let ns: Vec<i64> = items.map(|item| item.unwrap().n).collect().await;
    assert_eq!(ns, [1, 2]);
}
