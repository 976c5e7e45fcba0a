//! Streams of JSON values, one per record: `application/x-ndjson` and `application/jsonl`
//! (one per line) and `application/json-seq` (RFC 7464: each record starts with `0x1E`).

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Interrupted};
use crate::ByteStream;

/// The RFC 7464 record separator.
const RS: u8 = 0x1E;

/// How records are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// Each record ends with `\n` (a trailing `\r` is dropped); the last may omit it.
    Lines,
    /// Each record starts with `0x1E`.
    RecordSeparator,
}

/// Splits chunks (cut anywhere) into records, skipping blank ones.
#[derive(Debug)]
pub(crate) struct Records {
    framing: Framing,
    partial: Vec<u8>,
}

impl Records {
    pub(crate) fn new(framing: Framing) -> Self {
        Records {
            framing,
            partial: Vec::new(),
        }
    }

    /// Appends every record `chunk` completes to `out`.
    pub(crate) fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<Vec<u8>>) {
        let delimiter = match self.framing {
            Framing::Lines => b'\n',
            Framing::RecordSeparator => RS,
        };
        let mut rest = chunk;
        while let Some(at) = rest.iter().position(|b| *b == delimiter) {
            self.partial.extend_from_slice(&rest[..at]);
            let record = std::mem::take(&mut self.partial);
            if !is_blank(&record) {
                out.push_back(record);
            }
            rest = &rest[at + 1..];
        }
        self.partial.extend_from_slice(rest);
    }

    /// What is left at the end of the body: the last record, when not blank.
    pub(crate) fn finish(&mut self) -> Option<Vec<u8>> {
        let record = std::mem::take(&mut self.partial);
        (!is_blank(&record)).then_some(record)
    }
}

fn is_blank(record: &[u8]) -> bool {
    record.iter().all(u8::is_ascii_whitespace)
}

/// The typed items of an NDJSON / JSON Lines / JSON text sequence response.
/// `Unpin`: `while let Some(item) = items.next().await`.
///
/// Blank lines are skipped. An item that doesn't decode yields
/// [`Error::Decode`] and later items still arrive; a last line cut short (it
/// doesn't end in `\n` and isn't complete JSON), or a body that breaks off,
/// yields [`Error::Interrupted`] and ends the stream.
#[must_use = "a stream does nothing until polled"]
pub struct JsonStream<T, E = serde_json::Value> {
    items: BoxStream<'static, Result<T, Error<E>>>,
}

/// Where the item stream is.
struct State<E> {
    body: ByteStream<E>,
    records: Records,
    ready: VecDeque<Vec<u8>>,
    received: u64,
    finished: bool,
}

impl<T: DeserializeOwned + Send + 'static, E: Send + 'static> JsonStream<T, E> {
    /// One item per line (`application/x-ndjson`, `application/jsonl`).
    pub fn lines(body: ByteStream<E>) -> Self {
        Self::new(body, Framing::Lines)
    }

    /// One item per `0x1E`-prefixed record (`application/json-seq`).
    pub fn json_seq(body: ByteStream<E>) -> Self {
        Self::new(body, Framing::RecordSeparator)
    }

    fn new(body: ByteStream<E>, framing: Framing) -> Self {
        let state = State {
            body,
            records: Records::new(framing),
            ready: VecDeque::new(),
            received: 0,
            finished: false,
        };
        let items = stream::unfold(state, |mut state| async move {
            let item = state.next_item().await?;
            Some((item, state))
        });
        JsonStream {
            items: Box::pin(items),
        }
    }
}

impl<E> State<E> {
    async fn next_item<T: DeserializeOwned>(&mut self) -> Option<Result<T, Error<E>>> {
        loop {
            if let Some(record) = self.ready.pop_front() {
                return Some(self.decode(&record, false));
            }
            if self.finished {
                return None;
            }
            match self.body.next().await {
                Some(Ok(chunk)) => {
                    self.received += chunk.len() as u64;
                    self.records.feed(&chunk, &mut self.ready);
                }
                Some(Err(err)) => {
                    self.finished = true;
                    return Some(Err(err));
                }
                None => {
                    self.finished = true;
                    let last = self.records.finish()?;
                    return Some(self.decode(&last, true));
                }
            }
        }
    }

    /// Decodes one record; in the `last` (unterminated) one, JSON that stops
    /// short means the body was cut.
    fn decode<T: DeserializeOwned>(&self, record: &[u8], last: bool) -> Result<T, Error<E>> {
        let status = self.body.status();
        let err = match serde_json::from_slice(record) {
            Ok(item) => return Ok(item),
            Err(err) => err,
        };
        if last && err.is_eof() {
            return Err(Error::Interrupted(Interrupted {
                status,
                received: self.received,
                reason: "the body ended in the middle of an item".to_owned(),
                last_event_id: None,
                source: None,
            }));
        }
        Err(Error::Decode(DecodeError::new(status, record, err)))
    }
}

impl<T, E> Stream for JsonStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for JsonStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(framing: Framing, chunks: &[&[u8]]) -> (Vec<Vec<u8>>, Option<Vec<u8>>) {
        let mut records = Records::new(framing);
        let mut out = VecDeque::new();
        for chunk in chunks {
            records.feed(chunk, &mut out);
        }
        (out.into(), records.finish())
    }

    #[test]
    fn lines_skip_blanks_and_keep_an_unterminated_tail() {
        let (records, tail) = split(
            Framing::Lines,
            &[b"{\"a\":1}\r\n\n  \n{\"a\"", b":2}\n{\"a\":"],
        );
        assert_eq!(records, [b"{\"a\":1}\r".to_vec(), b"{\"a\":2}".to_vec()]);
        assert_eq!(tail.as_deref(), Some(&b"{\"a\":"[..]));
        assert_eq!(split(Framing::Lines, &[b"1\n\n"]).1, None);
    }

    #[test]
    fn json_seq_records_start_with_rs() {
        let (records, tail) = split(
            Framing::RecordSeparator,
            &[b"\x1e{\"a\":\n1}\n\x1e", b"2\n"],
        );
        assert_eq!(records, [b"{\"a\":\n1}\n".to_vec()]);
        assert_eq!(tail.as_deref(), Some(&b"2\n"[..]));
    }
}
