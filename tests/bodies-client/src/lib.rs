#![doc = include_str!("../README.md")]
// The hand-written runtime (everything except `generated/`) is copied verbatim
// into every generated crate; keep it generic.

mod binary;
pub mod builder;
mod decimal;
#[cfg(feature = "client")]
mod error_response;
#[cfg(feature = "client")]
mod json_path;
mod secret;
mod typed_id;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod client_error;
#[cfg(feature = "client")]
mod download;
#[cfg(feature = "client")]
mod encoding;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod error_summary;
#[cfg(feature = "client")]
mod middleware;
#[cfg(feature = "client")]
mod multipart;
#[cfg(feature = "client")]
mod ndjson;
#[cfg(feature = "client")]
mod options;
#[cfg(feature = "client")]
pub mod paging;
#[cfg(feature = "client")]
mod request;
#[cfg(feature = "client")]
mod response;
#[cfg(feature = "client")]
mod retry;
#[cfg(feature = "client")]
mod sse;
#[cfg(feature = "client")]
mod trace;
#[cfg(feature = "client")]
mod upload;

pub use binary::Binary;
pub use decimal::{Decimal, ParseDecimalError};
pub use secret::Secret;

#[cfg(feature = "client")]
pub use client::{ApiKeyLocation, Client, ClientBuilder, Credential};
#[cfg(feature = "client")]
pub use client_error::{AnyBody, ClientError};
#[cfg(feature = "client")]
pub use download::ByteStream;
#[cfg(feature = "client")]
pub use error::{ApiError, DecodeError, Error, ErrorBody, Interrupted, TransportError};
#[cfg(feature = "client")]
pub use middleware::{Attempt, CannedResponse, Middleware, Outcome};
#[cfg(feature = "client")]
pub use ndjson::JsonStream;
#[cfg(feature = "client")]
pub use options::RequestOptions;
#[cfg(feature = "client")]
pub use response::ResponseValue;
#[cfg(feature = "client")]
pub use retry::RetryPolicy;
#[cfg(feature = "client")]
pub use sse::{EventStream, SseEvent};
#[cfg(feature = "client")]
pub use upload::Upload;

/// Stream traits for the paginated operations (`pages()` / `items()`) and streamed bodies.
#[cfg(feature = "client")]
pub use futures_util::{Stream, StreamExt, TryStreamExt};
/// The HTTP client library used underneath, re-exported so a caller-built
/// [`reqwest::Client`] (proxies, tracing, custom TLS) always has a matching version.
#[cfg(feature = "client")]
pub use reqwest;

/// Requests the spec does not describe, and the pieces generated operations are made of:
/// build a [`raw::Request`] (path segments through [`raw::encode_path`]), send it with
/// [`Client::execute`], and read the [`raw::Response`]. Typed operations never need this.
#[cfg(feature = "client")]
pub mod raw {
    pub use crate::encoding::encode_path;
    pub use crate::error_response::ErrorResponse;
    pub use crate::multipart::Multipart;
    pub use crate::request::Request;
    pub use crate::response::Response;
    /// HTTP method of a [`Request`].
    pub use reqwest::Method;
}

// Emitted by the generator and formatted by prettyplease; rustfmt must not restyle it, or
// `cargo xtask regenerate --check` would see a difference.
#[rustfmt::skip]
mod generated;
pub use generated::*;
