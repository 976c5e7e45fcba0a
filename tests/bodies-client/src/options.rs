//! Per-request options: credentials, headers, idempotency key, timeouts, retries, deadline.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::Secret;

/// The header [`RequestOptions::idempotency_key`] sets.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Options for one request, given to a request builder's `.with_options(..)`.
///
/// They live in their own type (not as builder setters), so a parameter a later spec version
/// adds can never collide with them. Unset options fall back to the client's settings.
///
/// ```rust,ignore
/// let options = RequestOptions::new()
///     .bearer_token(org_token)                 // act as this organisation
///     .idempotency_key("retire-2024-06-01-42") // and make the POST safe to retry
///     .header("x-trace-tag", "nightly")
///     .attempt_timeout(Duration::from_secs(5))
///     .max_attempts(4)
///     .deadline(Duration::from_secs(12));      // all attempts and backoff together
/// client.create_retirement(body).with_options(options).send().await?;
/// ```
///
/// `Debug` prints header names only, and the token as `***`.
#[derive(Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(crate) bearer_token: Option<Secret>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) idempotency_key: Option<(HeaderName, HeaderValue)>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) deadline: Option<Duration>,
    /// A header that could not be used: the request fails with `Error::InvalidRequest`.
    pub(crate) error: Option<String>,
}

/// A header as sent, or why it cannot be.
fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let invalid = || format!("invalid header `{name}` in the request options");
    let name = HeaderName::try_from(name).map_err(|_| invalid())?;
    let mut value = HeaderValue::try_from(value).map_err(|_| invalid())?;
    // Never indexed by HTTP/2 header compression: it may be a credential.
    value.set_sensitive(true);
    Ok((name, value))
}

impl RequestOptions {
    /// No options: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends `Authorization: Bearer <token>` instead of the client's bearer token (e.g. the
    /// token of the organisation acting). Dropped, like every credential, on a redirect to
    /// another origin.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Adds a header (sent after the client-wide ones, so it replaces one of the same name;
    /// credentials still win). A name or value HTTP does not allow makes the request fail
    /// with [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match header(name, value) {
            Ok(pair) => self.headers.push(pair),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Sends `Idempotency-Key: <key>`, and lets the client retry the request after a
    /// failure that may have reached the server: the server deduplicates by the key.
    /// Use the same key when you retry it yourself.
    pub fn idempotency_key(self, key: &str) -> Self {
        self.idempotency_key_header(IDEMPOTENCY_KEY, key)
    }

    /// Like [`idempotency_key`](Self::idempotency_key), for an API that names the header
    /// differently.
    pub fn idempotency_key_header(mut self, name: &str, key: &str) -> Self {
        match header(name, key) {
            Ok(pair) => self.idempotency_key = Some(pair),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Timeout of each attempt, from sending to the whole body (to the head for `stream()`),
    /// instead of the client's.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Total attempts including the first (1: no retries), instead of the retry policy's.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// An overall deadline covering every attempt, the waits between them, and waiting for a
    /// connection: past it the request ends with [`Error::Timeout`](crate::Error::Timeout).
    /// A retry whose wait would end past the deadline is not made; the last response or
    /// error is returned instead. Replaces the client's
    /// [`deadline`](crate::ClientBuilder::deadline).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}

impl RequestOptions {
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("bearer_token", &self.bearer_token)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "idempotency_key",
                &self.idempotency_key.as_ref().map(|(n, _)| n),
            )
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_attempts", &self.max_attempts)
            .field("deadline", &self.deadline)
            .finish()
    }
}
