//! What an operation sends: filled in by generated code, executed by [`Client`](crate::Client).

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::encoding::{self, Pair};
use crate::RequestOptions;

/// A request description: method, path, parameters, body and security.
///
/// Parameter values are serialized with `serde_json`; `None`/`null` values
/// are skipped. Serialization problems are reported by
/// [`Client::execute`](crate::Client::execute) as [`Error::InvalidRequest`](crate::Error::InvalidRequest).
#[derive(Debug, Clone)]
#[must_use]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<Pair>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<(crate::Upload, HeaderValue)>,
    pub(crate) security: &'static [&'static [&'static str]],
    pub(crate) idempotent: bool,
    pub(crate) error: Option<String>,
    /// A next-page URL that replaces path and query.
    pub(crate) link: Option<String>,
    /// The operation's name, for errors, logs and middleware.
    pub(crate) operation: Option<&'static str>,
    /// The spec's path template (`/projects/{id}`), logged instead of the path.
    pub(crate) template: Option<&'static str>,
    /// Per-request options.
    pub(crate) options: RequestOptions,
}

impl Request {
    /// A request for `path` (relative to the base URL, starting with `/`;
    /// encode dynamic segments with [`encode_path`](crate::raw::encode_path)).
    ///
    /// GET, HEAD, PUT, DELETE, OPTIONS and TRACE are idempotent by default.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = matches!(
            method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        );
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            security: &[],
            idempotent,
            error: None,
            link: None,
            operation: None,
            template: None,
            options: RequestOptions::default(),
        }
    }

    /// Names the operation (`create_retirement`) and its path template (`/retirements`):
    /// they appear in errors, `tracing` spans and middleware instead of the concrete path.
    pub fn operation(mut self, name: &'static str, path_template: &'static str) -> Self {
        self.operation = Some(name);
        self.template = Some(path_template);
        self
    }

    /// Per-request options (credentials, headers, idempotency key, timeouts, retries,
    /// deadline); see [`RequestOptions`].
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Adds a query parameter, form style with `explode: true` (FastAPI's
    /// default): arrays become repeated keys `k=a&k=b`.
    pub fn query<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.query_list(name, value, true)
    }

    /// Adds a query parameter, form style: with `explode: false` arrays become
    /// `k=a,b` (each item percent-encoded, commas literal).
    pub fn query_list<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        explode: bool,
    ) -> Self {
        match encoding::to_value(name, value) {
            Ok(v) => self.query.extend(encoding::form_pairs(name, &v, explode)),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Adds a query parameter in `spaceDelimited` (`" "`) or `pipeDelimited`
    /// (`"|"`) style, not exploded: list items joined by `delimiter` into one
    /// value. (Exploded, both styles are plain [`Request::query`].)
    pub fn query_delimited<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        delimiter: &str,
    ) -> Self {
        let wire = match delimiter {
            " " => "%20",
            "|" => "|",
            other => {
                self.fail(format!(
                    "unsupported query delimiter {other:?} for `{name}`"
                ));
                return self;
            }
        };
        match encoding::to_value(name, value) {
            Ok(v) => self.query.extend(encoding::delimited_pairs(name, &v, wire)),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Adds a query parameter in `deepObject` style: `name[key]=value` for
    /// each property, nested objects as `name[a][b]`.
    pub fn query_deep_object<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match encoding::to_value(name, value) {
            Ok(v) => self.query.extend(encoding::deep_object_pairs(name, &v)),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Adds a header parameter (`style: simple`: arrays are comma-joined).
    pub fn header<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let Some(text) = self.simple_text(name, value) else {
            return self;
        };
        match (HeaderName::try_from(name), HeaderValue::try_from(text)) {
            (Ok(n), Ok(v)) => self.headers.push((n, v)),
            _ => self.fail(format!("invalid header `{name}`")),
        }
        self
    }

    /// A header or cookie value as text (`style: simple`); `None` when it is null or cannot be
    /// serialized (the latter recorded as the request's failure).
    fn simple_text<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Option<String> {
        match encoding::to_value(name, value) {
            Ok(v) => encoding::simple_text(&v),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    /// Adds a cookie parameter (`name=value`; `None`/`null` skipped).
    pub fn cookie<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let Some(text) = self.simple_text(name, value) else {
            return self;
        };
        match HeaderValue::try_from(format!("{name}={text}")) {
            Ok(v) => self.headers.push((reqwest::header::COOKIE, v)),
            Err(_) => self.fail(format!("invalid cookie `{name}`")),
        }
        self
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(bytes.into(), "application/json"),
            Err(e) => self.fail(format!("cannot serialize JSON body: {e}")),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body from a struct or map.
    /// Arrays become repeated keys; nested objects are sent as JSON text.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match encoding::to_value("form body", body) {
            Ok(Value::Object(map)) => {
                // An object property is JSON text (the media type OpenAPI gives an object
                // inside a form), not flattened into the form's own keys.
                let pairs: Vec<Pair> = map
                    .iter()
                    .flat_map(|(k, v)| match v {
                        Value::Object(_) => vec![encoding::single(k, v.to_string())],
                        _ => encoding::form_pairs(k, v, true),
                    })
                    .collect();
                let text = encoding::encode_pairs(&pairs);
                self.set_body(text.into(), "application/x-www-form-urlencoded");
            }
            Ok(_) => self.fail("a form body must serialize to an object".to_owned()),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Sets a raw body with its content type (e.g. `application/octet-stream`).
    pub fn bytes(mut self, body: impl Into<Bytes>, content_type: &str) -> Self {
        let body: Bytes = body.into();
        self.set_body(body.into(), content_type);
        self
    }

    /// Sets a raw body that may be a stream (see [`Upload`](crate::Upload)) with its content
    /// type.
    pub fn upload(mut self, body: impl Into<crate::Upload>, content_type: &str) -> Self {
        self.set_body(body.into(), content_type);
        self
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(mut self, form: crate::raw::Multipart) -> Self {
        match form.encode() {
            Ok((body, content_type)) => self.set_body(body.into(), &content_type),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Security requirements: alternatives, each a list of scheme keys. The
    /// first alternative whose credentials are all configured is applied; if
    /// none is, the request is sent without credentials.
    pub fn security(mut self, alternatives: &'static [&'static [&'static str]]) -> Self {
        self.security = alternatives;
        self
    }

    /// Whether sending the request twice is safe (governs retries).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Sends the request to a next-page link the server gave (absolute, or relative to the base
    /// URL) instead of its own path and query: a plain GET, as links are followed.
    pub fn follow_link(mut self, link: &str) -> Self {
        self.link = Some(link.to_owned());
        self.method = Method::GET;
        self.query.clear();
        self.body = None;
        self.idempotent = true;
        self
    }

    /// Marks the request as invalid (e.g. conflicting arguments); `execute`
    /// then fails with [`Error::InvalidRequest`](crate::Error::InvalidRequest)
    /// without sending anything. The first message wins.
    pub fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    fn set_body(&mut self, body: crate::Upload, content_type: &str) {
        match HeaderValue::try_from(content_type) {
            Ok(ct) => self.body = Some((body, ct)),
            Err(_) => self.fail(format!("invalid content type `{content_type}`")),
        }
    }

    /// What logs and middleware show as the path: the template, else the path (never a
    /// query string or a next-page link, which may carry a credential).
    pub(crate) fn path_template(&self) -> &str {
        match (self.template, &self.link) {
            (Some(template), _) => template,
            (None, Some(_)) => "(next-page link)",
            (None, None) => &self.path,
        }
    }

    /// Whether sending the request twice is safe: an idempotent method, or an
    /// idempotency key the server deduplicates by.
    pub(crate) fn safe_to_resend(&self) -> bool {
        self.idempotent || self.options.idempotency_key.is_some()
    }

    /// The body, when it is a stream: read while sent, so the request gets one attempt.
    pub(crate) fn streamed_body(&self) -> Option<&crate::Upload> {
        self.body
            .as_ref()
            .map(|(body, _)| body)
            .filter(|b| b.is_stream())
    }

    /// The query string, without `?` (empty if there are no parameters).
    pub(crate) fn query_string(&self, extra: &[Pair]) -> String {
        let all: Vec<Pair> = self.query.iter().chain(extra).cloned().collect();
        encoding::encode_pairs(&all)
    }

    /// Headers to send, including the body's content type.
    pub(crate) fn header_pairs(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        let content_type = self.body.as_ref().map(|(_, ct)| (&CONTENT_TYPE, ct));
        self.headers.iter().map(|(n, v)| (n, v)).chain(content_type)
    }
}
