//! How a user unit-tests their own code that calls the client: with fixtures built by the
//! public constructors, against a local mock server through `base_url`, or with a
//! `CannedResponse` middleware and no network at all.

use std::time::Duration;

use isometric_registry::reqwest::header::{HeaderMap, HeaderValue};
use isometric_registry::{
    operations::GetProjectError, raw::Response, types::Project, Attempt, CannedResponse, Client,
    ClientError, Error, Middleware, ResponseValue, RetryPolicy, TransportError,
};

use crate::fixtures::{project, PRJ};
use crate::mock_server::{MockResponse, MockServer};

// ---- The user's code under test -------------------------------------------------------

/// The project's name, or `None` when it does not exist.
async fn project_name(client: &Client, id: &str) -> Result<Option<String>, ClientError> {
    match client.get_project(id).send().await {
        Ok(project) => Ok(project.map(|p| p.name)),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// What to tell an operator about a call's outcome.
fn describe(result: &Result<ResponseValue<Option<Project>>, Error<GetProjectError>>) -> String {
    match result {
        Ok(response) => format!("ok ({})", response.request_id().unwrap_or("no id")),
        Err(err) if err.is_retryable() => format!("try later: {err}"),
        Err(err) => format!("failed: {err}"),
    }
}

// ---- Its tests ------------------------------------------------------------------------

fn headers(request_id: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_str(request_id).unwrap());
    headers
}

#[test]
fn fixtures_build_the_values_and_errors_the_client_returns() {
    let value = serde_json::from_value(project()).unwrap();
    let ok = Ok(ResponseValue::new(200, headers("req_ok"), value));
    assert_eq!(describe(&ok), "ok (req_ok)");

    // Exactly the error a server's 503 would produce.
    let unavailable = Error::api_response(503, headers("req_503"), r#"{"detail":"maintenance"}"#);
    assert_eq!(
        describe(&Err(unavailable)),
        "try later: HTTP 503 Service Unavailable (request id req_503): maintenance"
    );

    // A body that does not decode, through the same path as a real response.
    let decode = Response::<GetProjectError>::new(200, headers("req_bad"), r#"{"id":1}"#)
        .json::<Project>()
        .unwrap_err();
    assert!(describe(&Err(decode)).starts_with("failed: cannot decode HTTP 200"));

    let reset = Error::Transport(TransportError::new("connection reset", true));
    assert_eq!(
        describe(&Err(reset)),
        "failed: transport error: connection failed after the request was sent \
         (the server may have received it): connection reset"
    );
    let refused = Error::Transport(TransportError::new("connection refused", false));
    assert!(describe(&Err(refused)).starts_with("try later:"));
}

#[tokio::test]
async fn against_a_local_mock_server() {
    // Any HTTP mock works (this one is tests/runtime/mock_server.rs; `wiremock` is the
    // common crate): point `base_url` at it.
    let server = MockServer::start(vec![
        MockResponse::json(200, &project().to_string()),
        MockResponse::json(404, r#"{"detail":"Not Found"}"#),
        MockResponse::status(500),
    ])
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .bearer_token("test-token")
        .client_secret("test-client-secret")
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let name = project_name(&client, PRJ).await.unwrap();
    assert_eq!(name.as_deref(), Some("Project"));
    assert_eq!(project_name(&client, PRJ).await.unwrap(), None);
    let err = project_name(&client, PRJ).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(server.requests()[0].target, format!("/projects/{PRJ}"));
}

/// An in-process mock: canned answers by operation, no socket.
struct Mock;

impl Middleware for Mock {
    fn before_send(&self, attempt: &Attempt<'_>, _: &mut HeaderMap) -> Option<CannedResponse> {
        Some(match attempt.operation {
            Some("get_project") => {
                CannedResponse::json(404, &serde_json::json!({"detail": "gone"}))
            }
            _ => CannedResponse::new(501),
        })
    }
}

#[tokio::test]
async fn with_canned_responses_and_no_network() {
    // The base URL is never dialled.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .client_secret("test-client-secret")
        .bearer_token("test-token")
        .middleware(Mock)
        .build()
        .unwrap();
    assert_eq!(project_name(&client, PRJ).await.unwrap(), None);
}
