//! One shared client under injected faults: 10% `503 Retry-After: 0`, 5% connection resets
//! after the server read the request, 2% answers slower than the deadline. Every request
//! ends as a success or a typed error, none hangs, and no POST reaches the server twice.
//! (Figures for 1,000 requests: `cargo bench -p oapi-tests --bench load`.)

use std::time::Duration;

use isometric_registry::{Client, RetryPolicy};

use crate::scenario::{self, Faults, BASE_PATH};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_ends_typed_and_no_post_is_sent_twice() {
    let server = scenario::server(Some(Faults::standard())).await;
    let client = Client::builder()
        .base_url(format!("{}{BASE_PATH}", server.url()))
        .bearer_token("token")
        .client_secret("test-client-secret")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .deadline(Duration::from_secs(1))
        .max_concurrent_requests(32)
        .build()
        .unwrap();
    let n = 300;
    // A guard against a hang, far above the 1 s deadline; not a measurement.
    let done = tokio::time::timeout(Duration::from_secs(60), scenario::run(&client, n, 4))
        .await
        .expect("no request hangs");
    assert_eq!(done.len(), n);
    let kinds = scenario::by_kind(&done);
    assert!(
        !kinds.contains_key("other") && !kinds.contains_key("decode"),
        "{kinds:?}"
    );
    assert!(kinds["ok"] > n / 2, "{kinds:?}");
    assert!(
        kinds.contains_key("timeout"),
        "the slow answers pass the deadline: {kinds:?}"
    );

    let seen = server.requests();
    let receipts = scenario::post_receipts(&seen);
    let twice: Vec<_> = receipts.iter().filter(|(_, count)| **count > 1).collect();
    assert!(twice.is_empty(), "POSTs received twice: {twice:?}");
    // POSTs that failed after leaving were not retried; GETs were.
    let posts_failed_after_sending = done
        .iter()
        .filter(|d| d.post && d.kind == "transport (may have reached)")
        .count();
    assert!(posts_failed_after_sending > 0, "{kinds:?}");
    let gets = seen.iter().filter(|r| r.method == "GET").count();
    assert!(
        gets > done.iter().filter(|d| !d.post).count(),
        "GETs were retried"
    );
}
