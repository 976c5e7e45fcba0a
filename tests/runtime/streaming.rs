//! Streamed bodies (`Client::execute_streaming`): the timeout bounds the wait for
//! the head and for each chunk, never the whole stream.

use std::sync::Arc;
use std::time::Duration;

use isometric_registry::{
    raw::{Method, Request},
    Error, StreamExt,
};
use serde_json::Value;
use tokio::sync::Notify;

use crate::builder;
use crate::mock_server::{MockResponse, MockServer, Part};

#[tokio::test]
async fn a_stream_may_outlive_the_timeout_but_not_stall_longer_than_it() {
    let gates: Vec<Arc<Notify>> = (0..3).map(|_| Arc::new(Notify::new())).collect();
    let mut parts = Vec::new();
    for gate in &gates {
        parts.push(Part::Chunk(b"tick".to_vec()));
        parts.push(Part::Hold(gate.clone()));
    }
    let server = MockServer::start(vec![MockResponse::chunked(200, "text/plain", parts)]).await;
    let timeout = Duration::from_millis(400);
    let client = builder(&server.url()).timeout(timeout).build().unwrap();
    let started = std::time::Instant::now();
    let request = Request::new(Method::GET, "/ticks");
    let mut body = client.execute_streaming::<Value>(request).await.unwrap();
    // Two gaps of 300 ms: more than the timeout in total, less each.
    for gate in &gates[..2] {
        assert_eq!(&body.next().await.unwrap().unwrap()[..], b"tick");
        let gate = gate.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            gate.notify_one();
        });
    }
    assert_eq!(&body.next().await.unwrap().unwrap()[..], b"tick");
    assert!(started.elapsed() > timeout);
    // The last gate is never opened: the next wait times out and ends the stream.
    assert!(matches!(body.next().await, Some(Err(Error::Timeout))));
    assert!(body.next().await.is_none());
}

#[tokio::test]
async fn a_slow_head_times_out() {
    // Each attempt times out; a GET is retried like any timed-out idempotent request.
    let server = MockServer::start(vec![
        MockResponse::status(200)
            .delay(Duration::from_millis(500));
        3
    ])
    .await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let request = Request::new(Method::GET, "/slow");
    let err = client
        .execute_streaming::<Value>(request)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert_eq!(server.requests().len(), 3);
}
