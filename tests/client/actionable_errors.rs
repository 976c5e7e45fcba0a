//! Errors a user can act on: Display, helpers, one crate-wide error for `?`, decode errors with
//! the request id, and transport errors that say whether the request may have reached the server.

use isometric_registry::{
    operations::{CreateRetirementError, ListProjectsError},
    types::{CreateRetirementByBatchRequest, CreditBatchQuantity, RetirementPurpose},
    Client, ClientError, Error, RetryPolicy,
};
use serde_json::json;

use crate::fixtures::{project, CTB, ORG, ORG2, PRJ, SPL};
use crate::load_server::{LoadServer, Reply};
use crate::mock_server::{MockResponse, MockServer};
use crate::{builder, client};

/// A FastAPI 422 that echoes the caller's input (a secret, here) in `input`.
const VALIDATION: &str = r#"{"detail":[
  {"loc":["body","credit_batch_quantities",0,"credit_quantity_kg"],"msg":"Input should be greater than 0","type":"greater_than","input":"sk_live_echoed_secret"},
  {"loc":["body","beneficiary_id"],"msg":"Field required","type":"missing","input":{"token":"sk_live_echoed_secret"}}
]}"#;

fn retirement_request() -> CreateRetirementByBatchRequest {
    CreateRetirementByBatchRequest::builder()
        .beneficiary_organisation_id(ORG2)
        .credit_batch_quantities(vec![CreditBatchQuantity::builder()
            .credit_batch_id(CTB)
            .credit_quantity_kg(0)
            .build()])
        .owner_organisation_id(ORG)
        .retirement_purposes(vec![RetirementPurpose::CorporateTargets])
        .supplier_id(SPL)
        .build()
}

#[tokio::test]
async fn a_422_displays_operation_status_request_id_and_each_loc_and_msg() {
    let server = MockServer::start(vec![
        MockResponse::json(422, VALIDATION).header("x-request-id", "req_7d1")
    ])
    .await;
    let err = client(&server.url())
        .create_retirement(retirement_request())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "create_retirement: HTTP 422 Unprocessable Entity (request id req_7d1): \
         body.credit_batch_quantities.0.credit_quantity_kg: Input should be greater than 0; \
         body.beneficiary_id: Field required"
    );
    // The echoed `input` never reaches Display (a log line).
    assert!(!err.to_string().contains("sk_live_echoed_secret"));
    // The typed body without nested matches.
    let Some(CreateRetirementError::UnprocessableEntity(invalid)) = err.body() else {
        panic!("{err:?}")
    };
    assert_eq!(invalid.detail.as_ref().map(Vec::len), Some(2));
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.operation(), Some("create_retirement"));
    assert!(!err.is_retryable() && !err.is_not_found() && !err.is_timeout());
}

#[tokio::test]
async fn helpers_answer_without_matching() {
    let server = MockServer::start(vec![
        // 404 is not declared for get_project: still a plain `is_not_found()`.
        MockResponse::json(404, r#"{"detail":"Project not found"}"#).header("x-request-id", "r1"),
        MockResponse::json(429, r#"{"message":"slow down"}"#).header("retry-after", "3600"),
        MockResponse::status(503).header("retry-after", "3600"),
    ])
    .await;
    let client = client(&server.url());
    let missing = client.get_project(PRJ).send().await.unwrap_err();
    assert!(missing.is_not_found());
    assert_eq!(missing.request_id(), Some("r1"));
    assert!(missing.body().is_none(), "undeclared status: no typed body");
    assert_eq!(
        missing.to_string(),
        "get_project: HTTP 404 Not Found (request id r1): Project not found"
    );
    // Retry-After beyond the policy's cap: returned at once, not retried.
    let limited = client.get_project(PRJ).send().await.unwrap_err();
    assert!(limited.is_rate_limited() && limited.is_retryable());
    assert_eq!(
        limited.to_string(),
        "get_project: HTTP 429 Too Many Requests: slow down"
    );
    let unavailable = client.get_project(PRJ).send().await.unwrap_err();
    assert!(unavailable.is_retryable() && !unavailable.is_rate_limited());
    assert_eq!(server.requests().len(), 3);
}

/// A user's function calling two operations with different error types, one `?` each.
async fn project_then_retire(client: &Client) -> Result<String, ClientError> {
    let project = client.get_project(PRJ).send().await?;
    let retirement = client
        .create_retirement(retirement_request())
        .send()
        .await?;
    Ok(format!("{project:?} {}", retirement.id))
}

#[tokio::test]
async fn every_operation_error_converts_into_client_error_with_question_mark() {
    let server = MockServer::start(vec![
        MockResponse::json(200, &project().to_string()),
        MockResponse::json(422, VALIDATION).header("x-request-id", "req_42"),
    ])
    .await;
    let err = project_then_retire(&client(&server.url()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.request_id(), Some("req_42"));
    assert_eq!(err.operation(), Some("create_retirement"));
    assert!(
        err.to_string()
            .contains("body.beneficiary_id: Field required"),
        "{err}"
    );
    // The typed body comes back by naming its type.
    assert!(matches!(
        err.body::<CreateRetirementError>(),
        Some(CreateRetirementError::UnprocessableEntity(_))
    ));
    assert!(err.body::<ListProjectsError>().is_none());
    assert!(matches!(err.kind(), Error::Api(_)));
    // And on into `Box<dyn Error + Send + Sync>` like any error.
    let boxed: Box<dyn std::error::Error + Send + Sync> = err.into();
    assert!(boxed.to_string().starts_with("create_retirement: HTTP 422"));
}

#[tokio::test]
async fn a_decode_error_carries_the_request_id() {
    let mut broken = project();
    broken["status"] = json!(42);
    let server = MockServer::start(vec![
        MockResponse::json(200, &broken.to_string()).header("x-request-id", "req_dec")
    ])
    .await;
    let err = client(&server.url())
        .get_project(PRJ)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some("req_dec"));
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "status");
    assert_eq!(decode.operation, Some("get_project"));
    let shown = err.to_string();
    assert!(
        shown.starts_with("get_project: cannot decode HTTP 200 response at `status`"),
        "{shown}"
    );
    assert!(shown.ends_with("(request id req_dec)"), "{shown}");
}

#[tokio::test]
async fn a_connection_refused_never_reached_the_server() {
    // A port that was just free: nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = builder(&format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .create_retirement(retirement_request())
        .send()
        .await
        .unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("{err:?}")
    };
    assert!(!transport.may_have_reached_server());
    assert!(err.is_retryable(), "nothing was sent: safe to send again");
    assert!(
        err.to_string().contains("before the request was sent"),
        "{err}"
    );
}

#[tokio::test]
async fn a_reset_after_the_server_read_a_post_says_it_may_have_arrived() {
    let server = LoadServer::start(|_, _| Reply::Reset).await;
    let client = client(&server.url());
    let err = client
        .create_retirement(retirement_request())
        .send()
        .await
        .unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("{err:?}")
    };
    assert!(transport.may_have_reached_server());
    assert!(
        !err.is_retryable(),
        "a POST that may have arrived is not safe to resend"
    );
    assert!(
        err.to_string().contains("the server may have received it"),
        "{err}"
    );
    // Never sent twice.
    assert_eq!(server.requests().len(), 1);
    // A GET in the same situation is retried (and is safe to retry again).
    let err = client.get_project(PRJ).send().await.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(server.requests().len(), 1 + 3);
}
