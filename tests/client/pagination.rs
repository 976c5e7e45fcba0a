//! Relay pagination of `list_projects()`: cursors, page size, loop guard.

use isometric_registry::{types::Project, Error, StreamExt};
use serde_json::{json, Value};

use crate::client;
use crate::fixtures::{page_info, project};
use crate::mock_server::{MockResponse, MockServer};

fn project_with_id(id: &str) -> Value {
    let mut p = project();
    p["id"] = json!(id);
    p
}

fn projects_page(ids: &[&str], end_cursor: Option<&str>, has_next_page: bool) -> MockResponse {
    let nodes: Vec<Value> = ids.iter().map(|id| project_with_id(id)).collect();
    let body = json!({
        "nodes": nodes,
        "total_count": 5,
        "page_info": page_info(end_cursor, has_next_page),
    });
    MockResponse::json(200, &body.to_string())
}

fn query_of(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

const IDS: [&str; 5] = [
    "prj_1CTWZQGKE1S0VAX1",
    "prj_1CTWZQGKE1S0VAX2",
    "prj_1CTWZQGKE1S0VAX3",
    "prj_1CTWZQGKE1S0VAX4",
    "prj_1CTWZQGKE1S0VAX5",
];

#[tokio::test]
async fn items_walks_three_pages_sending_each_cursor() {
    let server = MockServer::start(vec![
        projects_page(&IDS[..2], Some("Y3Vyc29yOjI="), true),
        projects_page(&IDS[2..4], Some("Y3Vyc29yOjQ="), true),
        projects_page(&IDS[4..], Some("Y3Vyc29yOjU="), false),
    ])
    .await;
    let client = client(&server.url());
    // `last`/`before` set by mistake are dropped: paging runs forwards. The stream is boxed
    // (`Unpin`): a plain `while let` loops over it, no pinning.
    let mut stream = client
        .list_projects()
        .last(7)
        .before("b")
        .page_size(2)
        .items();
    let mut seen: Vec<Project> = Vec::new();
    while let Some(item) = stream.next().await {
        seen.push(item.expect("every page decodes"));
    }
    let ids: Vec<&str> = seen.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, IDS);

    let requests = server.requests();
    assert_eq!(requests.len(), 3, "stops after has_next_page = false");
    let expected_after = [None, Some("Y3Vyc29yOjI%3D"), Some("Y3Vyc29yOjQ%3D")];
    for (request, after) in requests.iter().zip(expected_after) {
        assert!(request.target.starts_with("/registry/v0/projects?"));
        let query = query_of(&request.target);
        let get = |name: &str| {
            query
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("first"), ["2"], "{}", request.target);
        assert!(get("last").is_empty(), "{}", request.target);
        assert!(get("before").is_empty(), "{}", request.target);
        assert_eq!(get("after"), after.into_iter().collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn pages_yield_page_info() {
    let server = MockServer::start(vec![
        projects_page(&IDS[..2], Some("c2"), true),
        projects_page(&IDS[2..], None, false),
    ])
    .await;
    let client = client(&server.url());
    let pages: Vec<_> = client.list_projects().page_size(3).pages().collect().await;
    assert_eq!(pages.len(), 2);
    let first = pages[0].as_ref().unwrap();
    assert!(first.page_info.has_next_page);
    assert_eq!(first.page_info.end_cursor.as_deref(), Some("c2"));
    assert_eq!(pages[1].as_ref().unwrap().nodes.len(), 3);
}

#[tokio::test]
async fn repeated_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start(vec![
        projects_page(&IDS[..1], Some("same"), true),
        projects_page(&IDS[1..2], Some("same"), true),
        projects_page(&IDS[2..3], Some("other"), false),
    ])
    .await;
    let client = client(&server.url());
    let results: Vec<_> = client.list_projects().items().collect().await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, IDS[0]);
    assert_eq!(results[1].as_ref().unwrap().id, IDS[1]);
    match &results[2] {
        Err(Error::RepeatedCursor(cursor)) => assert_eq!(cursor, "same"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 2, "no request after the repeat");
}

#[tokio::test]
async fn page_size_outside_the_spec_range_is_rejected_before_sending() {
    let server = MockServer::start(Vec::new()).await;
    let client = client(&server.url());
    for size in [51, 0, -1] {
        let err = client
            .list_projects()
            .page_size(size)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{size}: {err:?}");
        let first: Vec<_> = client
            .list_projects()
            .page_size(size)
            .items()
            .collect()
            .await;
        assert!(
            matches!(first.as_slice(), [Err(Error::InvalidRequest(_))]),
            "{first:?}"
        );
    }
    let err = client
        .list_projects()
        .first(5)
        .last(5)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.requests().is_empty());
    // 50, the spec's maximum, is fine.
    server.push(projects_page(&IDS[..1], None, false));
    let page = client.list_projects().page_size(50).send().await.unwrap();
    assert_eq!(page.nodes.len(), 1);
    assert_eq!(
        server.requests()[0].target,
        "/registry/v0/projects?first=50"
    );
}
