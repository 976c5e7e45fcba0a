//! What came back: a buffered response, decoded by generated code.

use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, HeaderNames};
use crate::raw::ErrorResponse;

/// A fully read response of an operation whose typed error body is `E`.
///
/// Returned by [`Client::execute`](crate::Client::execute) for every status;
/// generated code matches on [`status`](Self::status) and calls
/// [`json`](Self::json), [`empty`](Self::empty) or [`into_error`](Self::into_error).
pub struct Response<E = serde_json::Value> {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    operation: Option<&'static str>,
    error: PhantomData<fn() -> E>,
}

impl<E> Response<E> {
    /// A response as if the server had sent it. Public for fixtures in a caller's tests:
    /// `Response::<GetProjectError>::new(404, headers, body).into_error()` builds the very
    /// error the client would return, and [`json`](Self::json) the value or decode error.
    pub fn new(status: u16, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Response {
            status,
            headers,
            body: body.into(),
            operation: None,
            error: PhantomData,
        }
    }

    /// Names the operation it answers (shown in errors).
    pub fn for_operation(mut self, operation: Option<&'static str>) -> Self {
        self.operation = operation;
        self
    }

    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body, borrowed.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The raw body.
    pub fn bytes(self) -> Bytes {
        self.body
    }

    /// Decodes a JSON body; a mismatch is an [`Error::Decode`] naming the
    /// failing path (`nodes[3].status`) with a snippet of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error<E>> {
        let value = serde_json::from_slice(&self.body).map_err(|e| {
            let mut error = DecodeError::new(self.status, &self.body, e);
            error.request_id = crate::error::request_id(&self.headers).map(str::to_owned);
            error.operation = self.operation;
            Error::Decode(error)
        })?;
        Ok(value)
    }

    /// For responses without content (204 and the like): ignores the body.
    pub fn empty(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// Turns a non-success response into [`Error::Api`], decoding the body
    /// into `E` when it fits and keeping it as text otherwise.
    ///
    /// `E` is consulted even for an empty body, so a status the spec declares
    /// without content (`404: Not found`) still becomes [`ErrorBody::Typed`](crate::ErrorBody::Typed).
    pub fn into_error(self) -> Error<E>
    where
        E: ErrorResponse,
    {
        Error::api_response(self.status, self.headers, &self.body).for_operation(self.operation)
    }
}

impl<E> fmt::Debug for Response<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &HeaderNames(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A decoded success value with the response it came in: status, headers and request id.
/// Returned by every builder's `send_with_response()`; `send()` keeps only the value.
#[derive(Clone)]
pub struct ResponseValue<T> {
    status: u16,
    headers: HeaderMap,
    value: T,
}

impl<T> ResponseValue<T> {
    /// Builds one by hand: a fixture in a caller's tests (put an `x-request-id` in
    /// `headers` to fake [`request_id`](Self::request_id)).
    pub fn new(status: u16, headers: HeaderMap, value: T) -> Self {
        ResponseValue {
            status,
            headers,
            value,
        }
    }

    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id (`x-request-id` and the like), for support requests.
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers)
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseValue")
            .field("status", &self.status)
            .field("headers", &HeaderNames(&self.headers))
            .field("value", &self.value)
            .finish()
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<E> Response<E> {
    /// Pairs a decoded value with this response's status and headers.
    pub fn into_value<T>(self, value: T) -> ResponseValue<T> {
        ResponseValue::new(self.status, self.headers, value)
    }
}
