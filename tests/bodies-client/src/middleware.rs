//! Hooks around each attempt: add headers, record metrics, or answer without the network.
//!
//! A small synchronous trait rather than `reqwest_middleware`: hooks see the operation name
//! and attempt number the runtime knows, a canned response still goes through retries and
//! decoding like a real one, and the client's dependency tree stays as it is (no
//! `reqwest-middleware`, `async-trait` or `anyhow`). Work that must await (refreshing a
//! token) belongs before the call: [`RequestOptions::bearer_token`](crate::RequestOptions::bearer_token).

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::Method;

/// A hook the client calls around every attempt (retries included; redirects followed
/// within an attempt are not separate attempts). Register with
/// [`ClientBuilder::middleware`](crate::ClientBuilder::middleware); hooks run in the order
/// registered, `after_receive` in reverse.
///
/// ```rust,ignore
/// struct Count(AtomicU64);
/// impl Middleware for Count {
///     fn after_receive(&self, _: &Attempt<'_>, outcome: &Outcome<'_>, _: Duration) {
///         if let Outcome::Response { status: 500.., .. } = outcome {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait Middleware: Send + Sync + 'static {
    /// Before an attempt is sent: may change its headers (which include credentials: do
    /// not log them), or return a response to use instead of sending anything.
    fn before_send(
        &self,
        attempt: &Attempt<'_>,
        headers: &mut HeaderMap,
    ) -> Option<CannedResponse> {
        let _ = (attempt, headers);
        None
    }

    /// After an attempt: the response head, or how it failed, and how long it took.
    fn after_receive(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>, elapsed: Duration) {
        let _ = (attempt, outcome, elapsed);
    }
}

/// What is being sent. The URL and query are not shown: they may carry an API key.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation (`create_retirement`), when a generated builder sent it.
    pub operation: Option<&'static str>,
    /// HTTP method.
    pub method: &'a Method,
    /// The spec's path template (`/projects/{id}`), or the path of a hand-built request.
    pub path: &'a str,
    /// 1 for the first attempt.
    pub attempt: u32,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// A response head arrived (or a middleware answered).
    Response {
        /// HTTP status code.
        status: u16,
        /// Response headers.
        headers: &'a HeaderMap,
    },
    /// No response: the attempt failed or timed out.
    Failed {
        /// The attempt (or the deadline) timed out.
        timeout: bool,
        /// False only when the connection failed before the request left.
        may_have_reached_server: bool,
    },
}

/// A response a [`Middleware`] returns instead of sending: decoded, retried and reported
/// exactly like one from the server. Also a fixture for testing code that uses the client
/// without a network.
#[derive(Clone)]
pub struct CannedResponse {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl CannedResponse {
    /// A response with `status` and no body.
    pub fn new(status: u16) -> Self {
        CannedResponse {
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        let mut response = Self::new(status).body(body.to_string());
        response
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Adds a header.
    ///
    /// # Panics
    /// On a name or value HTTP does not allow (it is a fixture: fail loudly).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::try_from(name).expect("valid header name");
        let value = HeaderValue::try_from(value).expect("valid header value");
        self.headers.append(name, value);
        self
    }

    /// As the HTTP client's response type.
    pub(crate) fn into_response(self) -> reqwest::Response {
        let mut response = http::Response::new(self.body);
        *response.status_mut() = http::StatusCode::from_u16(self.status)
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        *response.headers_mut() = self.headers;
        reqwest::Response::from(response)
    }
}

impl fmt::Debug for CannedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CannedResponse")
            .field("status", &self.status)
            .field("headers", &crate::error::HeaderNames(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}
