//! Per-request options (`.with_options(RequestOptions)`), deadlines, and cancellation on drop.

use std::time::Duration;

use isometric_registry::{
    types::{CreateRetirementByBatchRequest, CreditBatchQuantity, RetirementPurpose},
    Error, RequestOptions,
};

use crate::fixtures::{project, retirement, CTB, ORG, ORG2, PRJ, SPL};
use crate::mock_server::{MockResponse, MockServer};
use crate::{client, ACCESS_TOKEN, CLIENT_SECRET};

fn retirement_request() -> CreateRetirementByBatchRequest {
    CreateRetirementByBatchRequest::builder()
        .beneficiary_organisation_id(ORG2)
        .credit_batch_quantities(vec![CreditBatchQuantity::builder()
            .credit_batch_id(CTB)
            .credit_quantity_kg(1000)
            .build()])
        .owner_organisation_id(ORG)
        .retirement_purposes(vec![RetirementPurpose::CorporateTargets])
        .supplier_id(SPL)
        .build()
}

#[tokio::test]
async fn bearer_token_headers_and_idempotency_key_per_request() {
    let server = MockServer::start(vec![MockResponse::json(200, &retirement().to_string())]).await;
    let options = RequestOptions::new()
        .bearer_token("org-2-acting-token")
        .header("x-trace-tag", "nightly")
        .idempotency_key("retire-2024-06-01-42");
    client(&server.url())
        .create_retirement(retirement_request())
        .with_options(options)
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer org-2-acting-token")
    );
    assert_eq!(sent.header("x-trace-tag"), Some("nightly"));
    assert_eq!(sent.header("idempotency-key"), Some("retire-2024-06-01-42"));
    assert_eq!(sent.header("x-client-secret"), Some(CLIENT_SECRET));
    // The next request without options is back to the client's token.
    let server = MockServer::start(vec![MockResponse::json(200, &project().to_string())]).await;
    client(&server.url()).get_project(PRJ).send().await.unwrap();
    let expected = format!("Bearer {ACCESS_TOKEN}");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(expected.as_str())
    );
}

#[tokio::test]
async fn an_idempotency_key_makes_a_post_retryable() {
    let script = || {
        vec![
            MockResponse::status(503).header("retry-after", "0"),
            MockResponse::json(200, &retirement().to_string()),
        ]
    };
    let server = MockServer::start(script()).await;
    let err = client(&server.url())
        .create_retirement(retirement_request())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        server.requests().len(),
        1,
        "a POST without a key is sent once"
    );

    let server = MockServer::start(script()).await;
    client(&server.url())
        .create_retirement(retirement_request())
        .with_options(RequestOptions::new().idempotency_key("k-1"))
        .send()
        .await
        .unwrap();
    let keys: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("idempotency-key").map(str::to_owned))
        .collect();
    assert_eq!(keys, [Some("k-1".to_owned()), Some("k-1".to_owned())]);
}

#[tokio::test]
async fn attempt_timeout_and_max_attempts() {
    let slow = MockResponse::json(200, &project().to_string()).delay(Duration::from_secs(5));
    let server = MockServer::start(vec![slow; 4]).await;
    let err = client(&server.url())
        .get_project(PRJ)
        .with_options(
            RequestOptions::new()
                .attempt_timeout(Duration::from_millis(50))
                .max_attempts(2),
        )
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_deadline_covers_every_attempt_and_backoff() {
    // A retry whose wait would end past the deadline is not made: the 503 comes back.
    let server = MockServer::start(vec![
        MockResponse::status(503).header("retry-after", "2"),
        MockResponse::json(200, &project().to_string()),
    ])
    .await;
    let options = RequestOptions::new()
        .max_attempts(5)
        .deadline(Duration::from_millis(500));
    let err = client(&server.url())
        .get_project(PRJ)
        .with_options(options.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 1);

    // A server slower than the deadline: the attempt is cut short by it, and no retry follows.
    let slow = MockResponse::json(200, &project().to_string()).delay(Duration::from_secs(5));
    let server = MockServer::start(vec![slow; 3]).await;
    let err = client(&server.url())
        .get_project(PRJ)
        .with_options(options.attempt_timeout(Duration::from_secs(30)))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert_eq!(server.requests().len(), 1);

    // The client-wide deadline applies the same way.
    let slow = MockResponse::json(200, &project().to_string()).delay(Duration::from_secs(5));
    let server = MockServer::start(vec![slow; 3]).await;
    let client = crate::builder(&server.url())
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    assert!(client
        .get_project(PRJ)
        .send()
        .await
        .unwrap_err()
        .is_timeout());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_invalid_option_header_fails_before_sending() {
    let server = MockServer::start(vec![]).await;
    let err = client(&server.url())
        .get_project(PRJ)
        .with_options(RequestOptions::new().header("bad header", "x"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("bad header")),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn options_debug_shows_no_secret() {
    let options = RequestOptions::new()
        .bearer_token("tok-secret-1")
        .header("x-api-key", "hdr-secret-2")
        .idempotency_key("key-3");
    let shown = format!("{options:?}");
    for secret in ["tok-secret-1", "hdr-secret-2", "key-3"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("x-api-key"), "{shown}");
}

#[tokio::test]
async fn dropping_the_future_cancels_and_never_retries() {
    let server = MockServer::start(vec![
        MockResponse::status(503).header("retry-after", "1"),
        MockResponse::json(200, &project().to_string()),
    ])
    .await;
    let client = client(&server.url());
    // Given up while the client waits out `Retry-After: 1` before its second attempt.
    let call = client.get_project(PRJ).send();
    assert!(tokio::time::timeout(Duration::from_millis(300), call)
        .await
        .is_err());
    assert_eq!(server.requests().len(), 1);
    // Well past the retry's due time: nothing was sent, because nothing runs after a drop.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        server.requests().len(),
        1,
        "no retry after the future was dropped"
    );
    // The client is unaffected.
    assert!(client.get_project(PRJ).send().await.is_ok());
}
