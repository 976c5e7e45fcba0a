//! One error type for every operation, so `?` works across operations in one function.

use std::any::Any;
use std::fmt;

use crate::error::{ApiError, Error};

/// Any operation's error, with its typed body kept behind [`AnyBody`].
///
/// Every `Error<E>` converts into it with `?`, keeping the status, request id, operation and
/// the `Display` line:
///
/// ```rust,ignore
/// async fn retire(client: &Client, id: &str) -> Result<Retirement, ClientError> {
///     let project = client.get_project(id).send().await?;            // Error<GetProjectError>
///     let retired = client.create_retirement(request).send().await?; // Error<CreateRetirementError>
///     Ok(retired)
/// }
/// ```
///
/// Get the typed body back with [`body::<CreateRetirementError>()`](Self::body).
#[derive(Debug)]
pub struct ClientError(Error<AnyBody>);

/// An operation's typed error body with its type erased; [`downcast_ref`](Self::downcast_ref)
/// recovers it.
pub struct AnyBody(Box<dyn ErasedBody>);

trait ErasedBody: fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: fmt::Debug + Send + Sync + 'static> ErasedBody for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl AnyBody {
    /// The body as the operation's error type `T`, if it is one.
    pub fn downcast_ref<T: 'static>(&self) -> Option<&T> {
        // Through the trait object: the `Box` itself would also be an `ErasedBody`.
        let body: &dyn ErasedBody = &*self.0;
        body.as_any().downcast_ref()
    }
}

impl fmt::Debug for AnyBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body: &dyn ErasedBody = &*self.0;
        body.fmt(f)
    }
}

impl<E: fmt::Debug + Send + Sync + 'static> From<Error<E>> for ClientError {
    fn from(err: Error<E>) -> Self {
        ClientError(err.map_body(|body| AnyBody(Box::new(body))))
    }
}

impl ClientError {
    /// The error itself, to match on its kind.
    pub fn kind(&self) -> &Error<AnyBody> {
        &self.0
    }

    /// The error itself, by value.
    pub fn into_kind(self) -> Error<AnyBody> {
        self.0
    }

    /// The error body decoded as the operation's error type `T` (e.g.
    /// `CreateRetirementError`), when it is one.
    pub fn body<T: 'static>(&self) -> Option<&T> {
        self.0.body()?.downcast_ref()
    }

    /// The error response, for an API error.
    pub fn api(&self) -> Option<&ApiError<AnyBody>> {
        self.0.api()
    }

    /// See [`Error::status`].
    pub fn status(&self) -> Option<u16> {
        self.0.status()
    }

    /// See [`Error::request_id`].
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id()
    }

    /// See [`Error::operation`].
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation()
    }

    /// See [`Error::is_not_found`].
    pub fn is_not_found(&self) -> bool {
        self.0.is_not_found()
    }

    /// See [`Error::is_rate_limited`].
    pub fn is_rate_limited(&self) -> bool {
        self.0.is_rate_limited()
    }

    /// See [`Error::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        self.0.is_retryable()
    }

    /// See [`Error::is_timeout`].
    pub fn is_timeout(&self) -> bool {
        self.0.is_timeout()
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0)
    }
}
