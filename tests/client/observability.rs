//! `tracing` output and middleware, as a service using the client would set them up.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use isometric_registry::reqwest::header::{HeaderMap, HeaderValue};
use isometric_registry::{
    raw::{Method, Request},
    ApiKeyLocation, Attempt, CannedResponse, Credential, Middleware, Outcome,
};
use serde_json::Value;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::fixtures::{page_info, project, PRJ};
use crate::mock_server::{MockResponse, MockServer};
use crate::{builder, ACCESS_TOKEN, CLIENT_SECRET};

/// Everything a `tracing_subscriber::fmt` subscriber printed.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The process-wide subscriber, installed once. (A thread-local `set_default` would race
/// with tests on other threads over `tracing`'s per-callsite interest cache.)
fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        tracing_subscriber::fmt()
            .with_max_level(LevelFilter::DEBUG)
            .with_writer(move || writer.clone())
            .finish()
            .init();
        captured
    })
}

#[tokio::test]
async fn a_request_logs_its_span_retry_and_response_but_no_secret() {
    let captured = captured();
    let page =
        serde_json::json!({"nodes": [], "page_info": page_info(None, false), "total_count": 0});
    let server = MockServer::start(vec![
        MockResponse::status(503)
            .header("retry-after", "0")
            .header("x-request-id", "req_trace_0"),
        MockResponse::json(200, &page.to_string()).header("x-request-id", "req_trace_1"),
        MockResponse::json(200, "{}").header("x-request-id", "req_trace_2"),
    ])
    .await;
    let client = builder(&server.url())
        .credential(
            "query_key",
            Credential::ApiKey {
                location: ApiKeyLocation::Query,
                name: "api_key".into(),
                value: "qk-secret-in-query".into(),
            },
        )
        .build()
        .unwrap();
    client
        .list_projects()
        .after("cursor-value-7")
        .send()
        .await
        .unwrap();
    let raw = Request::new(Method::GET, "/raw").security(&[&["query_key"]]);
    client.execute::<Value>(raw).await.unwrap();
    assert!(server.requests()[2]
        .target
        .contains("api_key=qk-secret-in-query"));

    let logs = captured.text();
    let ours: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("isometric_registry"))
        .collect();
    // Events carry the span's fields; the retry follows the 503's `request_id`.
    let retry = ours
        .iter()
        .find(|l| l.contains("retrying") && l.contains("request_id=\"req_trace_0\""))
        .expect(&logs);
    for field in [
        "operation=\"list_projects\"",
        "method=GET",
        "path=\"/projects\"",
        "reason=\"HTTP 503\"",
        "delay_ms=0",
    ] {
        assert!(retry.contains(field), "{field} in {retry}");
    }
    let response = ours
        .iter()
        .find(|l| l.contains("request_id=\"req_trace_1\""))
        .expect(&logs);
    for field in ["attempt=2", "status=200", "duration_ms="] {
        assert!(response.contains(field), "{field} in {response}");
    }
    let raw = ours
        .iter()
        .find(|l| l.contains("request_id=\"req_trace_2\""))
        .expect(&logs);
    assert!(raw.contains("path=\"/raw\""), "{raw}");
    for secret in [
        ACCESS_TOKEN,
        CLIENT_SECRET,
        "qk-secret-in-query",
        "cursor-value-7",
    ] {
        assert!(!logs.contains(secret), "{secret} logged:\n{logs}");
    }
}

/// Adds a tenant header to every attempt.
struct Tenant(&'static str);

impl Middleware for Tenant {
    fn before_send(&self, _: &Attempt<'_>, headers: &mut HeaderMap) -> Option<CannedResponse> {
        headers.insert("x-tenant", HeaderValue::from_static(self.0));
        None
    }
}

/// Counts attempts per operation and status, as a metrics exporter would.
#[derive(Clone, Default)]
struct Metrics(Arc<Mutex<BTreeMap<String, u32>>>);

impl Middleware for Metrics {
    fn after_receive(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>, _: Duration) {
        let what = match outcome {
            Outcome::Response { status, .. } => status.to_string(),
            Outcome::Failed { timeout: true, .. } => "timeout".to_owned(),
            _ => "failed".to_owned(),
        };
        let key = format!(
            "{} {} {} #{} {what}",
            attempt.operation.unwrap_or("-"),
            attempt.method,
            attempt.path,
            attempt.attempt
        );
        *self.0.lock().unwrap().entry(key).or_default() += 1;
    }
}

#[tokio::test]
async fn middleware_adds_a_header_and_counts_every_attempt() {
    let server = MockServer::start(vec![
        MockResponse::status(503).header("retry-after", "0"),
        MockResponse::json(200, &project().to_string()),
    ])
    .await;
    let metrics = Metrics::default();
    let client = builder(&server.url())
        .middleware(Tenant("blue"))
        .middleware(metrics.clone())
        .build()
        .unwrap();
    client.get_project(PRJ).send().await.unwrap();
    let tenants: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-tenant").map(str::to_owned))
        .collect();
    assert_eq!(tenants, [Some("blue".to_owned()), Some("blue".to_owned())]);
    let counted: Vec<String> = metrics.0.lock().unwrap().keys().cloned().collect();
    assert_eq!(
        counted,
        [
            "get_project GET /projects/{id} #1 503",
            "get_project GET /projects/{id} #2 200",
        ]
    );
}

/// Answers `GET /projects/{id}` itself; everything else goes to the network.
struct CachedProjects;

impl Middleware for CachedProjects {
    fn before_send(&self, attempt: &Attempt<'_>, _: &mut HeaderMap) -> Option<CannedResponse> {
        (attempt.operation == Some("get_project"))
            .then(|| CannedResponse::json(200, &project()).header("x-request-id", "cache"))
    }
}

#[tokio::test]
async fn middleware_can_short_circuit_with_a_canned_response() {
    let server = MockServer::start(vec![]).await;
    let client = builder(&server.url())
        .middleware(CachedProjects)
        .build()
        .unwrap();
    let response = client.get_project(PRJ).send_with_response().await.unwrap();
    assert_eq!(response.request_id(), Some("cache"));
    assert!(response.value().is_some());
    assert!(server.requests().is_empty(), "nothing was sent");
}
