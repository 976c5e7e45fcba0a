//! Decoding of non-success response bodies into a typed error.

/// A type that a non-success response body can be decoded into.
///
/// Generated per-operation error enums implement this by matching on the
/// status code and decoding the schema declared for it. Returning `None`
/// keeps the body as raw text (`ErrorBody::Raw` with the `client` feature).
pub trait ErrorResponse: Sized {
    /// Decodes `body` received with `status`, or `None` if it doesn't fit.
    fn from_response(status: u16, body: &[u8]) -> Option<Self>;
}

/// Any JSON body.
impl ErrorResponse for serde_json::Value {
    fn from_response(_status: u16, body: &[u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }
}
