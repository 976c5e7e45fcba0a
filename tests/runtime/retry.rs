//! Retries, Retry-After and timeouts.

use std::time::{Duration, Instant, SystemTime};

use isometric_registry::{
    raw::{Method, Request},
    Error, RetryPolicy,
};
use serde_json::Value;
use tokio::net::TcpListener;

use crate::builder;
use crate::mock_server::{MockResponse, MockServer};

#[tokio::test]
async fn get_retried_on_503_then_succeeds() {
    let server = MockServer::start(vec![
        MockResponse::status(503),
        MockResponse::status(502),
        MockResponse::json(200, r#"{"ok":true}"#),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().unwrap()["ok"], true);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts() {
    let server = MockServer::start(vec![MockResponse::status(500); 5]).await;
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(1));
    let client = builder(&server.url()).retry_policy(policy).build().unwrap();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 500);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_seconds_honoured() {
    let server = MockServer::start(vec![
        MockResponse::status(429).header("retry-after", "1"),
        MockResponse::json(200, "{}"),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let started = Instant::now();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_http_date_honoured() {
    // Two seconds ahead, truncated to whole seconds: a wait in (1 s, 2 s].
    let at: chrono::DateTime<chrono::Utc> = (SystemTime::now() + Duration::from_secs(2)).into();
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let server = MockServer::start(vec![
        MockResponse::status(503).header("retry-after", &date),
        MockResponse::json(200, "{}"),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let started = Instant::now();
    client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_millis(2900), "{waited:?}");
}

#[tokio::test]
async fn post_not_retried_on_503_by_default() {
    let server = MockServer::start(vec![
        MockResponse::status(503),
        MockResponse::json(201, "{}"),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let req = Request::new(Method::POST, "/things").json(&serde_json::json!({"a": 1}));
    let resp = client.execute::<Value>(req).await.unwrap();
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.into_error().status(), Some(503));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn post_retried_on_503_when_allowed() {
    let server = MockServer::start(vec![
        MockResponse::status(503),
        MockResponse::json(201, "{}"),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    // Per request (an idempotency key makes a POST safe) ...
    let req = Request::new(Method::POST, "/things").idempotent(true);
    assert_eq!(client.execute::<Value>(req).await.unwrap().status(), 201);
    // ... or per client.
    let server = MockServer::start(vec![
        MockResponse::status(503),
        MockResponse::json(201, "{}"),
    ])
    .await;
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .retry_non_idempotent(true);
    let client = builder(&server.url()).retry_policy(policy).build().unwrap();
    let req = Request::new(Method::POST, "/things");
    assert_eq!(client.execute::<Value>(req).await.unwrap().status(), 201);
}

#[tokio::test]
async fn post_retried_when_connection_refused() {
    // Reserve a port, free it, and only start listening on it after a while:
    // the first attempt(s) are refused before anything is sent.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let policy = RetryPolicy::default()
        .max_attempts(10)
        .initial_backoff(Duration::from_millis(50))
        .max_backoff(Duration::from_millis(200));
    let client = builder(&format!("http://{addr}"))
        .retry_policy(policy)
        .build()
        .unwrap();
    let req = Request::new(Method::POST, "/things").json(&serde_json::json!({"a": 1}));
    let (result, server) = tokio::join!(client.execute::<Value>(req), async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(addr).await.unwrap();
        MockServer::serve(listener, vec![MockResponse::json(201, "{}")])
    });
    assert_eq!(result.unwrap().status(), 201);
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].body, br#"{"a":1}"#);
}

#[tokio::test]
async fn timeout_is_reported() {
    let slow = MockResponse::json(200, "{}").delay(Duration::from_secs(3));
    let server = MockServer::start(vec![slow]).await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn get_retried_after_timeout() {
    let slow = MockResponse::json(200, "{}").delay(Duration::from_secs(3));
    let server = MockServer::start(vec![slow, MockResponse::json(200, "{}")]).await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_longer_than_the_policy_allows_returns_the_response() {
    // The server asks for an hour; retrying sooner would only be refused again.
    let server = MockServer::start(vec![
        MockResponse::status(429).header("retry-after", "3600"),
        MockResponse::json(200, "{}"),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let started = Instant::now();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "3600");
    assert_eq!(server.requests().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn post_not_retried_after_a_timeout() {
    // The server may have acted on a request it was too slow to answer.
    let slow = MockResponse::json(201, "{}").delay(Duration::from_secs(2));
    let server = MockServer::start(vec![slow, MockResponse::json(201, "{}")]).await;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let req = Request::new(Method::POST, "/things").json(&serde_json::json!({"a": 1}));
    let err = client.execute::<Value>(req).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

/// Counts the attempts the client makes and whether each may have reached the server.
#[derive(Clone, Default)]
struct Attempts(std::sync::Arc<std::sync::Mutex<Vec<bool>>>);

impl isometric_registry::Middleware for Attempts {
    fn after_receive(
        &self,
        _: &isometric_registry::Attempt<'_>,
        outcome: &isometric_registry::Outcome<'_>,
        _: Duration,
    ) {
        if let isometric_registry::Outcome::Failed {
            may_have_reached_server,
            ..
        } = outcome
        {
            self.0.lock().unwrap().push(*may_have_reached_server);
        }
    }
}

#[tokio::test]
async fn connect_timeout_applies_and_a_post_is_retried() {
    // A listener whose accept queue is full leaves new connections unanswered
    // (Linux drops their SYNs), so only the connect timeout can end the wait.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let connect = tokio::net::TcpStream::connect(addr);
        if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(200), connect).await {
            fillers.push(stream);
        }
    }
    let attempts = Attempts::default();
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20));
    let client = builder(&format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(30))
        .retry_policy(policy)
        .middleware(attempts.clone())
        .build()
        .unwrap();
    let started = Instant::now();
    let post = Request::new(Method::POST, "/things").json(&serde_json::json!({"a": 1}));
    let err = client.execute::<Value>(post).await.unwrap_err();
    // Nothing was sent: a transport error that never reached the server, so even a POST was
    // tried again.
    let Error::Transport(transport) = &err else {
        panic!("{err:?}");
    };
    assert!(!transport.may_have_reached_server(), "{err}");
    assert!(
        transport.is_timeout() && err.is_timeout() && err.is_retryable(),
        "{err}"
    );
    assert!(
        err.to_string().contains("before the request was sent"),
        "{err}"
    );
    assert_eq!(*attempts.0.lock().unwrap(), [false, false]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    drop((listener, fillers));
}

#[test]
fn execute_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = builder("http://127.0.0.1:1").build().unwrap();
    let fut = client.execute::<Value>(Request::new(Method::GET, "/a"));
    assert_send(&fut);
}
