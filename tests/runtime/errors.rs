//! Decode errors, typed/raw API errors, request ids and invalid requests.

use isometric_registry::{
    raw::{ErrorResponse, Method, Request},
    ClientBuilder, Error, ErrorBody,
};
use serde::Deserialize;
use serde_json::Value;

use crate::builder;
use crate::mock_server::{MockResponse, MockServer};

#[derive(Debug, Deserialize)]
struct Nodes {
    #[allow(dead_code)]
    nodes: Vec<Node>,
}

#[derive(Debug, Deserialize)]
struct Node {
    #[allow(dead_code)]
    status: String,
}

#[tokio::test]
async fn decode_error_carries_path_and_snippet() {
    let body = r#"{"nodes":[{"status":"a"},{"status":"b"},{"status":"c"},{"status":42}]}"#;
    let server = MockServer::start(vec![MockResponse::json(200, body)]).await;
    let client = builder(&server.url()).build().unwrap();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/nodes"))
        .await
        .unwrap();
    let err = resp.json::<Nodes>().unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.status, 200);
    assert_eq!(decode.path, "nodes[3].status");
    assert!(
        decode.message.contains("invalid type"),
        "{}",
        decode.message
    );
    assert!(
        decode.snippet.contains(r#"{"status":42}"#),
        "{}",
        decode.snippet
    );
    assert!(decode.snippet.chars().count() <= 200);
    assert!(err.to_string().contains("nodes[3].status"));

    // Snippets stay short for large bodies.
    let big = format!(
        r#"{{"pad":"{}","nodes":[{{"status":1}}]}}"#,
        "x".repeat(5000)
    );
    let server = MockServer::start(vec![MockResponse::json(200, &big)]).await;
    let client = builder(&server.url()).build().unwrap();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/nodes"))
        .await
        .unwrap();
    let Err(Error::Decode(decode)) = resp.json::<Nodes>() else {
        panic!()
    };
    assert!(decode.snippet.chars().count() <= 200);
    assert!(
        decode.snippet.contains(r#"{"status":1}"#),
        "{}",
        decode.snippet
    );
}

/// What a generated per-operation error enum looks like.
#[derive(Debug)]
enum CreateThingError {
    Status422(ValidationError),
}

#[derive(Debug, Deserialize)]
struct ValidationError {
    detail: Vec<Value>,
}

impl ErrorResponse for CreateThingError {
    fn from_response(status: u16, body: &[u8]) -> Option<Self> {
        match status {
            422 => serde_json::from_slice(body)
                .ok()
                .map(CreateThingError::Status422),
            _ => None,
        }
    }
}

#[tokio::test]
async fn error_body_typed_raw_or_empty() {
    let server = MockServer::start(vec![
        MockResponse::json(
            422,
            r#"{"detail":[{"loc":["body","name"],"msg":"field required"}]}"#,
        ),
        MockResponse::status(422).body("<html>gateway says no</html>"),
        MockResponse::status(404),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let mut errors = Vec::new();
    for _ in 0..3 {
        let req = Request::new(Method::POST, "/things").json(&serde_json::json!({}));
        let resp = client.execute::<CreateThingError>(req).await.unwrap();
        let result: Result<Value, Error<CreateThingError>> = match resp.status() {
            200 => resp.json(),
            _ => Err(resp.into_error()),
        };
        errors.push(result.unwrap_err());
    }
    let Error::Api(api) = &errors[0] else {
        panic!("{:?}", errors[0])
    };
    assert_eq!(api.status, 422);
    let ErrorBody::Typed(CreateThingError::Status422(v)) = &api.body else {
        panic!("{api:?}")
    };
    assert_eq!(v.detail[0]["msg"], "field required");

    let Error::Api(api) = &errors[1] else {
        panic!()
    };
    assert!(matches!(&api.body, ErrorBody::Raw(text) if text.contains("gateway says no")));
    assert!(errors[1].to_string().contains("HTTP 422"));

    let Error::Api(api) = &errors[2] else {
        panic!()
    };
    assert_eq!(api.status, 404);
    assert!(matches!(api.body, ErrorBody::Empty));
}

#[tokio::test]
async fn untyped_errors_decode_as_json_value() {
    let server = MockServer::start(vec![MockResponse::json(400, r#"{"code":"bad"}"#)]).await;
    let client = builder(&server.url()).build().unwrap();
    let resp = client
        .execute::<Value>(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    let Error::Api(api) = resp.into_error() else {
        panic!()
    };
    assert!(matches!(&api.body, ErrorBody::Typed(v) if v["code"] == "bad"));
}

#[tokio::test]
async fn request_id_captured() {
    let server = MockServer::start(vec![
        MockResponse::json(409, "{}").header("x-request-id", "req-123"),
        MockResponse::json(409, "{}").header("x-amzn-RequestId", "amzn-456"),
        MockResponse::json(409, "{}"),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let resp = client
            .execute::<Value>(Request::new(Method::GET, "/a"))
            .await
            .unwrap();
        let err = resp.into_error();
        let Error::Api(api) = &err else {
            panic!("{err:?}")
        };
        // Every response header is kept on the error, not only the request id.
        assert_eq!(api.headers["content-type"], "application/json");
        ids.push(err.request_id().map(str::to_owned));
        if let Some(id) = err.request_id() {
            assert!(err.to_string().contains(id));
        }
    }
    assert_eq!(
        ids,
        [
            Some("req-123".to_owned()),
            Some("amzn-456".to_owned()),
            None
        ]
    );
}

#[tokio::test]
async fn invalid_requests_are_not_sent() {
    for base in ["not a url", "ftp://x.example", "https://x.example/v1?q=1"] {
        let err = ClientBuilder::new(base).build().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{base}: {err:?}");
    }
    let server = MockServer::start(vec![]).await;
    let client = builder(&server.url()).build().unwrap();
    let mut req = Request::new(Method::GET, "/a");
    req.fail("`first` and `last` are exclusive".to_owned());
    let err = client.execute::<Value>(req).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("exclusive")));
    let req = Request::new(Method::GET, "/a").header("bad header name", "v");
    assert!(matches!(
        client.execute::<Value>(req).await,
        Err(Error::InvalidRequest(_))
    ));
    assert!(server.requests().is_empty());
}
