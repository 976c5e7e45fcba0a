//! Relay pagination through a builder shaped like the generated ones.

use std::pin::pin;

use isometric_registry::{
    relay_items, relay_pages, Client, Error, ErrorResponse, Method, RelayPage, Request, Stream,
    StreamExt, TryStreamExt,
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

impl RelayPage for ThingPage {
    type Item = i64;
    fn has_next_page(&self) -> bool {
        self.page_info.has_next_page
    }
    fn end_cursor(&self) -> Option<&str> {
        self.page_info.end_cursor.as_deref()
    }
    fn into_items(self) -> Vec<i64> {
        self.nodes
    }
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

    fn after(mut self, after: impl Into<String>) -> Self {
        self.after = Some(after.into());
        self
    }

    async fn send(self) -> Result<ThingPage, Error<ListThingsError>> {
        let req = Request::new(Method::GET, "/things")
            .query("first", &self.first)
            .query("after", &self.after)
            .security(&[&["HTTPBearer"]]);
        let resp = self.client.execute::<ListThingsError>(req).await?;
        match resp.status() {
            200 => resp.json(),
            _ => Err(resp.into_error()),
        }
    }

    fn pages(self) -> impl Stream<Item = Result<ThingPage, Error<ListThingsError>>> + 'a {
        relay_pages(self, |b, c| b.after(c), |b| b.send())
    }

    fn items(self) -> impl Stream<Item = Result<i64, Error<ListThingsError>>> + 'a {
        relay_items(self.pages())
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
    let mut items = pin!(ListThings::new(&client).items());
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
