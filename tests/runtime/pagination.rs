//! The runtime's page loop (`paging::pages`) through a builder shaped like the generated ones,
//! and next-page links (`Request::follow_link`). Each style's generated step is tested end to
//! end in `tests/paging`.

use isometric_registry::paging::{self, ItemStream, PageStream};
use isometric_registry::{
    raw::{ErrorResponse, Method, Request},
    Client, Error, ResponseValue, StreamExt, TryStreamExt,
};
use serde::Deserialize;

use crate::builder;
use crate::mock_server::{MockResponse, MockServer};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ThingPage {
    nodes: Vec<i64>,
    page_info: PageInfo,
}

#[derive(Debug)]
enum ListThingsError {
    Status422(serde_json::Value),
}

impl ErrorResponse for ListThingsError {
    fn from_response(status: u16, body: &[u8]) -> Option<Self> {
        match status {
            422 => serde_json::from_slice(body)
                .ok()
                .map(ListThingsError::Status422),
            _ => None,
        }
    }
}

/// The shape of a generated operation builder.
#[derive(Clone)]
struct ListThings<'a> {
    client: &'a Client,
    first: Option<i64>,
    after: Option<String>,
}

impl<'a> ListThings<'a> {
    fn new(client: &'a Client) -> Self {
        ListThings {
            client,
            first: None,
            after: None,
        }
    }

    fn first(mut self, first: i64) -> Self {
        self.first = Some(first);
        self
    }

    async fn send(self) -> Result<ResponseValue<ThingPage>, Error<ListThingsError>> {
        let req = Request::new(Method::GET, "/things")
            .query("first", &self.first)
            .query("after", &self.after)
            .security(&[&["HTTPBearer"]]);
        let resp = self.client.execute::<ListThingsError>(req).await?;
        match resp.status() {
            200 => resp.json().map(|value| resp.into_value(value)),
            _ => Err(resp.into_error()),
        }
    }

    fn pages(self) -> PageStream<'a, ThingPage, ListThingsError> {
        paging::pages(self, Self::send, |request, page| {
            if !page.page_info.has_next_page {
                return None;
            }
            let cursor = page.page_info.end_cursor.clone()?;
            let mut next = request.clone();
            next.after = Some(cursor.clone());
            Some((next, cursor))
        })
    }

    fn items(self) -> ItemStream<'a, i64, ListThingsError> {
        paging::items(self.pages(), |page| page.nodes)
    }
}

fn page(nodes: &[i64], next: Option<&str>) -> MockResponse {
    let body = serde_json::json!({
        "nodes": nodes,
        "pageInfo": {"hasNextPage": next.is_some(), "endCursor": next},
    });
    MockResponse::json(200, &body.to_string())
}

#[tokio::test]
async fn relay_pages_follow_cursors() {
    let script = vec![
        page(&[1, 2], Some("c1")),
        page(&[3, 4], Some("c2")),
        page(&[5], None),
    ];
    let server = MockServer::start(script).await;
    let client = builder(&server.url()).build().unwrap();
    let items: Vec<i64> = ListThings::new(&client)
        .first(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/things?first=2",
            "/things?first=2&after=c1",
            "/things?first=2&after=c2"
        ]
    );
}

#[tokio::test]
async fn repeated_cursor_ends_the_stream() {
    let script = vec![
        page(&[1], Some("c1")),
        page(&[2], Some("c1")),
        page(&[3], None),
    ];
    let server = MockServer::start(script).await;
    let client = builder(&server.url()).build().unwrap();
    let pages: Vec<_> = ListThings::new(&client).pages().collect().await;
    assert_eq!(pages.len(), 3);
    assert!(pages[0].is_ok() && pages[1].is_ok());
    assert!(matches!(&pages[2], Err(Error::RepeatedCursor(c)) if c == "c1"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn cursor_cycle_ends_the_stream() {
    // c1 → c2 → c1 would loop forever; any cursor seen before ends the walk.
    let script = vec![
        page(&[1], Some("c1")),
        page(&[2], Some("c2")),
        page(&[3], Some("c1")),
        page(&[4], None),
    ];
    let server = MockServer::start(script).await;
    let client = builder(&server.url()).build().unwrap();
    let pages: Vec<_> = ListThings::new(&client).pages().collect().await;
    assert_eq!(pages.len(), 4);
    assert!(pages[..3].iter().all(Result::is_ok));
    assert!(matches!(&pages[3], Err(Error::RepeatedCursor(c)) if c == "c1"));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn error_ends_the_stream() {
    let script = vec![
        page(&[1], Some("c1")),
        MockResponse::json(422, r#"{"detail":"bad cursor"}"#),
        page(&[3], None),
    ];
    let server = MockServer::start(script).await;
    let client = builder(&server.url()).build().unwrap();
    // Boxed streams: no pinning needed.
    let mut items = ListThings::new(&client).items();
    assert_eq!(items.next().await.unwrap().unwrap(), 1);
    let err = items.next().await.unwrap().unwrap_err();
    let Error::Api(api) = err else {
        panic!("{err:?}")
    };
    let isometric_registry::ErrorBody::Typed(ListThingsError::Status422(body)) = api.body else {
        panic!("{api:?}")
    };
    assert_eq!(body["detail"], "bad cursor");
    assert!(items.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn page_stream_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = builder("http://127.0.0.1:1").build().unwrap();
    assert_send(&ListThings::new(&client).items());
}

#[tokio::test]
async fn follow_link_replaces_path_and_query_and_stays_on_the_origin() {
    let server = MockServer::start(vec![
        MockResponse::json(200, "[]"),
        MockResponse::json(200, "[]"),
    ])
    .await;
    let client = builder(&format!("{}/api/v1", server.url()))
        .build()
        .unwrap();
    let absolute = format!("{}/api/v1/things?page=2&size=5", server.url());
    for link in [
        absolute.as_str(),
        "/api/v1/things?page=3",
        "https://elsewhere.test/x?page=4",
    ] {
        let request = Request::new(Method::POST, "/search")
            .query("ignored", "yes")
            .follow_link(link);
        let result = client.execute::<serde_json::Value>(request).await;
        if link.starts_with("https://elsewhere") {
            let Err(Error::InvalidRequest(message)) = result else {
                panic!("{result:?}")
            };
            assert!(message.contains("another origin"), "{message}");
        } else {
            assert_eq!(result.unwrap().status(), 200);
        }
    }
    let seen: Vec<(String, String)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.target))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET".to_owned(), "/api/v1/things?page=2&size=5".to_owned()),
            ("GET".to_owned(), "/api/v1/things?page=3".to_owned()),
        ]
    );
}
