//! The generated client of `tests/fixtures/streaming.yaml` (checked in as
//! `tests/streaming-client`): server-sent events, NDJSON and downloads read as
//! they arrive from the in-process mock, chunk by chunk.

#[allow(dead_code)] // Each test target uses a different part of the mock.
#[path = "../runtime/mock_server.rs"]
mod mock_server;

mod download;
mod ndjson;
mod sse;

use std::time::Duration;

use streaming_fixture::{Client, RetryPolicy};

use mock_server::Part;

pub const TOKEN: &str = "tok-streaming-1";
pub const API_KEY: &str = "key-streaming-1";

pub fn client(server_url: &str) -> Client {
    Client::builder()
        .base_url(server_url)
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .expect("client builds")
}

/// One HTTP chunk per piece.
pub fn chunks(pieces: &[&[u8]]) -> Vec<Part> {
    pieces.iter().map(|p| Part::Chunk(p.to_vec())).collect()
}

/// `text` cut into HTTP chunks at `cuts` (byte offsets, may fall inside a character).
pub fn cut_at(text: &str, cuts: &[usize]) -> Vec<Part> {
    let bytes = text.as_bytes();
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(bytes.len());
    bounds
        .windows(2)
        .map(|w| Part::Chunk(bytes[w[0]..w[1]].to_vec()))
        .collect()
}

/// Every other operation needs a bearer token or an API key, but `GET /health` is public
/// (`security: []`): a client without credentials is still useful, so `build()` succeeds.
#[tokio::test]
async fn builds_without_credentials_when_one_operation_is_public() {
    let server = mock_server::MockServer::start(vec![mock_server::MockResponse::status(204)]).await;
    let client = Client::builder()
        .base_url(server.url())
        .build()
        .expect("a public operation makes a client without credentials useful");
    client.get_health().send().await.expect("public call");
    assert!(server.requests()[0].header("authorization").is_none());
}
