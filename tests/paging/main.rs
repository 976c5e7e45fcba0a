//! Every pagination style, through the generated client of `tests/fixtures/paging/paging.yaml`
//! (checked in as `tests/paging-client`) against the in-process mock on 127.0.0.1: the first
//! page, the follow-up requests each style makes, its stop condition and the repeated-cursor
//! guard.

#[allow(dead_code)] // Each test target uses a different part of the mock.
#[path = "../runtime/mock_server.rs"]
mod mock_server;

use paging_fixture::{
    types::{ScrollRequest, ScrollRequestOffset, Thing},
    Client, Error, StreamExt, TryStreamExt,
};
use serde_json::{json, Value};

use mock_server::{MockResponse, MockServer, Recorded};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .build()
        .expect("client builds")
}

fn things(ids: &[&str]) -> Value {
    ids.iter().map(|id| json!({"id": id, "name": id})).collect()
}

fn ok(body: Value) -> MockResponse {
    MockResponse::json(200, &body.to_string())
}

fn targets(server: &MockServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.target).collect()
}

fn ids(items: &[Thing]) -> Vec<&str> {
    items.iter().map(|t| t.id.as_str()).collect()
}

#[tokio::test]
async fn query_token_cursor() {
    let server = MockServer::start(vec![
        ok(json!({"items": things(&["a", "b"]), "next_page": "t1"})),
        ok(json!({"items": things(&["c", "d"]), "next_page": "t2"})),
        ok(json!({"items": things(&["e"]), "next_page": null})),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_tokens()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        targets(&server),
        [
            "/tokens?limit=2",
            "/tokens?limit=2&page_token=t1",
            "/tokens?limit=2&page_token=t2"
        ]
    );
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_an_error() {
    let server = MockServer::start(vec![
        ok(json!({"items": things(&["a"]), "next_page": "t1"})),
        ok(json!({"items": things(&["b"]), "next_page": "t2"})),
        ok(json!({"items": things(&["c"]), "next_page": "t1"})),
        ok(json!({"items": things(&["never"]), "next_page": null})),
    ])
    .await;
    let pages: Vec<_> = client(&server).list_tokens().pages().collect().await;
    assert_eq!(pages.len(), 4);
    assert!(pages[..3].iter().all(Result::is_ok));
    assert!(matches!(&pages[3], Err(Error::RepeatedCursor(t)) if t == "t1"));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn an_empty_page_ends_a_cursor_walk() {
    let server = MockServer::start(vec![
        ok(json!({"items": things(&["a"]), "next_page": "t1"})),
        ok(json!({"items": [], "next_page": "t2"})),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_tokens()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a"]);
    assert_eq!(server.requests().len(), 2);
}

fn body_of(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[tokio::test]
async fn body_cursor_of_another_type_with_the_same_shape() {
    let uuid = "0f7c3a1e-2b4d-4e8f-9a6b-1c2d3e4f5a6b";
    let server = MockServer::start(vec![
        ok(json!({"status": "ok", "result": {"points": things(&["a"]), "next_page_offset": 7}})),
        ok(json!({"result": {"points": things(&["b"]), "next_page_offset": uuid}})),
        ok(json!({"result": {"points": things(&["c"]), "next_page_offset": null}})),
    ])
    .await;
    let body = ScrollRequest::new().with_limit(1);
    let items: Vec<Thing> = client(&server)
        .scroll_things(body)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c"]);
    let requests = server.requests();
    let bodies: Vec<Value> = requests.iter().map(body_of).collect();
    assert!(requests
        .iter()
        .all(|r| r.method == "POST" && r.target == "/scroll"));
    assert_eq!(bodies[0], json!({"limit": 1}));
    assert_eq!(bodies[1], json!({"limit": 1, "offset": 7}));
    assert_eq!(bodies[2], json!({"limit": 1, "offset": uuid}));
    let typed: ScrollRequestOffset = serde_json::from_value(bodies[2]["offset"].clone()).unwrap();
    assert!(matches!(typed, ScrollRequestOffset::Uuid(_)));
}

#[tokio::test]
async fn next_link_in_the_body() {
    let server = MockServer::start(Vec::new()).await;
    let next = |page: u32| {
        format!(
            "{}/linked?PageSize=2&Page={page}&PageToken=PA{page}",
            server.url()
        )
    };
    server.push(ok(
        json!({"things": things(&["a", "b"]), "meta": {"page": 0, "next_page_url": next(1)}}),
    ));
    server.push(ok(
        json!({"things": things(&["c", "d"]), "meta": {"page": 1, "next_page_url": next(2)}}),
    ));
    server.push(ok(
        json!({"things": things(&["e"]), "meta": {"page": 2, "next_page_url": null}}),
    ));
    let items: Vec<Thing> = client(&server)
        .list_linked()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        targets(&server),
        [
            "/linked?PageSize=2",
            "/linked?PageSize=2&Page=1&PageToken=PA1",
            "/linked?PageSize=2&Page=2&PageToken=PA2"
        ]
    );
}

#[tokio::test]
async fn next_link_in_a_link_header() {
    let server = MockServer::start(vec![
        ok(things(&["a", "b"])).header(
            "link",
            r#"</header-linked?per_page=2&page=2>; rel="next", </header-linked?per_page=2&page=9>; rel="last""#,
        ),
        ok(things(&["c"])).header("link", r#"</header-linked?per_page=2&page=1>; rel="first""#),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_header_linked()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c"]);
    assert_eq!(
        targets(&server),
        [
            "/header-linked?per_page=2",
            "/header-linked?per_page=2&page=2"
        ]
    );
}

#[tokio::test]
async fn a_link_to_another_host_is_not_followed() {
    let server = MockServer::start(vec![ok(
        json!({"things": things(&["a"]), "meta": {"next_page_url": "http://127.0.0.2:9/linked?Page=1"}}),
    )])
    .await;
    let pages: Vec<_> = client(&server).list_linked().pages().collect().await;
    assert_eq!(pages.len(), 2);
    assert!(matches!(&pages[1], Err(Error::InvalidRequest(m)) if m.contains("another origin")));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn offsets_advance_by_the_items_received_until_the_total() {
    let server = MockServer::start(vec![
        ok(json!({"data": things(&["a", "b"]), "count": 5})),
        ok(json!({"data": things(&["c", "d"]), "count": 5})),
        ok(json!({"data": things(&["e"]), "count": 5})),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_offsets()
        .skip(0)
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        targets(&server),
        [
            "/offsets?skip=0&limit=2",
            "/offsets?skip=2&limit=2",
            "/offsets?skip=4&limit=2"
        ]
    );
}

#[tokio::test]
async fn page_numbers_stop_after_a_short_page() {
    let server = MockServer::start(vec![
        ok(things(&["a", "b"])),
        ok(things(&["c", "d"])),
        ok(things(&["e"])),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_numbered()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        targets(&server),
        [
            "/numbered?limit=2",
            "/numbered?page=2&limit=2",
            "/numbered?page=3&limit=2"
        ]
    );
}

#[tokio::test]
async fn page_numbers_without_a_page_size_stop_after_an_empty_page() {
    let server =
        MockServer::start(vec![ok(things(&["a"])), ok(things(&["b"])), ok(json!([]))]).await;
    let items: Vec<Thing> = client(&server)
        .list_numbered()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b"]);
    assert_eq!(
        targets(&server),
        ["/numbered", "/numbered?page=2", "/numbered?page=3"]
    );
}

#[tokio::test]
async fn page_size_beyond_the_spec_maximum_is_refused_before_sending() {
    let server = MockServer::start(Vec::new()).await;
    let err = client(&server)
        .list_numbered()
        .page_size(31)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("between 1 and 30")),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn keyset_sends_the_last_items_id() {
    let server = MockServer::start(vec![
        ok(things(&["1001", "1002"])),
        ok(things(&["1003"])),
        // A `null` list (the schema allows it) is an empty page: the end.
        ok(Value::Null),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_keyset()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["1001", "1002", "1003"]);
    assert_eq!(
        targets(&server),
        ["/keyset", "/keyset?after=1002", "/keyset?after=1003"]
    );
}

#[tokio::test]
async fn camel_case_relay_follows_end_cursor_while_has_next_page() {
    let page = |ids: &[&str], cursor: &str, more: bool| {
        ok(json!({"nodes": things(ids), "pageInfo": {"hasNextPage": more, "endCursor": cursor}}))
    };
    let server = MockServer::start(vec![page(&["a"], "c1", true), page(&["b"], "c2", false)]).await;
    // `last` and `before` page backwards; `pages()` runs forwards and drops them.
    let client = client(&server);
    let mut items = client.list_graph().last(3).before("x").page_size(1).items();
    let mut seen = Vec::new();
    // The stream is boxed: no pinning needed to loop over it.
    while let Some(item) = items.next().await {
        seen.push(item.unwrap().id);
    }
    assert_eq!(seen, ["a", "b"]);
    assert_eq!(
        targets(&server),
        ["/graph?first=1", "/graph?first=1&after=c1"]
    );
}

#[tokio::test]
async fn vendor_extension_declaration_pages() {
    let server = MockServer::start(vec![
        ok(json!({"entries": things(&["a"]), "resume_from": "r1"})),
        ok(json!({"entries": things(&["b"])})),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_declared()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b"]);
    assert_eq!(targets(&server), ["/declared", "/declared?resume=r1"]);
}

#[tokio::test]
async fn config_declaration_pages() {
    let server = MockServer::start(vec![
        ok(json!({"rows": things(&["a", "b"]), "of": 3})),
        ok(json!({"rows": things(&["c"]), "of": 3})),
    ])
    .await;
    let items: Vec<Thing> = client(&server)
        .list_configured()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&items), ["a", "b", "c"]);
    assert_eq!(
        targets(&server),
        ["/configured?n=2", "/configured?at=2&n=2"]
    );
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_the_items_before_it() {
    let server = MockServer::start(vec![
        ok(json!({"items": things(&["a"]), "next_page": "t1"})),
        MockResponse::json(404, r#"{"message":"gone"}"#),
    ])
    .await;
    let client = client(&server);
    let mut items = client.list_tokens().items();
    assert_eq!(items.next().await.unwrap().unwrap().id, "a");
    let err = items.next().await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::Api(ref api) if api.status == 404),
        "{err:?}"
    );
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn send_with_response_keeps_status_headers_and_request_id() {
    let server = MockServer::start(vec![
        ok(json!({"items": [], "next_page": null})).header("x-request-id", "req-42")
    ])
    .await;
    let response = client(&server)
        .list_tokens()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req-42"));
    assert!(response.items.is_empty());
    assert_eq!(response.into_inner().next_page, None);
}
