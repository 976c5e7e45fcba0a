//! A response body read chunk by chunk as it arrives, never held whole in memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use reqwest::header::{HeaderMap, CONTENT_TYPE};

use crate::error::{Error, Interrupted};
use crate::raw::ErrorResponse;

/// A streamed response: status and headers now, the body as a [`Stream`] of
/// chunks. Returned by the `stream()` method of binary downloads, and the
/// source of [`EventStream`](crate::EventStream) and [`JsonStream`](crate::JsonStream).
///
/// A body that breaks off (connection reset, chunked body cut short, fewer
/// bytes than `Content-Length`) ends with [`Error::Interrupted`]; waiting
/// longer than the client's timeout for the next chunk ends with
/// [`Error::Timeout`]. The stream is `Unpin`: `while let Some(chunk) = s.next().await`.
#[must_use = "a stream does nothing until polled"]
pub struct ByteStream<E = serde_json::Value> {
    status: u16,
    headers: HeaderMap,
    operation: Option<&'static str>,
    chunks: BoxStream<'static, Result<Bytes, Error<E>>>,
}

/// Where the chunk reader is.
struct Reader {
    response: Option<reqwest::Response>,
    status: u16,
    received: u64,
    idle_timeout: Duration,
}

impl<E: Send + 'static> ByteStream<E> {
    /// Wraps a response whose body has not been read yet.
    pub(crate) fn new(mut response: reqwest::Response, idle_timeout: Duration) -> Self {
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let reader = Reader {
            response: Some(response),
            status,
            received: 0,
            idle_timeout,
        };
        let chunks = stream::unfold(reader, |mut reader| async move {
            let response = reader.response.as_mut()?;
            let item = match tokio::time::timeout(reader.idle_timeout, response.chunk()).await {
                Ok(Ok(Some(chunk))) => {
                    reader.received += chunk.len() as u64;
                    Ok(chunk)
                }
                Ok(Ok(None)) => return None,
                Ok(Err(err)) => Err(Error::Interrupted(Interrupted {
                    status: reader.status,
                    received: reader.received,
                    reason: "the connection failed before the body was complete".to_owned(),
                    last_event_id: None,
                    source: Some(err.without_url()),
                })),
                Err(_) => Err(Error::Timeout),
            };
            // After an error the connection is dropped and the stream ends.
            if item.is_err() {
                reader.response = None;
            }
            Some((item, reader))
        });
        ByteStream {
            status,
            headers,
            operation: None,
            chunks: Box::pin(chunks),
        }
    }

    /// Names the operation it answers (shown in errors).
    pub(crate) fn for_operation(mut self, operation: Option<&'static str>) -> Self {
        self.operation = operation;
        self
    }
}

impl<E> ByteStream<E> {
    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` header, if present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The `Content-Length` header, if the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(reqwest::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// Reads the rest of the body into memory.
    pub async fn bytes(mut self) -> Result<Bytes, Error<E>> {
        let mut body = BytesMut::new();
        while let Some(chunk) = self.chunks.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body.freeze())
    }

    /// Reads the body of a non-success response and turns it into
    /// [`Error::Api`], like [`Response::into_error`](crate::raw::Response::into_error).
    pub async fn into_error(mut self) -> Error<E>
    where
        E: ErrorResponse,
    {
        let status = self.status;
        let headers = std::mem::take(&mut self.headers);
        let operation = self.operation;
        match self.bytes().await {
            Ok(body) => Error::api_response(status, headers, &body).for_operation(operation),
            Err(err) => err,
        }
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("headers", &crate::error::HeaderNames(&self.headers))
            .finish_non_exhaustive()
    }
}
