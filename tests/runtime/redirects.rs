//! Redirects: followed like reqwest does, but credentials never leave their origin
//! (reqwest itself drops only `Authorization` and `Cookie`, not API-key headers).

use isometric_registry::{
    raw::{Method, Request},
    ApiKeyLocation, Credential,
};
use serde_json::Value;

use crate::builder;
use crate::mock_server::{MockResponse, MockServer, Recorded};

const TOKEN: &str = "tok-redirect-secret";
const API_KEY: &str = "key-redirect-secret";
const CLIENT_SECRET: &str = "cs-redirect-secret";

/// GET `/start` with a bearer token, an API-key header, an API-key cookie and a
/// client-wide secret header, against `server`.
async fn get_start(server: &MockServer) -> u16 {
    let client = builder(&server.url())
        .header_credential("x-client-secret", CLIENT_SECRET)
        .credential("bearer", Credential::Bearer(TOKEN.into()))
        .credential(
            "key",
            Credential::ApiKey {
                location: ApiKeyLocation::Header,
                name: "x-api-key".into(),
                value: API_KEY.into(),
            },
        )
        .credential(
            "session",
            Credential::ApiKey {
                location: ApiKeyLocation::Cookie,
                name: "session".into(),
                value: "s1".into(),
            },
        )
        .build()
        .unwrap();
    let request = Request::new(Method::GET, "/start").security(&[&["bearer", "key", "session"]]);
    client.execute::<Value>(request).await.unwrap().status()
}

fn credentials(request: &Recorded) -> [Option<&str>; 4] {
    ["authorization", "x-api-key", "cookie", "x-client-secret"].map(|h| request.header(h))
}

#[tokio::test]
async fn same_origin_redirect_keeps_credentials() {
    let server = MockServer::start(vec![
        MockResponse::status(301).header("location", "/moved?x=1"),
        MockResponse::json(200, "{}"),
    ])
    .await;
    assert_eq!(get_start(&server).await, 200);
    let requests = server.requests();
    assert_eq!(requests[1].target, "/moved?x=1");
    let bearer = format!("Bearer {TOKEN}");
    let expected = [
        Some(bearer.as_str()),
        Some(API_KEY),
        Some("session=s1"),
        Some(CLIENT_SECRET),
    ];
    assert_eq!(credentials(&requests[0]), expected);
    assert_eq!(credentials(&requests[1]), expected);
}

#[tokio::test]
async fn cross_origin_redirect_drops_every_credential() {
    // Same host, another port: another origin.
    let other = MockServer::start(vec![MockResponse::json(200, "{}")]).await;
    let server = MockServer::start(vec![
        MockResponse::status(307).header("location", &format!("{}/elsewhere", other.url()))
    ])
    .await;
    assert_eq!(get_start(&server).await, 200);
    assert!(server.requests()[0].header("x-api-key").is_some());
    let hop = &other.requests()[0];
    assert_eq!(hop.target, "/elsewhere");
    assert_eq!(credentials(hop), [None; 4]);
}

#[tokio::test]
async fn see_other_after_a_post_becomes_a_get_without_body() {
    let server = MockServer::start(vec![
        MockResponse::status(303).header("location", "/result"),
        MockResponse::json(200, "{}"),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let request = Request::new(Method::POST, "/jobs").json(&serde_json::json!({"a": 1}));
    assert_eq!(
        client.execute::<Value>(request).await.unwrap().status(),
        200
    );
    let requests = server.requests();
    assert_eq!(
        (requests[1].method.as_str(), &*requests[1].target),
        ("GET", "/result")
    );
    assert!(requests[1].body.is_empty());
    assert_eq!(requests[1].header("content-type"), None);
}
