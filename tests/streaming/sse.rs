//! `text/event-stream`: typed events from `stream()`, `send()` still JSON.

use std::sync::Arc;
use std::time::Duration;

use streaming_fixture::{
    operations::CreateChatCompletionError,
    types::{ChatRequest, CompletionRequest, Notice, NoticeLevel},
    Error, ErrorBody, StreamExt,
};
use tokio::sync::Notify;

use super::{chunks, client, cut_at};
use crate::mock_server::{MockResponse, MockServer, Part};

const CHAT: &str = ": connected\n\n\
    id: 1\ndata: {\"id\":\"c1\",\"delta\":\"H\u{e9}\u{1F600}\"}\n\n\
    event: chunk\r\nid: 2\r\nretry: 2500\r\ndata: {\"id\":\"c1\",\r\ndata: \"delta\":\"llo\"}\r\n\r\n\
    : keep-alive\r\r\
    data:{\"id\":\"c1\",\"delta\":\"!\"}\n\n\
    data: [DONE]\n\n\
    data: never read\n\n";

#[tokio::test]
async fn stream_yields_typed_events_split_anywhere_and_ends_at_done() {
    let e_acute = CHAT.find('\u{e9}').unwrap();
    let smiley = CHAT.find('\u{1F600}').unwrap();
    let crlf = CHAT.find("\r\n\r\n").unwrap();
    // Cuts inside `é` and the 4-byte emoji, between CR and LF, and inside `data:`.
    let cuts = [
        5,
        e_acute + 1,
        smiley + 2,
        smiley + 3,
        crlf + 1,
        crlf + 3,
        crlf + 8,
    ];
    let server = MockServer::start(vec![
        MockResponse::json(200, r#"{"id":"c0","text":"whole"}"#),
        MockResponse::chunked(200, "text/event-stream", cut_at(CHAT, &cuts)),
    ])
    .await;
    let client = client(&server.url());

    // `send()` decodes one JSON value, so a `stream: true` left in the body is taken back;
    // `stream()` asks for the stream without the caller setting the flag.
    let whole = client
        .create_chat_completion(ChatRequest::new("hi").with_stream(true))
        .send()
        .await
        .unwrap();
    assert_eq!(whole.text, "whole");

    let mut events = client
        .create_chat_completion(ChatRequest::new("hi"))
        .stream()
        .await
        .unwrap();
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        seen.push(event.unwrap());
    }
    let deltas: Vec<&str> = seen.iter().map(|e| e.data.delta.as_str()).collect();
    assert_eq!(deltas, ["H\u{e9}\u{1F600}", "llo", "!"]);
    assert_eq!(seen[0].event, "message");
    assert_eq!(seen[1].event, "chunk");
    let ids: Vec<Option<&str>> = seen.iter().map(|e| e.id.as_deref()).collect();
    assert_eq!(ids, [Some("1"), Some("2"), Some("2")], "ids carry over");
    assert_eq!(seen[0].retry, None);
    assert_eq!(seen[2].retry, Some(Duration::from_millis(2500)));

    let requests = server.requests();
    assert_eq!(requests[0].body, br#"{"prompt":"hi","stream":false}"#);
    assert_eq!(requests[1].header("accept"), Some("text/event-stream"));
    assert_eq!(requests[1].body, br#"{"prompt":"hi","stream":true}"#);
    assert_eq!(
        requests[1].header("authorization"),
        Some(&*format!("Bearer {}", super::TOKEN))
    );
}

#[tokio::test]
async fn events_arrive_before_the_body_ends() {
    let gate = Arc::new(Notify::new());
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "text/event-stream",
        vec![
            Part::Chunk(b"data: first\n\n".to_vec()),
            Part::Hold(gate.clone()),
            Part::Chunk(b"data: second\n\n".to_vec()),
        ],
    )])
    .await;
    let mut logs = client(&server.url()).tail_logs().stream().await.unwrap();
    // The server holds the rest until this event has been read.
    assert_eq!(logs.next().await.unwrap().unwrap().data, "first");
    gate.notify_one();
    assert_eq!(logs.next().await.unwrap().unwrap().data, "second");
    assert!(logs.next().await.is_none());
}

#[tokio::test]
async fn text_events_keep_multi_line_data() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "text/event-stream",
        chunks(&[b"data: line one\ndata:", b" line two\n\ndata\n\n"]),
    )])
    .await;
    let logs = client(&server.url()).tail_logs().stream().await.unwrap();
    let data: Vec<String> = logs.map(|e| e.unwrap().data).collect().await;
    assert_eq!(data, ["line one\nline two", ""]);
}

#[tokio::test]
async fn abrupt_close_mid_event_is_an_interrupted_error() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "text/event-stream",
        chunks(&[
            b"id: 7\ndata: {\"id\":\"c1\",\"delta\":\"a\"}\n\n",
            b"data: {\"id\"",
        ]),
    )
    .cut()])
    .await;
    let mut events = client(&server.url())
        .create_chat_completion(ChatRequest::new("hi"))
        .stream()
        .await
        .unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.delta, "a");
    let err = events.next().await.unwrap().unwrap_err();
    let Error::Interrupted(interrupted) = &err else {
        panic!("expected Interrupted, got {err:?}");
    };
    assert_eq!(interrupted.last_event_id.as_deref(), Some("7"));
    assert!(
        interrupted.source.is_some(),
        "the transport failure is kept"
    );
    assert!(err.to_string().contains("interrupted"), "{err}");
    assert!(
        events.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a started body is never retried"
    );
}

#[tokio::test]
async fn clean_close_mid_event_is_an_interrupted_error_too() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "text/event-stream",
        chunks(&[b"data: {\"level\":\"info\",\"message\":\"m\"}\n"]),
    )])
    .await;
    let mut notices = client(&server.url())
        .watch_notices()
        .stream()
        .await
        .unwrap();
    let err = notices.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Interrupted(i) if i.source.is_none() && i.received == 37),
        "{err:?}"
    );
}

#[tokio::test]
async fn item_schema_types_the_data_and_a_bad_event_does_not_end_the_stream() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "text/event-stream",
        chunks(&[
            b"event: notice\ndata: {\"level\":\"warning\",\"message\":\"disk\"}\n\n",
            b"data: {\"level\":1}\n\n",
            b"data: {\"level\":\"info\",\"message\":\"ok\"}\n\n",
        ]),
    )])
    .await;
    let mut notices = client(&server.url())
        .watch_notices()
        .stream()
        .await
        .unwrap();
    let first = notices.next().await.unwrap().unwrap();
    assert_eq!(first.event, "notice");
    let expected: Notice = Notice::builder()
        .level(NoticeLevel::Warning)
        .message("disk")
        .build();
    assert_eq!(first.data, expected);
    let bad = notices.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&bad, Error::Decode(d) if d.path == "level"),
        "{bad:?}"
    );
    assert_eq!(notices.next().await.unwrap().unwrap().data.message, "ok");
    assert!(notices.next().await.is_none());
}

#[tokio::test]
async fn an_error_status_is_typed_and_retries_happen_before_the_body_only() {
    let server = MockServer::start(vec![
        MockResponse::json(400, r#"{"code":"bad_prompt"}"#),
        MockResponse::status(503),
        MockResponse::chunked(
            200,
            "text/event-stream",
            chunks(&[b"data: {\"id\":\"c\",\"delta\":\"x\"}\n\n", b"data: {"]),
        )
        .cut(),
    ])
    .await;
    let client = client(&server.url());
    let err = client
        .create_chat_completion(ChatRequest::new("hi"))
        .stream()
        .await
        .unwrap_err();
    let Error::Api(api) = err else {
        panic!("expected Api, got {err:?}")
    };
    assert_eq!(api.status, 400);
    assert!(matches!(
        &api.body,
        ErrorBody::Typed(CreateChatCompletionError::ClientError(p)) if p.code == "bad_prompt"
    ));

    // A 503 before the body is retried (GET is idempotent); the cut body is not.
    let mut logs = client.tail_logs().stream().await.unwrap();
    assert!(logs.next().await.unwrap().is_ok());
    assert!(matches!(
        logs.next().await,
        Some(Err(Error::Interrupted(_)))
    ));
    assert_eq!(
        server.requests().len(),
        3,
        "503 retried; the cut body is not"
    );
}

#[tokio::test]
async fn json_where_events_were_expected_says_so() {
    let server = MockServer::start(vec![MockResponse::json(
        200,
        r#"{"id":"c0","text":"whole"}"#,
    )])
    .await;
    let mut events = client(&server.url())
        .create_chat_completion(ChatRequest::new("hi"))
        .stream()
        .await
        .unwrap();
    let err = events.next().await.unwrap().unwrap_err();
    assert!(
        err.to_string()
            .contains("got `application/json` (does the request ask for a stream?)"),
        "{err}"
    );
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn stream_sets_a_required_flag_in_an_optional_body_and_send_clears_it() {
    let server = MockServer::start(vec![
        MockResponse::chunked(
            200,
            "text/event-stream",
            vec![Part::Chunk(
                b"data: {\"id\":\"c1\",\"delta\":\"a\"}\n\n".to_vec(),
            )],
        ),
        MockResponse::json(200, r#"{"id":"c0","text":"whole"}"#),
        MockResponse::json(200, r#"{"id":"c0","text":"empty"}"#),
    ])
    .await;
    let client = client(&server.url());

    let mut events = client
        .create_completion()
        .body(CompletionRequest::new(false).with_prompt("hi"))
        .stream()
        .await
        .unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.delta, "a");
    let whole = client
        .create_completion()
        .body(CompletionRequest::new(true))
        .send()
        .await
        .unwrap();
    assert_eq!(whole.text, "whole");
    // No body given: nothing to set.
    client.create_completion().send().await.unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].body, br#"{"prompt":"hi","stream":true}"#);
    assert_eq!(requests[1].body, br#"{"stream":false}"#);
    assert!(requests[2].body.is_empty());
}

/// With `.reconnect(n)`, an event stream of a GET goes on after its connection ends or breaks,
/// as a browser's `EventSource` does: after the server's `retry:` delay, the request again with
/// `Last-Event-ID`; a 204 answer ends it.
#[tokio::test]
async fn reconnect_resumes_from_the_last_event_id_until_a_204() {
    let server = MockServer::start(vec![
        // Ends cleanly between events.
        MockResponse::chunked(
            200,
            "text/event-stream",
            chunks(&[b"retry: 10\nid: 1\ndata: one\n\n"]),
        ),
        // Breaks off in the middle of an event: the partial one is dropped.
        MockResponse::chunked(
            200,
            "text/event-stream",
            chunks(&[b"id: 2\ndata: two\n\n", b"id: 3\ndata: thr"]),
        )
        .cut(),
        MockResponse::chunked(
            200,
            "text/event-stream",
            chunks(&[b"id: 3\ndata: three\n\n"]),
        ),
        MockResponse::status(204),
    ])
    .await;
    let logs = client(&server.url())
        .tail_logs()
        .reconnect(3)
        .stream()
        .await
        .unwrap();
    let events: Vec<(Option<String>, String)> = logs
        .map(|e| {
            let e = e.unwrap();
            (e.id, e.data)
        })
        .collect()
        .await;
    let id = |id: &str| Some(id.to_owned());
    assert_eq!(
        events,
        [
            (id("1"), "one".to_owned()),
            (id("2"), "two".to_owned()),
            (id("3"), "three".to_owned())
        ]
    );
    let requests = server.requests();
    let resumed_from: Vec<Option<&str>> =
        requests.iter().map(|r| r.header("last-event-id")).collect();
    assert_eq!(resumed_from, [None, Some("1"), Some("2"), Some("3")]);
    assert!(requests.iter().all(|r| r.target == "/logs"));
}

/// Reconnections that bring no event count against the limit; once it is spent the stream
/// ends as the last connection did (here: broken off, so with the error). Without
/// `.reconnect`, nothing is sent again.
#[tokio::test]
async fn reconnects_stop_after_the_limit_without_events() {
    let broken =
        || MockResponse::chunked(200, "text/event-stream", chunks(&[b"retry: 5\ndata: x"])).cut();
    let server = MockServer::start(vec![
        MockResponse::chunked(
            200,
            "text/event-stream",
            chunks(&[b"retry: 5\nid: 9\ndata: first\n\n"]),
        ),
        broken(),
        broken(),
    ])
    .await;
    let mut logs = client(&server.url())
        .tail_logs()
        .reconnect(2)
        .stream()
        .await
        .unwrap();
    assert_eq!(logs.next().await.unwrap().unwrap().data, "first");
    match logs.next().await {
        Some(Err(Error::Interrupted(e))) => assert_eq!(e.last_event_id.as_deref(), Some("9")),
        other => panic!("{other:?}"),
    }
    assert!(logs.next().await.is_none());
    assert_eq!(server.requests().len(), 3);

    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "text/event-stream",
        chunks(&[b"retry: 5\ndata: only\n\n"]),
    )])
    .await;
    let logs = client(&server.url()).tail_logs().stream().await.unwrap();
    assert_eq!(logs.count().await, 1);
    assert_eq!(server.requests().len(), 1);
}

/// A reconnection that cannot be made (the server is gone) ends the stream with its error,
/// not as if the stream had simply finished; an error status ends it with that error.
#[tokio::test]
async fn a_reconnect_that_fails_ends_the_stream_with_its_error() {
    let server = MockServer::start(vec![MockResponse::chunked(
        200,
        "text/event-stream",
        chunks(&[b"retry: 5\nid: 1\ndata: one\n\n"]),
    )])
    .await;
    let mut logs = client(&server.url())
        .tail_logs()
        .reconnect(2)
        .stream()
        .await
        .unwrap();
    assert_eq!(logs.next().await.unwrap().unwrap().data, "one");
    drop(server);
    match logs.next().await {
        Some(Err(Error::Transport(e))) => assert!(!e.may_have_reached_server(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(logs.next().await.is_none());

    let server = MockServer::start(vec![
        MockResponse::chunked(
            200,
            "text/event-stream",
            chunks(&[b"retry: 5\ndata: one\n\n"]),
        ),
        MockResponse::status(404),
    ])
    .await;
    let mut logs = client(&server.url())
        .tail_logs()
        .reconnect(2)
        .stream()
        .await
        .unwrap();
    assert_eq!(logs.next().await.unwrap().unwrap().data, "one");
    match logs.next().await {
        Some(Err(err)) => assert_eq!(err.status(), Some(404), "{err}"),
        other => panic!("{other:?}"),
    }
    assert!(logs.next().await.is_none());
}
