//! All 41 operations: method, path, query, credentials and decoding.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::mock_server::{MockResponse, MockServer};
use crate::operations::{call_all, Outcome, OPERATION_COUNT};
use crate::{client, ACCESS_TOKEN, BASE_PATH, CLIENT_SECRET};

/// `(METHOD, /path/{template})` of every operation in the spec.
pub fn spec_operations() -> BTreeSet<(String, String)> {
    let text = include_str!("../../spec/isometric-registry.openapi.json");
    let spec: Value = serde_json::from_str(text).expect("spec is JSON");
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in [
            "get", "put", "post", "delete", "patch", "head", "options", "trace",
        ] {
            if item.get(method).is_some() {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// Whether `path` (no query) is an instance of the template `/a/{id}/b`.
pub fn matches_template(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

#[tokio::test]
async fn every_operation_sends_credentials_method_and_path_and_decodes() {
    let server = MockServer::start(Vec::new()).await;
    let client = client(&server.url());
    let outcomes = call_all(&client, &mut |op| {
        server.push(MockResponse::json(200, &op.response.to_string()));
    })
    .await;
    assert_eq!(outcomes.len(), OPERATION_COUNT);

    let failed: Vec<String> = outcomes
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Decoded))
        .map(|(op, o)| format!("{}: {o:?}", op.name))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");

    let requests = server.requests();
    assert_eq!(requests.len(), OPERATION_COUNT);
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    let mut covered = BTreeSet::new();
    for ((op, _), seen) in outcomes.iter().zip(&requests) {
        assert_eq!(seen.method, op.method, "{}", op.name);
        assert_eq!(seen.target, op.target(BASE_PATH), "{}", op.name);
        assert_eq!(
            seen.header("x-client-secret"),
            Some(CLIENT_SECRET),
            "{}",
            op.name
        );
        assert_eq!(
            seen.header("authorization"),
            Some(bearer.as_str()),
            "{}",
            op.name
        );
        if op.method == "POST" {
            assert_eq!(
                seen.header("content-type"),
                Some("application/json"),
                "{}",
                op.name
            );
            let body: Value = serde_json::from_slice(&seen.body).expect("JSON body");
            assert!(body.is_object(), "{}: {body}", op.name);
        } else {
            assert!(seen.body.is_empty(), "{}", op.name);
        }
        let path = op.path.as_str();
        let spec = spec_operations();
        let template = spec
            .iter()
            .find(|(m, t)| m == op.method && t == path)
            .or_else(|| {
                spec.iter()
                    .find(|(m, t)| m == op.method && matches_template(t, path))
            })
            .cloned()
            .unwrap_or_else(|| panic!("{} {path} is not in the spec", op.method));
        assert!(
            covered.insert(template.clone()),
            "{template:?} called twice"
        );
    }
    // Every operation of the spec was called, once.
    assert_eq!(covered, spec_operations());
}

#[test]
fn environments_select_the_spec_servers() {
    use isometric_registry::{Client, Environment};
    let with_credentials = || {
        Client::builder()
            .client_secret(CLIENT_SECRET)
            .bearer_token(ACCESS_TOKEN)
    };
    let default = with_credentials().build().unwrap();
    assert_eq!(
        default.base_url(),
        "https://api.sandbox.isometric.com/registry/v0"
    );
    let production = with_credentials()
        .environment(Environment::Production)
        .build()
        .unwrap();
    assert_eq!(
        production.base_url(),
        "https://api.isometric.com/registry/v0"
    );
    assert_eq!(Environment::default(), Environment::Sandbox);
    // An explicit base URL wins; a trailing slash is dropped.
    let local = with_credentials()
        .environment(Environment::Production)
        .base_url("http://127.0.0.1:9/registry/v0/")
        .build()
        .unwrap();
    assert_eq!(local.base_url(), "http://127.0.0.1:9/registry/v0");
}

/// Every registry operation sends `x-client-secret` and needs the `HTTPBearer` token: a client
/// without either cannot make one successful call, so `build()` refuses, naming the setter,
/// instead of sending unauthenticated requests that come back 401.
#[test]
fn build_fails_naming_the_setter_when_a_credential_every_operation_needs_is_missing() {
    use isometric_registry::{Client, Error};
    let message = |builder: isometric_registry::ClientBuilder| match builder.build() {
        Err(Error::InvalidRequest(message)) => message,
        other => panic!("expected a missing-credential error, got {other:?}"),
    };
    let none = message(Client::builder());
    assert_eq!(
        none,
        "missing credential: every operation needs the `x-client-secret` header; \
         set it with `ClientBuilder::client_secret` before `build()`"
    );
    let no_token = message(Client::builder().client_secret(CLIENT_SECRET));
    assert_eq!(
        no_token,
        "missing credential: every operation needs the `HTTPBearer` credential; \
         set it with `ClientBuilder::bearer_token` before `build()`"
    );
    let no_secret = message(Client::builder().bearer_token(ACCESS_TOKEN));
    assert!(
        no_secret.contains("`ClientBuilder::client_secret`"),
        "{no_secret}"
    );
    // The secret never appears in the error.
    assert!(!no_secret.contains(ACCESS_TOKEN));
    Client::builder()
        .client_secret(CLIENT_SECRET)
        .bearer_token(ACCESS_TOKEN)
        .build()
        .expect("both credentials set");
}
