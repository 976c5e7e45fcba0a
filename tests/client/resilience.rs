//! Retries, `Retry-After` and timeouts through generated operations.

use std::time::{Duration, Instant};

use isometric_registry::{
    types::{CreateRetirementByBatchRequest, CreditBatchQuantity, RetirementPurpose},
    Error, RetryPolicy,
};

use crate::fixtures::{self, CTB, ORG, ORG2, PRJ, SPL};
use crate::mock_server::{MockResponse, MockServer};
use crate::{builder, client, BASE_PATH};

#[tokio::test]
async fn get_retried_after_5xx_then_succeeds() {
    let server = MockServer::start(vec![
        MockResponse::status(503),
        MockResponse::json(502, r#"{"detail":"bad gateway"}"#),
        MockResponse::json(200, &fixtures::project().to_string()),
    ])
    .await;
    let project = client(&server.url())
        .get_project(PRJ)
        .send()
        .await
        .expect("third attempt succeeds")
        .expect("project present");
    assert_eq!(project.id, PRJ);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(r.target, format!("{BASE_PATH}/projects/{PRJ}"));
    }
}

/// A `status` answer carrying `Retry-After: retry_after`, then success: the client must wait
/// between `min` and `max` (its own backoff alone would be at most 5 ms).
async fn assert_retry_after_waits(status: u16, retry_after: &str, min: Duration, max: Duration) {
    let server = MockServer::start(vec![
        MockResponse::status(status).header("retry-after", retry_after),
        MockResponse::json(200, &fixtures::organisation().to_string()),
    ])
    .await;
    let started = Instant::now();
    let organisation = client(&server.url())
        .get_current_organisation()
        .send()
        .await
        .expect("retry succeeds");
    let waited = started.elapsed();
    assert_eq!(organisation.id, ORG);
    assert_eq!(server.requests().len(), 2);
    assert!(
        waited >= min && waited < max,
        "{retry_after}: waited {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    assert_retry_after_waits(429, "1", Duration::from_secs(1), Duration::from_secs(3)).await;
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    // Two seconds ahead, truncated to whole seconds: a wait in (1 s, 2 s].
    let at: chrono::DateTime<chrono::Utc> =
        (std::time::SystemTime::now() + Duration::from_secs(2)).into();
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let (min, max) = (Duration::from_millis(900), Duration::from_millis(2900));
    assert_retry_after_waits(503, &date, min, max).await;
}

#[tokio::test]
async fn post_is_not_retried_after_it_may_have_been_received() {
    let server = MockServer::start(vec![
        MockResponse::status(503),
        MockResponse::json(200, &fixtures::retirement().to_string()),
    ])
    .await;
    let body = CreateRetirementByBatchRequest::builder()
        .beneficiary_organisation_id(ORG2)
        .credit_batch_quantities(vec![CreditBatchQuantity::builder()
            .credit_batch_id(CTB)
            .credit_quantity_kg(1000)
            .build()])
        .owner_organisation_id(ORG)
        .retirement_purposes(vec![RetirementPurpose::Other])
        .supplier_id(SPL)
        .build();
    let err = client(&server.url())
        .create_retirement(body)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn slow_response_is_a_timeout() {
    let server = MockServer::start(vec![MockResponse::json(
        200,
        &fixtures::supplier().to_string(),
    )
    .delay(Duration::from_secs(3))])
    .await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.get_current_supplier().send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timeouts_of_idempotent_requests_are_retried() {
    let server = MockServer::start(vec![
        MockResponse::json(200, "{}").delay(Duration::from_secs(3)),
        MockResponse::json(200, &fixtures::supplier().to_string()),
    ])
    .await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let supplier = client.get_current_supplier().send().await.unwrap();
    assert_eq!(supplier.id, SPL);
    assert_eq!(server.requests().len(), 2);
}
