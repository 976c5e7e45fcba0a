//! The error type of every operation.

use std::fmt;

use reqwest::header::HeaderMap;

use crate::raw::ErrorResponse;

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
///
/// Ask it rather than matching: [`status`](Self::status), [`request_id`](Self::request_id),
/// [`is_not_found`](Self::is_not_found), [`is_rate_limited`](Self::is_rate_limited),
/// [`is_retryable`](Self::is_retryable), [`is_timeout`](Self::is_timeout), and
/// [`body`](Self::body) for the decoded error body. Every `Error<E>` converts into
/// [`ClientError`](crate::ClientError) with `?`, so one function can call many operations.
///
/// `Display` names the operation, status, request id and a short summary of the body
/// (for a validation error, each field's location and message; never the echoed input):
/// `create_retirement: HTTP 422 Unprocessable Entity (request id req_1): body.quantity: Input should be greater than 0`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The server answered with a non-success status (boxed to keep
    /// `Result<T, Error<E>>` small).
    Api(Box<ApiError<E>>),
    /// The request could not be sent or the response could not be read; says
    /// whether the request may have reached the server.
    Transport(TransportError),
    /// An attempt or the request's overall deadline ran out while the request may have been
    /// on its way: a POST may have been processed. (A connection the client's
    /// `connect_timeout` gave up on is a [`Transport`](Self::Transport) error instead: nothing
    /// was sent, so it is retried like a refused connection. When the attempt timeout or the
    /// deadline runs out first, even while connecting, it is this variant.
    /// [`is_timeout`](Self::is_timeout) is true for both.)
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

/// A failure to send a request or read its response.
///
/// The URL is never kept (a query-string credential would print with it).
pub struct TransportError {
    may_have_reached_server: bool,
    safe_to_retry: bool,
    message: String,
    source: Option<reqwest::Error>,
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
    /// The operation that failed (`create_retirement`), when a generated builder sent it.
    pub operation: Option<&'static str>,
    /// A short, secret-free summary of the body, shown by `Display`.
    summary: Option<String>,
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
#[derive(Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status code of the response.
    pub status: u16,
    /// Where decoding failed, e.g. `nodes[3].status` (`.` for the root).
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// Up to 200 characters of the body around the failure. Neither `Display` nor
    /// `Debug` prints it (a success body may carry a token); log it deliberately.
    pub snippet: String,
    /// The server's request id: what the API's vendor asks for in a bug report.
    pub request_id: Option<String>,
    /// The operation whose response did not decode.
    pub operation: Option<&'static str>,
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

    /// The server's request id, for [`Error::Api`] and [`Error::Decode`].
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The operation that failed, when known (`create_retirement`).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => e.operation,
            Error::Decode(e) => e.operation,
            _ => None,
        }
    }

    /// HTTP 404, whether or not the spec declares it.
    pub fn is_not_found(&self) -> bool {
        self.api_status() == Some(404)
    }

    /// HTTP 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.api_status() == Some(429)
    }

    /// A timeout: of one attempt, of the request's deadline, while waiting for the next
    /// chunk of a streamed body, or of connecting (then a [`Transport`](Self::Transport)
    /// error that never reached the server).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout => true,
            Error::Transport(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether a later attempt may succeed: 408, 429 and 5xx but 501; timeouts; a broken
    /// stream; and transport failures of requests that never reached the server or are safe
    /// to repeat (idempotent methods, or sent with an idempotency key). The client has
    /// already retried per its [`RetryPolicy`](crate::RetryPolicy) before returning.
    ///
    /// A timed-out POST may have been processed: retry it only with an idempotency key.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => crate::retry::is_retryable_status(e.status),
            Error::Transport(e) => e.safe_to_retry,
            Error::Timeout | Error::Interrupted(_) => true,
            _ => false,
        }
    }

    /// The error response, for [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The error body decoded into the operation's error type, when the status is one the
    /// spec declares and the body fit: `err.body()` instead of three nested matches.
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => match &e.body {
                ErrorBody::Typed(body) => Some(body),
                _ => None,
            },
            _ => None,
        }
    }

    /// The typed error body, by value.
    pub fn into_body(self) -> Option<E> {
        match self {
            Error::Api(e) => match e.body {
                ErrorBody::Typed(body) => Some(body),
                _ => None,
            },
            _ => None,
        }
    }

    /// Converts the typed error body (status, headers, request id and the rest are kept).
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api(e) => {
                let e = *e;
                let body = match e.body {
                    ErrorBody::Typed(body) => ErrorBody::Typed(f(body)),
                    ErrorBody::Raw(text) => ErrorBody::Raw(text),
                    ErrorBody::Empty => ErrorBody::Empty,
                };
                Error::Api(Box::new(ApiError {
                    status: e.status,
                    headers: e.headers,
                    request_id: e.request_id,
                    body,
                    operation: e.operation,
                    summary: e.summary,
                }))
            }
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout => Error::Timeout,
            Error::Decode(e) => Error::Decode(e),
            Error::InvalidRequest(m) => Error::InvalidRequest(m),
            Error::RepeatedCursor(c) => Error::RepeatedCursor(c),
            Error::Interrupted(e) => Error::Interrupted(e),
        }
    }

    fn api_status(&self) -> Option<u16> {
        self.api().map(|e| e.status)
    }

    /// [`Error::Api`] for a non-success response: the body decoded into `E` when it fits,
    /// kept as text otherwise. Public for fixtures in a caller's tests: it builds exactly
    /// the error a server's response would.
    pub fn api_response(status: u16, headers: HeaderMap, body: impl AsRef<[u8]>) -> Self
    where
        E: ErrorResponse,
    {
        let body = body.as_ref();
        let summary = crate::error_summary::summarize(body);
        let body = if let Some(typed) = E::from_response(status, body) {
            ErrorBody::Typed(typed)
        } else if body.is_empty() {
            ErrorBody::Empty
        } else {
            ErrorBody::Raw(String::from_utf8_lossy(body).into_owned())
        };
        let mut error = ApiError::new(status, headers, body);
        error.summary = summary;
        Error::Api(Box::new(error))
    }

    /// Names the operation in an [`Error::Api`] or [`Error::Decode`].
    pub(crate) fn for_operation(mut self, operation: Option<&'static str>) -> Self {
        match &mut self {
            Error::Api(e) => e.operation = e.operation.or(operation),
            Error::Decode(e) => e.operation = e.operation.or(operation),
            _ => {}
        }
        self
    }

    /// Wraps a transport error, dropping its URL (it may hold an API key). `idempotent`:
    /// whether the request is safe to send twice.
    pub(crate) fn transport(err: reqwest::Error, idempotent: bool) -> Self {
        // A connect timeout sent nothing: it stays a transport error, safe to retry.
        if err.is_timeout() && !err.is_connect() {
            return Error::Timeout;
        }
        // A connect error means nothing was sent; anything later may have been received.
        let reached = !err.is_connect();
        Error::Transport(TransportError {
            may_have_reached_server: reached,
            safe_to_retry: !reached || idempotent,
            message: String::new(),
            source: Some(err.without_url()),
        })
    }
}

impl Error<std::convert::Infallible> {
    /// The same error, typed for an operation whose error responses are `E`. The client's own
    /// failures (transport, timeout, a request it cannot build) carry no operation's body, so
    /// one retry loop, compiled once, serves every operation.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api(api) => {
                let api = *api;
                Error::Api(Box::new(ApiError {
                    status: api.status,
                    headers: api.headers,
                    request_id: api.request_id,
                    body: match api.body {
                        ErrorBody::Typed(never) => match never {},
                        ErrorBody::Raw(text) => ErrorBody::Raw(text),
                        ErrorBody::Empty => ErrorBody::Empty,
                    },
                    operation: api.operation,
                    summary: api.summary,
                }))
            }
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout => Error::Timeout,
            Error::Decode(e) => Error::Decode(e),
            Error::InvalidRequest(message) => Error::InvalidRequest(message),
            Error::RepeatedCursor(cursor) => Error::RepeatedCursor(cursor),
            Error::Interrupted(e) => Error::Interrupted(e),
        }
    }
}

impl TransportError {
    /// A transport error for fixtures in a caller's tests. `may_have_reached_server`: false
    /// for a connection that failed before the request left.
    pub fn new(message: impl Into<String>, may_have_reached_server: bool) -> Self {
        TransportError {
            may_have_reached_server,
            safe_to_retry: !may_have_reached_server,
            message: message.into(),
            source: None,
        }
    }

    /// False when the connection failed before the request was sent (connect refused, DNS,
    /// TLS handshake): sending it again cannot duplicate anything. True when it broke
    /// later (reset after sending, body cut short): a POST may have been processed.
    pub fn may_have_reached_server(&self) -> bool {
        self.may_have_reached_server
    }

    /// The connection could not be established.
    pub fn is_connect(&self) -> bool {
        !self.may_have_reached_server
    }

    /// The connection was not established within the client's `connect_timeout`.
    pub fn is_timeout(&self) -> bool {
        self.source.as_ref().is_some_and(reqwest::Error::is_timeout)
    }

    /// The underlying HTTP client error, when there is one.
    pub fn reqwest_error(&self) -> Option<&reqwest::Error> {
        self.source.as_ref()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.may_have_reached_server {
            f.write_str(
                "connection failed after the request was sent (the server may have received it)",
            )?;
        } else {
            f.write_str("connection failed before the request was sent")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        // The innermost cause says what happened (`connection reset by peer`).
        let mut cause: Option<&(dyn std::error::Error + 'static)> =
            self.source.as_ref().map(|e| e as _);
        let mut last = None;
        while let Some(e) = cause {
            last = Some(e);
            cause = e.source();
        }
        if let Some(last) = last {
            write!(f, ": {last}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("may_have_reached_server", &self.may_have_reached_server)
            .field("message", &self.message)
            .field("source", &self.source)
            .finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// The first request-id header present.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

impl<E> ApiError<E> {
    /// Builds the error from a response (public for fixtures; prefer
    /// [`Error::api_response`], which also decodes and summarizes a body).
    pub fn new(status: u16, headers: HeaderMap, body: ErrorBody<E>) -> Self {
        let request_id = request_id(&headers).map(str::to_owned);
        ApiError {
            status,
            headers,
            request_id,
            body,
            operation: None,
            summary: None,
        }
    }

    /// A short summary of the body: each validation error's location and message, or the
    /// body's `message`/`detail`/`error`/`title`, or the start of a text body. Never the
    /// input a validation error echoes.
    pub fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("headers", &HeaderNames(&self.headers))
            .field("body", &self.body)
            .field("summary", &self.summary)
            .finish()
    }
}

/// Prints the names of headers, never their values (a `Set-Cookie` may be a session).
pub(crate) struct HeaderNames<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

impl DecodeError {
    /// Describes a failure to decode `body` as JSON.
    pub(crate) fn new(status: u16, body: &[u8], inner: serde_json::Error) -> Self {
        let path = crate::json_path::path_at(body, inner.line(), inner.column());
        let snippet = snippet(body, inner.line(), inner.column());
        DecodeError {
            status,
            path,
            message: inner.to_string(),
            snippet,
            request_id: None,
            operation: None,
        }
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("snippet_chars", &self.snippet.chars().count())
            .finish()
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

/// `operation: ` when known.
fn operation_prefix(f: &mut fmt::Formatter<'_>, operation: Option<&str>) -> fmt::Result {
    match operation {
        Some(op) => write!(f, "{op}: "),
        None => Ok(()),
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                operation_prefix(f, e.operation)?;
                write!(f, "HTTP {}", e.status)?;
                if let Some(reason) = reqwest::StatusCode::from_u16(e.status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                {
                    write!(f, " {reason}")?;
                }
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                if let Some(summary) = &e.summary {
                    write!(f, ": {summary}")?;
                }
                Ok(())
            }
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout => f.write_str("request timed out"),
            Error::Decode(e) => {
                operation_prefix(f, e.operation)?;
                write!(
                    f,
                    "cannot decode HTTP {} response at `{}`: {}",
                    e.status, e.path, e.message
                )?;
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
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
