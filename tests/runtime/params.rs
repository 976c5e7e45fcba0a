//! Path, query, header and body encoding; base URLs with a path.

use chrono::NaiveDate;
use isometric_registry::raw::{encode_path, Method, Request};
use serde::Serialize;
use serde_json::Value;

use crate::builder;
use crate::mock_server::{MockResponse, MockServer};

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    InReview,
    Published,
}

#[tokio::test]
async fn query_parameters() {
    let server = MockServer::start(vec![MockResponse::json(200, "{}")]).await;
    let client = builder(&server.url()).build().unwrap();
    let req = Request::new(Method::GET, "/items")
        .query("status", &[Status::InReview, Status::Published])
        .query("first", &Some(10))
        .query("after", &None::<String>)
        .query("q", "a b&c=d")
        .query("flag", &true)
        .query_list("ids", &[1, 2], false)
        .query("since", &NaiveDate::from_ymd_opt(2024, 1, 2).unwrap());
    client.execute::<Value>(req).await.unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/items?status=in_review&status=published&first=10&q=a%20b%26c%3Dd&flag=true&ids=1,2&since=2024-01-02"
    );
}

#[tokio::test]
async fn delimited_and_deep_object_query_styles() {
    let server = MockServer::start(vec![MockResponse::json(200, "{}")]).await;
    let client = builder(&server.url()).build().unwrap();
    let req = Request::new(Method::GET, "/items")
        .query_delimited("colors", &["blue", "black"], "|")
        .query_delimited("words", &["a", "b"], " ")
        .query_deep_object("filter", &serde_json::json!({"min_size": 3, "owner": "me"}))
        .query_deep_object("none", &None::<Value>);
    client.execute::<Value>(req).await.unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/items?colors=blue|black&words=a%20b&filter%5Bmin_size%5D=3&filter%5Bowner%5D=me"
    );
}

#[tokio::test]
async fn multipart_body_carries_text_and_file_parts() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    let client = builder(&server.url()).build().unwrap();
    let file = isometric_registry::Binary::new(vec![0x89, b'P', b'N', b'G'])
        .with_file_name("logo.png")
        .with_content_type("image/png");
    let form = isometric_registry::raw::Multipart::new()
        .text("title", "Logo")
        .file("upload", &file);
    let req = Request::new(Method::POST, "/uploads").multipart(form);
    client.execute::<Value>(req).await.unwrap();
    let seen = &server.requests()[0];
    let content_type = seen.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nLogo\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"logo.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&[0x89, b'P', b'N', b'G']);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(seen.body, expected);
}

#[tokio::test]
async fn path_segments_percent_encoded() {
    assert_eq!(encode_path("a/b c"), "a%2Fb%20c");
    let server = MockServer::start(vec![MockResponse::json(200, "{}")]).await;
    let client = builder(&server.url()).build().unwrap();
    let req = Request::new(
        Method::GET,
        format!("/projects/{}/runs/{}", encode_path("a/b c"), 7),
    );
    client.execute::<Value>(req).await.unwrap();
    assert_eq!(server.requests()[0].target, "/projects/a%2Fb%20c/runs/7");
}

#[tokio::test]
async fn base_url_path_is_kept() {
    let ok = MockResponse::json(200, "{}");
    let server = MockServer::start(vec![ok.clone(), ok]).await;
    for base in [
        format!("{}/registry/v0", server.url()),
        format!("{}/registry/v0/", server.url()),
    ] {
        let client = builder(&base).build().unwrap();
        client
            .execute::<Value>(Request::new(Method::GET, "/projects"))
            .await
            .unwrap();
    }
    let seen = server.requests();
    assert_eq!(seen[0].target, "/registry/v0/projects");
    assert_eq!(seen[1].target, "/registry/v0/projects");
}

#[tokio::test]
async fn headers_and_bodies() {
    let ok = MockResponse::json(200, "{}");
    let server = MockServer::start(vec![ok.clone(), ok.clone(), ok]).await;
    let client = builder(&server.url())
        .user_agent("my-app/1.0")
        .build()
        .unwrap();

    #[derive(Serialize)]
    struct Form {
        name: String,
        tags: Vec<&'static str>,
        note: Option<String>,
    }
    let req = Request::new(Method::POST, "/a")
        .header("x-tags", &["a", "b"])
        .header("x-count", &3)
        .header("x-absent", &None::<i32>)
        .json(&serde_json::json!({"name": "n"}));
    client.execute::<Value>(req).await.unwrap();
    let form = Form {
        name: "a b".into(),
        tags: vec!["x", "y"],
        note: None,
    };
    client
        .execute::<Value>(Request::new(Method::POST, "/b").form(&form))
        .await
        .unwrap();
    let req = Request::new(Method::PUT, "/c").bytes(vec![0u8, 1, 2], "application/octet-stream");
    client.execute::<Value>(req).await.unwrap();

    let seen = server.requests();
    assert_eq!(seen[0].header("x-tags"), Some("a,b"));
    assert_eq!(seen[0].header("x-count"), Some("3"));
    assert_eq!(seen[0].header("x-absent"), None);
    assert_eq!(seen[0].header("user-agent"), Some("my-app/1.0"));
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    assert_eq!(seen[0].body, br#"{"name":"n"}"#);
    assert_eq!(
        seen[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[1].body, b"name=a%20b&tags=x&tags=y");
    assert_eq!(seen[2].method, "PUT");
    assert_eq!(
        seen[2].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(seen[2].body, [0u8, 1, 2]);
}

/// A caller-built `reqwest::Client` (proxies, tracing, default headers) carries every request.
#[tokio::test]
async fn caller_built_http_client_is_used() {
    use isometric_registry::reqwest;
    let server = MockServer::start(vec![MockResponse::json(200, "{}")]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-trace-id",
        reqwest::header::HeaderValue::from_static("trace-42"),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = builder(&server.url())
        .http_client(http)
        .header_credential("x-client-secret", "s3cret")
        .build()
        .unwrap();
    client
        .execute::<Value>(Request::new(Method::GET, "/projects"))
        .await
        .unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].header("x-trace-id"), Some("trace-42"));
    // The client's own settings still apply on top.
    assert!(seen[0].header("x-client-secret").is_some());
}
