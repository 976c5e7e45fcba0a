//! `text/event-stream` (server-sent events): the WHATWG parsing rules and a typed event stream.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Interrupted};
use crate::raw::{ErrorResponse, Request};
use crate::{ByteStream, Client};

/// One server-sent event with its `data` decoded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SseEvent<T> {
    /// The `event:` field; `"message"` when the server sent none.
    pub event: String,
    /// The last `id:` the stream set (ids carry over to later events, as in
    /// browsers); `None` before any or after an empty `id:`.
    pub id: Option<String>,
    /// The last `retry:` (reconnection delay) the stream set, if any.
    pub retry: Option<Duration>,
    /// The `data:` lines, joined with `\n` and decoded.
    pub data: T,
}

/// `text/event-stream`, with or without parameters.
fn is_event_stream(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("");
    essence.trim().eq_ignore_ascii_case("text/event-stream")
}

/// An event as parsed, before its data is decoded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawEvent {
    pub(crate) event: String,
    pub(crate) id: Option<String>,
    pub(crate) retry: Option<Duration>,
    pub(crate) data: String,
}

/// The incremental parser: feed it chunks split anywhere (mid-line, mid-CRLF,
/// mid-UTF-8 character), take the events it completed.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// Bytes of the line not yet terminated.
    line: Vec<u8>,
    /// The previous chunk ended with CR: a leading LF belongs to that line end.
    after_cr: bool,
    /// The leading BOM has been dealt with.
    started: bool,
    data: String,
    /// Some `data:` line arrived since the last dispatch (data may be empty).
    has_data: bool,
    event: String,
    /// Fields of an event seen since the last blank line.
    pending: bool,
    /// The last event id, as of the last dispatched event: what a reconnection resumes from.
    last_id: Option<String>,
    /// The id the event being read set (`id:` takes effect when the event is dispatched).
    id_buffer: Option<String>,
    retry: Option<Duration>,
}

impl Parser {
    /// Parses `chunk`, appending every event it completes to `out`.
    pub(crate) fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<RawEvent>) {
        if !self.started {
            // A BOM may itself arrive split; wait until three bytes decide it.
            let mut head = std::mem::take(&mut self.line);
            head.extend_from_slice(chunk);
            if head.len() < 3 && b"\xEF\xBB\xBF".starts_with(&head) {
                self.line = head;
                return;
            }
            self.started = true;
            let skip = if head.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            return self.feed(&head[skip..], out);
        }
        if chunk.is_empty() {
            return;
        }
        if self.after_cr && chunk.first() == Some(&b'\n') {
            chunk = &chunk[1..];
        }
        self.after_cr = false;
        while let Some(end) = chunk.iter().position(|b| *b == b'\n' || *b == b'\r') {
            self.line.extend_from_slice(&chunk[..end]);
            let line = std::mem::take(&mut self.line);
            self.line_complete(&line, out);
            let crlf = chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n');
            if chunk[end] == b'\r' && end + 1 == chunk.len() {
                self.after_cr = true;
            }
            chunk = &chunk[end + if crlf { 2 } else { 1 }..];
        }
        self.line.extend_from_slice(chunk);
    }

    /// Whether the input so far ended inside a line or an undispatched event.
    pub(crate) fn mid_event(&self) -> bool {
        !self.line.is_empty() || self.pending
    }

    /// A new connection: a fresh body, but the last event id and the reconnection delay carry
    /// over (the id is what the server resumes from).
    fn reconnected(&mut self) {
        *self = Parser {
            id_buffer: self.last_id.clone(),
            last_id: self.last_id.take(),
            retry: self.retry,
            ..Parser::default()
        };
    }

    fn line_complete(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) {
        // Lines are split on ASCII bytes, so a multi-byte character is never cut here.
        let line = String::from_utf8_lossy(line);
        if line.is_empty() {
            return self.dispatch(out);
        }
        if line.starts_with(':') {
            return; // A comment (often a keep-alive).
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => {
                self.id_buffer = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Digits beyond u64 are a server bug; keep the longest delay.
                let ms = value.parse().unwrap_or(u64::MAX);
                self.retry = Some(Duration::from_millis(ms));
            }
            _ => return, // Unknown fields are ignored.
        }
        self.pending = true;
    }

    /// A blank line: the event is complete, unless it had no data.
    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        self.last_id.clone_from(&self.id_buffer);
        let event = std::mem::take(&mut self.event);
        let data = std::mem::take(&mut self.data);
        self.pending = false;
        if !std::mem::take(&mut self.has_data) {
            return;
        }
        out.push_back(RawEvent {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            id: self.last_id.clone(),
            retry: self.retry,
            data,
        });
    }
}

/// The typed events of a `text/event-stream` response. `Unpin`:
/// `while let Some(event) = events.next().await`.
///
/// Ends cleanly when the body ends between events, or at the event whose data
/// is the operation's end sentinel (e.g. `[DONE]`, not yielded). A body that
/// ends mid-line or mid-event, or breaks off, yields [`Error::Interrupted`]
/// (carrying the last event id) and ends. With the operation's `reconnect(n)`, a
/// connection that ends or breaks is replaced instead, while reconnections are left;
/// one that cannot be made ends the stream with its error. Data that doesn't decode yields
/// [`Error::Decode`] for that event; later events still arrive. A success
/// response of another content type (JSON from an API that streams only when
/// asked to) yields one [`Error::Decode`] saying so.
#[must_use = "a stream does nothing until polled"]
pub struct EventStream<T, E = serde_json::Value> {
    events: BoxStream<'static, Result<SseEvent<T>, Error<E>>>,
}

/// Where the event stream is.
struct State<E> {
    body: ByteStream<E>,
    parser: Parser,
    ready: VecDeque<RawEvent>,
    done: Option<&'static str>,
    received: u64,
    finished: bool,
    resume: Option<Resume<E>>,
}

type Reopened<E> = BoxFuture<'static, Result<Option<ByteStream<E>>, Error<E>>>;

/// How an event stream of an operation that may be repeated reconnects, as a browser's
/// `EventSource` does: after the server's `retry:` delay (3 s until it sets one), the request
/// again with `Last-Event-ID`, at most `times` times in a row without an event between. A 204
/// answer ends the stream; another non-success status ends it with that error.
pub(crate) struct Resume<E> {
    reopen: Box<dyn Fn(Option<String>) -> Reopened<E> + Send>,
    times: u32,
    /// Reconnections since the last event.
    failed: u32,
}

/// The reconnection delay until the server sets one with `retry:`.
const DEFAULT_RETRY: Duration = Duration::from_secs(3);

impl<E: ErrorResponse + Send + 'static> Resume<E> {
    /// Reconnects by sending `request` through `client` again; `times == 0` never does.
    #[allow(dead_code)] // a spec without event streams from GET operations never calls it
    pub(crate) fn new(client: &Client, request: Request, times: u32) -> Self {
        let client = client.clone();
        let reopen = move |last_id: Option<String>| -> Reopened<E> {
            let client = client.clone();
            let request = match last_id {
                Some(id) => request.clone().header("last-event-id", &id),
                None => request.clone(),
            };
            Box::pin(async move {
                let body = client.execute_streaming::<E>(request).await?;
                match body.status() {
                    204 => Ok(None),
                    200..=299 => Ok(Some(body)),
                    _ => Err(body.into_error().await),
                }
            })
        };
        Resume {
            reopen: Box::new(reopen),
            times,
            failed: 0,
        }
    }
}

impl<T: Send + 'static, E: Send + 'static> EventStream<T, E> {
    /// Events whose data is JSON decoded into `T`; `done` is the data that
    /// ends the stream, if the API sends one.
    pub fn json(body: ByteStream<E>, done: Option<&'static str>) -> Self
    where
        T: DeserializeOwned,
    {
        Self::new(body, done, None, decode_json)
    }

    /// [`json`](Self::json), reconnecting as `resume` says when the connection ends.
    #[allow(dead_code)] // a spec without event streams from GET operations never calls it
    pub(crate) fn json_resuming(
        body: ByteStream<E>,
        done: Option<&'static str>,
        resume: Resume<E>,
    ) -> Self
    where
        T: DeserializeOwned,
    {
        Self::new(body, done, Some(resume), decode_json)
    }

    fn new(
        body: ByteStream<E>,
        done: Option<&'static str>,
        resume: Option<Resume<E>>,
        decode: fn(u16, &str) -> Result<T, DecodeError>,
    ) -> Self {
        let status = body.status();
        if let Some(other) = body.content_type().filter(|ct| !is_event_stream(ct)) {
            // E.g. an API that answers JSON unless the request body asks for a stream.
            let message = format!(
                "expected a text/event-stream response, got `{other}` \
                 (does the request ask for a stream?)"
            );
            let wrong = stream::once(async move {
                let body = body.bytes().await?;
                let snippet = String::from_utf8_lossy(&body).chars().take(200).collect();
                Err(Error::Decode(DecodeError {
                    status,
                    path: ".".to_owned(),
                    message,
                    snippet,
                    request_id: None,
                    operation: None,
                }))
            });
            return EventStream {
                events: Box::pin(wrong),
            };
        }
        let state = State {
            body,
            parser: Parser::default(),
            ready: VecDeque::new(),
            done,
            received: 0,
            finished: false,
            resume: resume.filter(|r| r.times > 0),
        };
        let events = stream::unfold(state, move |mut state| async move {
            let raw = state.next_raw().await?;
            let item = raw.and_then(|raw| {
                let data = decode(status, &raw.data).map_err(Error::Decode)?;
                Ok(SseEvent {
                    event: raw.event,
                    id: raw.id,
                    retry: raw.retry,
                    data,
                })
            });
            Some((item, state))
        });
        EventStream {
            events: Box::pin(events),
        }
    }
}

/// An event's data as JSON.
fn decode_json<T: DeserializeOwned>(status: u16, data: &str) -> Result<T, DecodeError> {
    serde_json::from_str(data).map_err(|e| DecodeError::new(status, data.as_bytes(), e))
}

/// An event's data as text.
fn decode_text(_status: u16, data: &str) -> Result<String, DecodeError> {
    Ok(data.to_owned())
}

impl<E: Send + 'static> EventStream<String, E> {
    /// Events whose data is kept as text.
    pub fn text(body: ByteStream<E>, done: Option<&'static str>) -> Self {
        Self::new(body, done, None, decode_text)
    }

    /// [`text`](Self::text), reconnecting as `resume` says when the connection ends.
    #[allow(dead_code)] // a spec without event streams from GET operations never calls it
    pub(crate) fn text_resuming(
        body: ByteStream<E>,
        done: Option<&'static str>,
        resume: Resume<E>,
    ) -> Self {
        Self::new(body, done, Some(resume), decode_text)
    }
}

impl<E> State<E> {
    /// The next complete event, the error that ended the body, or `None` at the end.
    async fn next_raw(&mut self) -> Option<Result<RawEvent, Error<E>>> {
        loop {
            if self.finished {
                return None;
            }
            if let Some(raw) = self.ready.pop_front() {
                if self.done.is_some_and(|done| raw.data.trim() == done) {
                    self.finished = true;
                    return None;
                }
                if let Some(resume) = &mut self.resume {
                    resume.failed = 0;
                }
                return Some(Ok(raw));
            }
            let ended = match self.body.next().await {
                Some(Ok(chunk)) => {
                    self.received += chunk.len() as u64;
                    self.parser.feed(&chunk, &mut self.ready);
                    continue;
                }
                Some(Err(mut err)) => {
                    if let Error::Interrupted(e) = &mut err {
                        e.last_event_id.clone_from(&self.parser.last_id);
                    }
                    // A broken connection or a silent one may be resumed; nothing else.
                    if !matches!(err, Error::Interrupted(_) | Error::Timeout) {
                        self.finished = true;
                        return Some(Err(err));
                    }
                    Some(err)
                }
                None if self.parser.mid_event() => Some(Error::Interrupted(Interrupted {
                    status: self.body.status(),
                    received: self.received,
                    reason: "the event stream ended in the middle of an event".to_owned(),
                    last_event_id: self.parser.last_id.clone(),
                    source: None,
                })),
                None => None,
            };
            match self.reopen().await {
                Ok(true) => continue,
                Ok(false) => {
                    self.finished = true;
                    return ended.map(Err);
                }
                Err(err) => {
                    self.finished = true;
                    return Some(Err(err));
                }
            }
        }
    }

    /// After the connection ended: whether a new one carries on (`false`: no reconnection,
    /// or none left, or the server answered 204; an error: the server answered with one, or
    /// could not be reached on the last try).
    async fn reopen(&mut self) -> Result<bool, Error<E>> {
        // Why the last reconnection failed: what the stream ends with once none are left.
        let mut failure = None;
        loop {
            let Some(resume) = &mut self.resume else {
                return Ok(false);
            };
            if resume.failed >= resume.times {
                return failure.map_or(Ok(false), Err);
            }
            resume.failed += 1;
            tokio::time::sleep(self.parser.retry.unwrap_or(DEFAULT_RETRY)).await;
            match (resume.reopen)(self.parser.last_id.clone()).await {
                Ok(Some(body)) => {
                    self.body = body;
                    self.received = 0;
                    self.parser.reconnected();
                    return Ok(true);
                }
                Ok(None) => return Ok(false),
                // Not answering is like breaking off: try again while tries are left.
                Err(err @ (Error::Transport(_) | Error::Timeout)) => failure = Some(err),
                Err(err) => return Err(err),
            }
        }
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<SseEvent<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_in(chunks: &[&[u8]]) -> (Vec<RawEvent>, bool) {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        (out.into(), parser.mid_event())
    }

    fn data(events: &[RawEvent]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn whatwg_fields_comments_and_multiline_data() {
        let text =
            b"\xEF\xBB\xBF: hello\nevent: add\nid: 7\nretry: 1500\ndata: a\ndata:b\ndata\n\n\
            data:  two spaces\nid\nbogus: x\n\ndata: [DONE]\n\n";
        let (events, mid) = parse_in(&[text]);
        assert!(!mid);
        assert_eq!(data(&events), ["a\nb\n", " two spaces", "[DONE]"]);
        assert_eq!(events[0].event, "add");
        assert_eq!(events[0].id.as_deref(), Some("7"));
        assert_eq!(events[0].retry, Some(Duration::from_millis(1500)));
        assert_eq!(events[1].event, "message");
        assert_eq!(events[1].id, None, "an empty id resets the last event id");
        assert_eq!(events[1].retry, Some(Duration::from_millis(1500)));
    }

    #[test]
    fn every_split_point_and_line_ending_gives_the_same_events() {
        for eol in ["\n", "\r", "\r\n"] {
            let text = [
                "\u{FEFF}data: é€𝄞",
                "data: x",
                "",
                "event: e",
                "data: {}",
                "",
                "",
            ]
            .join(eol);
            let bytes = text.as_bytes();
            let (whole, _) = parse_in(&[bytes]);
            assert_eq!(data(&whole), ["é€𝄞\nx", "{}"], "{eol:?}");
            for a in 0..bytes.len() {
                for b in a..bytes.len() {
                    let (split, mid) = parse_in(&[&bytes[..a], &bytes[a..b], &bytes[b..]]);
                    assert_eq!(split, whole, "{eol:?} split at {a}, {b}");
                    assert!(!mid);
                }
            }
        }
    }

    #[test]
    fn events_without_data_are_not_dispatched_and_truncation_is_seen() {
        let (events, mid) = parse_in(&[b"event: ping\n\nid: 3\n\n"]);
        assert!(events.is_empty());
        assert!(!mid);
        assert!(parse_in(&[b"data: cut"]).1, "mid-line");
        assert!(parse_in(&[b"data: a\n"]).1, "mid-event");
        assert!(!parse_in(&[b": keep-alive\n"]).1, "a comment is no event");
    }

    /// An `id:` becomes the last event id when its event is dispatched: a stream cut inside an
    /// event resumes from the event before, and a new connection starts from the old id.
    #[test]
    fn the_last_event_id_moves_at_dispatch_and_survives_a_reconnection() {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        parser.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b", &mut out);
        assert_eq!(parser.last_id.as_deref(), Some("1"));
        parser.reconnected();
        parser.feed(b"data: c\n\n", &mut out);
        let ids: Vec<_> = out.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, [Some("1"), Some("1")]);
        assert_eq!(data(&Vec::from(out)), ["a", "c"]);
    }
}
