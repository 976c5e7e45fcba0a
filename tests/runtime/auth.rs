//! Credentials: which are sent, and that they are never printed.

use isometric_registry::{
    raw::{Method, Request},
    ApiKeyLocation, Credential, Secret,
};
use serde_json::Value;

use crate::builder;
use crate::mock_server::{MockResponse, MockServer};

const CLIENT_SECRET: &str = "cs-7f3a91-very-secret";
const TOKEN: &str = "tok-b2c4d6-very-secret";
const API_KEY: &str = "key-99ab11-very-secret";
const PASSWORD: &str = "pw-5e5e5e-very-secret";

/// `name/version` of the generated crate, read from its manifest.
fn crate_user_agent() -> String {
    let manifest = include_str!("../../generated-client/Cargo.toml");
    let field = |key: &str| {
        manifest
            .lines()
            .find_map(|l| {
                l.strip_prefix(key)?
                    .trim()
                    .strip_prefix('=')?
                    .trim()
                    .strip_prefix('"')?
                    .strip_suffix('"')
            })
            .unwrap()
            .to_owned()
    };
    format!("{}/{}", field("name"), field("version"))
}

#[tokio::test]
async fn credential_header_and_bearer_on_every_request() {
    let ok = MockResponse::json(200, "{}");
    let server = MockServer::start(vec![ok.clone(), ok.clone(), ok]).await;
    let client = builder(&server.url())
        .header_credential("x-client-secret", CLIENT_SECRET)
        .credential("HTTPBearer", Credential::Bearer(TOKEN.into()))
        .build()
        .unwrap();
    for _ in 0..2 {
        let req = Request::new(Method::GET, "/a").security(&[&["HTTPBearer"]]);
        assert_eq!(client.execute::<Value>(req).await.unwrap().status(), 200);
    }
    // An operation without security still gets the client-wide header.
    client
        .execute::<Value>(Request::new(Method::GET, "/b"))
        .await
        .unwrap();

    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    for r in &seen {
        assert_eq!(r.header("x-client-secret"), Some(CLIENT_SECRET));
        assert_eq!(r.header("user-agent"), Some(crate_user_agent().as_str()));
    }
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(seen[0].header("authorization"), Some(bearer.as_str()));
    assert_eq!(seen[1].header("authorization"), Some(bearer.as_str()));
    assert_eq!(seen[2].header("authorization"), None);
}

#[tokio::test]
async fn first_configured_security_alternative_applies() {
    let ok = MockResponse::json(200, "{}");
    let server = MockServer::start(vec![ok.clone(), ok.clone(), ok]).await;
    let client = builder(&server.url())
        .credential(
            "QueryKey",
            Credential::ApiKey {
                location: ApiKeyLocation::Query,
                name: "api_key".into(),
                value: API_KEY.into(),
            },
        )
        .credential(
            "CookieKey",
            Credential::ApiKey {
                location: ApiKeyLocation::Cookie,
                name: "session".into(),
                value: API_KEY.into(),
            },
        )
        .credential(
            "Basic",
            Credential::Basic {
                username: "ann".into(),
                password: PASSWORD.into(),
            },
        )
        .build()
        .unwrap();
    // "Missing" is not configured: the second alternative (both keys) applies.
    let req = Request::new(Method::GET, "/a")
        .query("q", "x")
        .security(&[&["Missing"], &["QueryKey", "CookieKey"]]);
    client.execute::<Value>(req).await.unwrap();
    let req = Request::new(Method::GET, "/b").security(&[&["Basic"]]);
    client.execute::<Value>(req).await.unwrap();
    let req = Request::new(Method::GET, "/c").security(&[&["Missing"]]);
    client.execute::<Value>(req).await.unwrap();

    let seen = server.requests();
    assert_eq!(seen[0].target, format!("/a?q=x&api_key={API_KEY}"));
    assert_eq!(
        seen[0].header("cookie"),
        Some(format!("session={API_KEY}").as_str())
    );
    assert!(seen[0].header("authorization").is_none());
    // base64("ann:pw-5e5e5e-very-secret")
    assert_eq!(
        seen[1].header("authorization"),
        Some("Basic YW5uOnB3LTVlNWU1ZS12ZXJ5LXNlY3JldA==")
    );
    assert_eq!(seen[2].target, "/c");
    assert!(seen[2].header("authorization").is_none() && seen[2].header("cookie").is_none());
}

fn assert_redacted(what: &str, text: &str) {
    for secret in [CLIENT_SECRET, TOKEN, API_KEY, PASSWORD] {
        assert!(!text.contains(secret), "{what} leaks a secret: {text}");
    }
}

#[tokio::test]
async fn secrets_never_printed() {
    let secret = Secret::from(TOKEN);
    assert_eq!(format!("{secret:?} {secret}"), "*** ***");
    assert_eq!(secret.expose(), TOKEN);

    // A port with nothing listening: the transport error must not print the
    // URL, whose query carries the API key.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let make = || {
        builder(&format!("http://127.0.0.1:{port}"))
            .retry_policy(isometric_registry::RetryPolicy::none())
            .header_credential("x-client-secret", CLIENT_SECRET)
            .credential("HTTPBearer", Credential::Bearer(TOKEN.into()))
            .credential(
                "Basic",
                Credential::Basic {
                    username: "ann".into(),
                    password: PASSWORD.into(),
                },
            )
            .credential(
                "QueryKey",
                Credential::ApiKey {
                    location: ApiKeyLocation::Query,
                    name: "api_key".into(),
                    value: API_KEY.into(),
                },
            )
    };
    assert_redacted("ClientBuilder Debug", &format!("{:?}", make()));
    let client = make().build().unwrap();
    assert_redacted("Client Debug", &format!("{client:?}"));

    let req = Request::new(Method::GET, "/a").security(&[&["QueryKey", "HTTPBearer"]]);
    let err = client.execute::<Value>(req).await.unwrap_err();
    assert!(
        matches!(err, isometric_registry::Error::Transport(_)),
        "{err:?}"
    );
    assert_redacted("Error Debug", &format!("{err:?}"));
    assert_redacted("Error Display", &format!("{err}"));
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        assert_redacted("Error source", &format!("{s} {s:?}"));
        source = s.source();
    }

    // An API error carries response headers only, never the request's.
    let server = MockServer::start(vec![MockResponse::json(401, r#"{"detail":"no"}"#)]).await;
    let client = make().base_url(server.url()).build().unwrap();
    let req = Request::new(Method::GET, "/a").security(&[&["HTTPBearer"]]);
    let err = client.execute::<Value>(req).await.unwrap().into_error();
    assert_redacted("API error Debug", &format!("{err:?}"));
    assert_redacted("API error Display", &format!("{err}"));
}
