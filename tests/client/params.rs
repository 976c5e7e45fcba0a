//! Parameter encoding of generated operations: exploded array queries,
//! date-time queries, enum queries and percent-encoded path segments.

use chrono::{TimeZone, Utc};
use isometric_registry::types::{CreditBatchStatus, SortDirection};

use crate::client;
use crate::fixtures::{self, ORG};
use crate::mock_server::{MockResponse, MockServer};

fn empty_page() -> MockResponse {
    MockResponse::json(
        200,
        &serde_json::json!({
            "nodes": [], "total_count": 0,
            "page_info": fixtures::page_info(None, false)
        })
        .to_string(),
    )
}

#[tokio::test]
async fn array_query_is_repeated_keys_and_dates_are_rfc3339() {
    let server = MockServer::start(vec![empty_page(), empty_page()]).await;
    let client = client(&server.url());
    let after = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();
    let before = Utc.with_ymd_and_hms(2024, 6, 30, 23, 59, 58).unwrap()
        + chrono::Duration::milliseconds(250);
    client
        .list_organisation_credit_batches(ORG)
        .status(vec![CreditBatchStatus::Active, CreditBatchStatus::Retired])
        .issued_after(after)
        .issued_before(before)
        .sort_direction(SortDirection::Asc)
        .send()
        .await
        .unwrap();
    // An unknown enum value is sent as its text.
    client
        .list_organisation_credit_batches(ORG)
        .status(vec![CreditBatchStatus::Unknown("frozen".into())])
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].target,
        format!(
            "/registry/v0/organisations/{ORG}/credit_batches?status=active&status=retired\
             &issued_after=2021-01-01T00%3A00%3A00Z&issued_before=2024-06-30T23%3A59%3A58.250Z\
             &sort_direction=asc"
        )
    );
    assert_eq!(
        requests[1].target,
        format!("/registry/v0/organisations/{ORG}/credit_batches?status=frozen")
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let project = fixtures::project().to_string();
    let server = MockServer::start(vec![
        MockResponse::json(200, &project),
        MockResponse::json(200, &project),
        MockResponse::json(200, &fixtures::list(fixtures::credit_batch()).to_string()),
    ])
    .await;
    let client = client(&server.url());
    client.get_project("prj/../x y?z#w").send().await.unwrap();
    client.get_project("ünï%2F").send().await.unwrap();
    client
        .list_delivery_credit_batches("dlv 1&2")
        .send()
        .await
        .unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/registry/v0/projects/prj%2F..%2Fx%20y%3Fz%23w",
            "/registry/v0/projects/%C3%BCn%C3%AF%252F",
            "/registry/v0/deliveries/dlv%201%262/credit_batches",
        ]
    );
}
