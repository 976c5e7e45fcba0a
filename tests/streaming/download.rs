//! Binary downloads: `send()` still returns the bytes, `stream()` yields them as they arrive.

use std::sync::Arc;

use streaming_fixture::{operations::DownloadFileError, Error, ErrorBody, StreamExt};
use tokio::sync::Notify;

use super::{chunks, client};
use crate::mock_server::{MockResponse, MockServer, Part};

#[tokio::test]
async fn stream_yields_chunks_before_the_body_ends_and_bytes_collects() {
    let gate = Arc::new(Notify::new());
    let server = MockServer::start(vec![
        MockResponse::chunked(
            200,
            "application/octet-stream",
            vec![
                Part::Chunk(vec![0, 1, 2]),
                Part::Hold(gate.clone()),
                Part::Chunk(vec![255; 70_000]),
            ],
        ),
        MockResponse::chunked(
            200,
            "application/octet-stream",
            chunks(&[b"\x00\xff", b"tail"]),
        ),
        MockResponse::status(200)
            .header("content-type", "application/octet-stream")
            .body("whole"),
    ])
    .await;
    let client = client(&server.url());

    let mut body = client.download_file("f1").stream().await.unwrap();
    assert_eq!(body.status(), 200);
    assert_eq!(body.content_type(), Some("application/octet-stream"));
    // The server holds the rest back until the first chunk has been read.
    assert_eq!(&body.next().await.unwrap().unwrap()[..], [0, 1, 2]);
    gate.notify_one();
    let mut rest = 0;
    while let Some(chunk) = body.next().await {
        rest += chunk.unwrap().len();
    }
    assert_eq!(rest, 70_000);

    let collected = client
        .download_file("f2")
        .stream()
        .await
        .unwrap()
        .bytes()
        .await;
    assert_eq!(&collected.unwrap()[..], b"\x00\xfftail");
    assert_eq!(client.download_file("f3").send().await.unwrap(), b"whole");
    assert_eq!(
        server.requests()[0].header("accept"),
        Some("application/octet-stream")
    );
}

#[tokio::test]
async fn a_cut_download_is_an_interrupted_error_never_a_short_file() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "image/png",
        chunks(&[b"\x89PNG", b"\r\n"]),
    )
    .cut()])
    .await;
    let err = client(&server.url())
        .get_image("i")
        .stream()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap_err();
    let Error::Interrupted(cut) = &err else {
        panic!("expected Interrupted, got {err:?}")
    };
    assert_eq!((cut.status, cut.received), (200, 6));
    assert!(err.to_string().contains("after 6 bytes"), "{err}");
}

#[tokio::test]
async fn a_missing_file_is_the_typed_error() {
    let server = MockServer::start(vec![MockResponse::json(404, r#"{"code":"no_file"}"#)]).await;
    let err = client(&server.url())
        .download_file("f")
        .stream()
        .await
        .unwrap_err();
    let Error::Api(api) = err else {
        panic!("expected Api, got {err:?}")
    };
    assert!(matches!(
        &api.body,
        ErrorBody::Typed(DownloadFileError::NotFound(p)) if p.code == "no_file"
    ));
}

#[tokio::test]
async fn a_cross_origin_redirect_is_followed_without_credentials() {
    let cdn = MockServer::start(vec![MockResponse::chunked(
        200,
        "application/octet-stream",
        chunks(&[b"from the cdn"]),
    )])
    .await;
    let api = MockServer::start(vec![
        MockResponse::status(302).header("location", &format!("{}/blob/1", cdn.url()))
    ])
    .await;
    let body = client(&api.url())
        .download_file("f")
        .stream()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&body[..], b"from the cdn");
    assert!(api.requests()[0].header("authorization").is_some());
    let hop = &cdn.requests()[0];
    assert_eq!(hop.target, "/blob/1");
    assert_eq!(hop.header("authorization"), None);
}
