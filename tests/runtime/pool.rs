//! Connection pooling and timeouts, with the client's own HTTP client and a caller's.

use std::time::Duration;

use isometric_registry::reqwest;
use isometric_registry::{
    raw::{Method, Request},
    Error, RetryPolicy,
};
use serde_json::Value;

use crate::builder;
use crate::load_server::{LoadServer, Reply};

async fn ok_server() -> LoadServer {
    LoadServer::start(|_, _| Reply::json(200, "{}")).await
}

async fn get_n(client: &isometric_registry::Client, n: usize) {
    for _ in 0..n {
        let response = client
            .execute::<Value>(Request::new(Method::GET, "/a"))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let server = ok_server().await;
    get_n(&builder(&server.url()).build().unwrap(), 10).await;
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn pool_settings_apply_to_a_callers_builder() {
    let server = ok_server().await;
    let caller = reqwest::Client::builder().user_agent("caller/1");
    let client = builder(&server.url())
        .http_client_builder(caller)
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    get_n(&client, 5).await;
    assert_eq!(server.connections(), 5, "no idle connection kept");

    let server = ok_server().await;
    let client = builder(&server.url())
        .http_client_builder(reqwest::Client::builder())
        .pool_idle_timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    get_n(&client, 1).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    get_n(&client, 1).await;
    assert_eq!(server.connections(), 2, "the idle connection expired");
}

#[tokio::test]
async fn timeouts_work_with_a_callers_client() {
    let server =
        LoadServer::start(|_, _| Reply::json(200, "{}").delay(Duration::from_secs(5))).await;
    let built = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&server.url())
        .http_client(built)
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .execute::<Value>(Request::new(Method::GET, "/slow"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    // Connection settings cannot reach a built client: said, not silently ignored.
    for bad in [
        builder(&server.url()).connect_timeout(Duration::from_secs(1)),
        builder(&server.url()).pool_max_idle_per_host(1),
        builder(&server.url()).pool_idle_timeout(Duration::from_secs(1)),
    ] {
        let err = bad.http_client(reqwest::Client::new()).build().unwrap_err();
        assert!(err.to_string().contains("http_client_builder"), "{err}");
    }
}

#[tokio::test]
async fn max_concurrent_requests_bounds_the_connections() {
    let server =
        LoadServer::start(|_, _| Reply::json(200, "{}").delay(Duration::from_millis(20))).await;
    let client = builder(&server.url())
        .max_concurrent_requests(4)
        .build()
        .unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let client = client.clone();
        calls.spawn(async move {
            client
                .execute::<Value>(Request::new(Method::GET, "/a"))
                .await
        });
    }
    while let Some(result) = calls.join_next().await {
        assert_eq!(result.unwrap().unwrap().status(), 200);
    }
    assert_eq!(server.requests().len(), 40);
    assert!(
        server.connections() <= 4,
        "{} connections",
        server.connections()
    );
}
