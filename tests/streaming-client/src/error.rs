//! The error type of every operation.

use std::fmt;

use reqwest::header::HeaderMap;

use crate::ErrorResponse;

/// Response headers that carry a request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-correlation-id",
];

/// Largest body excerpt kept in a [`DecodeError`], in characters.
const SNIPPET_CHARS: usize = 200;

/// Why an operation failed. `E` is the operation's typed error body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The server answered with a non-success status (boxed to keep
    /// `Result<T, Error<E>>` small).
    Api(Box<ApiError<E>>),
    /// The request could not be sent or the response could not be read.
    /// The URL is stripped, so a query-string credential is never printed.
    Transport(reqwest::Error),
    /// The request timed out (the client's per-request timeout).
    Timeout,
    /// A success response whose body doesn't match the expected schema.
    Decode(DecodeError),
    /// The request could not be built (bad base URL, conflicting arguments, …).
    InvalidRequest(String),
    /// A paginated listing returned a cursor it had returned before; the
    /// stream ends here instead of looping forever.
    RepeatedCursor(String),
    /// A streamed response body broke off (connection reset, chunked body cut
    /// short, or the end came mid-line or mid-event); the stream ends here.
    Interrupted(Interrupted),
}

/// A streamed body that ended before it was complete.
#[derive(Debug)]
#[non_exhaustive]
pub struct Interrupted {
    /// HTTP status code of the response.
    pub status: u16,
    /// Body bytes received before the break.
    pub received: u64,
    /// What was cut short.
    pub reason: String,
    /// For event streams: the last event id seen, to resume with `Last-Event-ID`.
    pub last_event_id: Option<String>,
    /// The transport failure, when there was one (not for a clean close mid-event).
    pub source: Option<reqwest::Error>,
}

/// A non-success response.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError<E> {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The server's request id, from the first of `x-request-id`, `request-id`,
    /// `x-amzn-requestid` or `x-correlation-id` that is present.
    pub request_id: Option<String>,
    /// The response body.
    pub body: ErrorBody<E>,
}

/// The body of a non-success response.
#[derive(Debug)]
pub enum ErrorBody<E> {
    /// Decoded into the operation's error type.
    Typed(E),
    /// Didn't decode; kept as (lossy UTF-8) text.
    Raw(String),
    /// No body.
    Empty,
}

/// A response body that doesn't match the expected schema.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status code of the response.
    pub status: u16,
    /// Where decoding failed, e.g. `nodes[3].status` (`.` for the root).
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// Up to 200 characters of the body around the failure.
    pub snippet: String,
}

impl<E> Error<E> {
    /// The HTTP status, for [`Error::Api`], [`Error::Decode`] and [`Error::Interrupted`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Interrupted(e) => Some(e.status),
            _ => None,
        }
    }

    /// The server's request id, for [`Error::Api`].
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// [`Error::Api`] for a non-success response: the body decoded into `E`
    /// when it fits, kept as text otherwise.
    pub(crate) fn api(status: u16, headers: HeaderMap, body: &[u8]) -> Self
    where
        E: ErrorResponse,
    {
        let body = if let Some(typed) = E::from_response(status, body) {
            ErrorBody::Typed(typed)
        } else if body.is_empty() {
            ErrorBody::Empty
        } else {
            ErrorBody::Raw(String::from_utf8_lossy(body).into_owned())
        };
        Error::Api(Box::new(ApiError::new(status, headers, body)))
    }

    /// Wraps a transport error, dropping its URL (it may hold an API key).
    pub(crate) fn transport(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            Error::Timeout
        } else {
            Error::Transport(err.without_url())
        }
    }
}

/// The first request-id header present.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

impl<E> ApiError<E> {
    /// Builds the error from a response.
    pub(crate) fn new(status: u16, headers: HeaderMap, body: ErrorBody<E>) -> Self {
        let request_id = request_id(&headers).map(str::to_owned);
        ApiError {
            status,
            headers,
            request_id,
            body,
        }
    }
}

impl DecodeError {
    /// Describes a failure to decode `body` as JSON.
    pub(crate) fn new(
        status: u16,
        body: &[u8],
        err: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let snippet = snippet(body, inner.line(), inner.column());
        DecodeError {
            status,
            path,
            message: inner.to_string(),
            snippet,
        }
    }
}

/// At most [`SNIPPET_CHARS`] characters of `body` around (1-based) `line`/`column`.
fn snippet(body: &[u8], line: usize, column: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.chars().count())
        .sum();
    let at = line_start + column.saturating_sub(1);
    let start = at.saturating_sub(SNIPPET_CHARS / 2);
    text.chars().skip(start).take(SNIPPET_CHARS).collect()
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "server returned HTTP {}", e.status)?;
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                if let ErrorBody::Raw(text) = &e.body {
                    let short: String = text.chars().take(SNIPPET_CHARS).collect();
                    write!(f, ": {short}")?;
                }
                Ok(())
            }
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout => f.write_str("request timed out"),
            Error::Decode(e) => write!(
                f,
                "cannot decode HTTP {} response at `{}`: {} (body: {})",
                e.status, e.path, e.message, e.snippet
            ),
            Error::InvalidRequest(msg) => write!(f, "invalid request: {msg}"),
            Error::RepeatedCursor(cursor) => {
                write!(f, "server repeated pagination cursor {cursor:?}")
            }
            Error::Interrupted(e) => {
                write!(
                    f,
                    "HTTP {} response body interrupted after {} bytes: {}",
                    e.status, e.received, e.reason
                )?;
                if let Some(source) = &e.source {
                    write!(f, " ({source})")?;
                }
                Ok(())
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Interrupted(Interrupted {
                source: Some(e), ..
            }) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_centered() {
        let body = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let s = snippet(body.as_bytes(), 1, 501);
        assert_eq!(s.chars().count(), SNIPPET_CHARS);
        assert_eq!(s.chars().nth(SNIPPET_CHARS / 2), Some('X'));
        assert_eq!(snippet(b"line1\nline2", 2, 1), "line1\nline2");
    }
}
