//! The HTTP client: configuration, credentials and the send/retry loop.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::encoding::Pair;
use crate::error::Error;
use crate::middleware::{Attempt, Middleware, Outcome};
use crate::raw::{Request, Response};
use crate::retry::{is_retryable_status, RetryPolicy};
use crate::trace::CallSpan;
use crate::{ByteStream, Secret};

/// Default connect timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default idle connections kept per host (unless `max_concurrent_requests` is higher).
const POOL_MAX_IDLE_PER_HOST: usize = 32;
/// Default time an idle connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Redirects followed per attempt before the last 3xx is returned as it is.
const MAX_REDIRECTS: usize = 10;

/// Default `User-Agent`: this crate's name and version.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A credential for one security scheme of the API.
#[derive(Clone, Debug)]
pub enum Credential {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic <base64(username:password)>`.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: Secret,
    },
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// Header, parameter or cookie name.
        name: String,
        /// The key.
        value: Secret,
    },
}

/// Where an API key is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter (the URL is never printed in errors).
    Query,
    /// A cookie.
    Cookie,
}

/// Configures a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    http: HttpSource,
    timeout: Duration,
    deadline: Option<Duration>,
    connect_timeout: Option<Duration>,
    pool_max_idle_per_host: Option<usize>,
    pool_idle_timeout: Option<Duration>,
    max_concurrent_requests: Option<usize>,
    user_agent: String,
    retry: RetryPolicy,
    header_credentials: Vec<(&'static str, Secret)>,
    credentials: BTreeMap<&'static str, Credential>,
    middleware: Middlewares,
    /// Credentials without which no operation can succeed: `build` fails naming the setter.
    needed: &'static [&'static [Needed]],
}

/// One way to satisfy a credential every operation needs (any one of a group does):
/// `("header", wire name, setter)` or `("scheme", security scheme key, setter)`.
pub(crate) type Needed = (&'static str, &'static str, &'static str);

/// Where the HTTP client comes from.
#[derive(Debug)]
enum HttpSource {
    Default,
    Client(reqwest::Client),
    Builder(Box<reqwest::ClientBuilder>),
}

/// The registered middleware (printed as a count).
#[derive(Clone, Default)]
struct Middlewares(Vec<Arc<dyn Middleware>>);

impl fmt::Debug for Middlewares {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} middleware", self.0.len())
    }
}

/// A client for the API. Cloning is cheap (the state is shared): share one client (and its
/// connection pool) across tasks.
///
/// # Cancellation
///
/// Requests are futures that do nothing until awaited, and the client spawns no tasks.
/// Dropping a request's future (a `select!` that lost, a `tokio::time::timeout`, an aborted
/// task) cancels it at once: the connection in use is closed, a backoff wait is abandoned,
/// and no retry is ever made. A request already received by the server may still be
/// processed there; send an idempotency key
/// ([`RequestOptions::idempotency_key`](crate::RequestOptions::idempotency_key)) to make
/// sending it again safe.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    base_url: String,
    http: reqwest::Client,
    timeout: Duration,
    deadline: Option<Duration>,
    headers: HeaderMap,
    /// Names of the client-wide secret headers in `headers`.
    credential_headers: Vec<HeaderName>,
    retry: RetryPolicy,
    credentials: BTreeMap<&'static str, Credential>,
    /// Bounds the attempts in flight, when configured.
    permits: Option<Semaphore>,
    middleware: Middlewares,
}

/// What one attempt came to.
enum Step<T> {
    Done(T),
    /// A retryable status: wait, then try again.
    Retry {
        wait: Duration,
        status: u16,
    },
}

/// Credentials resolved for one request.
#[derive(Default)]
struct Auth<'a> {
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<Pair>,
    cookies: Vec<String>,
    basic: Option<(&'a str, &'a Secret)>,
}

impl ClientBuilder {
    /// A builder targeting `default_base_url` (the spec's first server).
    pub fn new(default_base_url: &str) -> Self {
        ClientBuilder {
            base_url: default_base_url.to_owned(),
            http: HttpSource::Default,
            timeout: Duration::from_secs(30),
            deadline: None,
            connect_timeout: None,
            pool_max_idle_per_host: None,
            pool_idle_timeout: None,
            max_concurrent_requests: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            header_credentials: Vec::new(),
            credentials: BTreeMap::new(),
            middleware: Middlewares::default(),
            needed: &[],
        }
    }

    /// Credentials every operation of the API needs; each group is satisfied by any one of
    /// its members. Set by the generated `Client::builder()`.
    pub(crate) fn needs(mut self, needed: &'static [&'static [Needed]]) -> Self {
        self.needed = needed;
        self
    }

    /// The first group of needed credentials none of which is set, as an error.
    fn missing_credential(&self) -> Option<Error> {
        let is_set = |&(kind, key, _): &Needed| {
            if kind == "header" {
                self.header_credentials
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case(key))
            } else {
                self.credentials.contains_key(key)
            }
        };
        let group = self.needed.iter().find(|group| !group.iter().any(is_set))?;
        let what = |&(kind, key, _): &Needed| {
            if kind == "header" {
                format!("the `{key}` header")
            } else {
                format!("the `{key}` credential")
            }
        };
        let setters = |sep: &str| {
            group
                .iter()
                .map(|(_, _, setter)| format!("`ClientBuilder::{setter}`"))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let message = match group {
            [one] => format!(
                "missing credential: every operation needs {}; set it with {} before `build()`",
                what(one),
                setters("")
            ),
            _ => format!(
                "missing credential: every operation needs one of {}; set one with {} before `build()`",
                group.iter().map(what).collect::<Vec<_>>().join(", "),
                setters(" or ")
            ),
        };
        Some(Error::InvalidRequest(message))
    }

    /// Overrides the base URL. A path (`https://host/registry/v0`) is kept:
    /// operation paths are appended to it.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = url.as_ref().to_owned();
        self
    }

    /// Starts from a caller-configured HTTP client builder (proxies, custom TLS, local
    /// address, HTTP/2 settings). This builder's own settings are applied on top of it:
    /// [`connect_timeout`](Self::connect_timeout), the pool settings and the redirect policy
    /// (none: redirects are followed by this client, which drops every credential when one
    /// leaves the origin). Set those here, not on the reqwest builder.
    pub fn http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = HttpSource::Builder(Box::new(builder));
        self
    }

    /// Uses a caller-built HTTP client, e.g. one shared with other code. The per-request
    /// settings still apply ([`timeout`](Self::timeout), [`deadline`](Self::deadline),
    /// retries, [`max_concurrent_requests`](Self::max_concurrent_requests)); connection
    /// settings cannot be changed on a built client, so combining this with
    /// [`connect_timeout`](Self::connect_timeout) or the pool settings is an error from
    /// [`build`](Self::build): use [`http_client_builder`](Self::http_client_builder).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())` so that this
    /// client follows redirects itself: it drops every credential (bearer, basic,
    /// API-key headers and cookies, secret headers) when a redirect leaves the
    /// origin, where reqwest's own policy drops only `Authorization` and `Cookie`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = HttpSource::Client(client);
        self
    }

    /// Timeout of each attempt, from sending (including waiting for a connection slot) to
    /// reading the whole body. Default 30 s. Streamed responses (`stream()`): to the
    /// response head, then for each wait for the next chunk. Per request:
    /// [`RequestOptions::attempt_timeout`](crate::RequestOptions::attempt_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// An overall deadline for every request, covering all attempts and the waits between
    /// them (default: none, so a request may take `max_attempts` × `timeout` plus backoff).
    /// Per request: [`RequestOptions::deadline`](crate::RequestOptions::deadline).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Timeout for establishing a connection. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Idle connections kept open per host for reuse. Default 32, or
    /// [`max_concurrent_requests`](Self::max_concurrent_requests) when that is higher.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = Some(max);
        self
    }

    /// How long an idle connection is kept. Default 90 s.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// At most this many attempts in flight at once through this client (and its clones);
    /// more wait for a slot, within their timeout. Over HTTP/1.1 this bounds the
    /// connections opened. Default: no limit.
    pub fn max_concurrent_requests(mut self, max: usize) -> Self {
        self.max_concurrent_requests = Some(max.max(1));
        self
    }

    /// Adds a [`Middleware`] called around every attempt.
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.0.push(Arc::new(middleware));
        self
    }

    /// The `User-Agent` header. Default `<crate name>/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How failed requests are retried. Default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A secret header sent on every request (e.g. `x-client-secret`).
    pub fn header_credential(mut self, name: &'static str, value: impl Into<Secret>) -> Self {
        self.header_credentials.push((name, value.into()));
        self
    }

    /// The credential for security scheme `scheme_key` (its key in the spec's
    /// `securitySchemes`), used by operations that accept that scheme.
    pub fn credential(mut self, scheme_key: &'static str, credential: Credential) -> Self {
        self.credentials.insert(scheme_key, credential);
        self
    }

    /// Validates the configuration and builds the client.
    ///
    /// Fails when a credential every operation needs is missing (the error names the setter
    /// to call) or when the base URL or user agent is invalid.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(missing) = self.missing_credential() {
            return Err(missing);
        }
        let base_url = validate_base_url(&self.base_url)?;
        let mut headers = HeaderMap::new();
        let agent = HeaderValue::try_from(self.user_agent)
            .map_err(|_| Error::InvalidRequest("invalid user agent".to_owned()))?;
        headers.insert(USER_AGENT, agent);
        let mut credential_headers = Vec::new();
        for (name, secret) in &self.header_credentials {
            let invalid = || Error::InvalidRequest(format!("invalid credential header `{name}`"));
            let name = HeaderName::try_from(*name).map_err(|_| invalid())?;
            headers.append(&name, secret.header_value("").map_err(|_| invalid())?);
            credential_headers.push(name);
        }
        let max_idle = self
            .pool_max_idle_per_host
            .unwrap_or(POOL_MAX_IDLE_PER_HOST.max(self.max_concurrent_requests.unwrap_or(0)));
        let configure = |builder: reqwest::ClientBuilder| {
            builder
                .connect_timeout(self.connect_timeout.unwrap_or(CONNECT_TIMEOUT))
                .pool_max_idle_per_host(max_idle)
                .pool_idle_timeout(self.pool_idle_timeout.unwrap_or(POOL_IDLE_TIMEOUT))
                // Redirects are followed in `send_once`, which knows every credential.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::InvalidRequest(format!("cannot build the HTTP client: {e}")))
        };
        let http = match self.http {
            HttpSource::Client(http) => {
                let fixed = [
                    ("connect_timeout", self.connect_timeout.is_some()),
                    (
                        "pool_max_idle_per_host",
                        self.pool_max_idle_per_host.is_some(),
                    ),
                    ("pool_idle_timeout", self.pool_idle_timeout.is_some()),
                ];
                if let Some((name, _)) = fixed.iter().find(|(_, set)| *set) {
                    return Err(Error::InvalidRequest(format!(
                        "`{name}` cannot be applied to a built reqwest::Client; \
                         pass its builder to `http_client_builder` instead"
                    )));
                }
                http
            }
            HttpSource::Builder(builder) => configure(*builder)?,
            HttpSource::Default => configure(reqwest::Client::builder())?,
        };
        let inner = Inner {
            base_url,
            http,
            timeout: self.timeout,
            deadline: self.deadline,
            headers,
            credential_headers,
            retry: self.retry,
            credentials: self.credentials,
            permits: self.max_concurrent_requests.map(Semaphore::new),
            middleware: self.middleware,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

/// Checks an http(s) base URL without query or fragment; drops a trailing `/`.
fn validate_base_url(raw: &str) -> Result<String, Error> {
    let invalid = |why: &str| Error::InvalidRequest(format!("invalid base URL {raw:?}: {why}"));
    let url = Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

impl Client {
    /// The base URL requests are sent to (without trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request`, retrying per the [`RetryPolicy`], and reads the whole
    /// response. Every status is returned as a [`Response`](crate::raw::Response); only failures to
    /// get one are errors.
    pub async fn execute<E>(&self, request: Request) -> Result<Response<E>, Error<E>> {
        let (status, headers, body) = self.read_whole(&request).await.map_err(Error::widen)?;
        Ok(Response::new(status, headers, body).for_operation(request.operation))
    }

    /// Sends `request` like [`execute`](Self::execute) but returns once the
    /// response head has arrived, with the body still to be read: retries happen
    /// only before that point. Every status is returned as a [`ByteStream`].
    pub async fn execute_streaming<E: Send + 'static>(
        &self,
        request: Request,
    ) -> Result<ByteStream<E>, Error<E>> {
        let idle = request
            .options
            .attempt_timeout
            .unwrap_or(self.inner.timeout);
        let response = self.read_head(&request).await.map_err(Error::widen)?;
        Ok(ByteStream::new(response, idle).for_operation(request.operation))
    }

    // The two below are not generic over the operation's error type: the attempt loop is
    // compiled once, not once per operation (with 41 operations it was most of the crate's
    // code generation).

    /// `execute`'s attempts, reading the whole body.
    async fn read_whole(
        &self,
        request: &Request,
    ) -> Result<(u16, HeaderMap, bytes::Bytes), Error<Infallible>> {
        self.with_retries(request, |mut response| async move {
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await?;
            Ok((status, headers, body))
        })
        .await
    }

    /// `execute_streaming`'s attempts, up to the response head.
    async fn read_head(&self, request: &Request) -> Result<reqwest::Response, Error<Infallible>> {
        self.with_retries(request, |response| async move { Ok(response) })
            .await
    }

    /// The retry loop inside the request's `tracing` span.
    async fn with_retries<E, T, F, Fut>(&self, request: &Request, read: F) -> Result<T, Error<E>>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<T, reqwest::Error>>,
    {
        let span = CallSpan::new(request);
        span.run(self.attempts(request, &read, &span)).await
    }

    /// Attempts until one succeeds, may not be retried, or the deadline leaves no room:
    /// `read` turns the final response into the result (a transport error from it is
    /// retried like one from sending).
    async fn attempts<E, T, F, Fut>(
        &self,
        request: &Request,
        read: &F,
        span: &CallSpan,
    ) -> Result<T, Error<E>>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<T, reqwest::Error>>,
    {
        let options = &request.options;
        if let Some(message) = request.error.as_ref().or(options.error.as_ref()) {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let deadline = options
            .deadline
            .or(self.inner.deadline)
            .map(|d| Instant::now() + d);
        let fits = |wait: Duration| deadline.map_or(true, |at| Instant::now() + wait < at);
        let auth = self.resolve_auth(request.security)?;
        let url = self.url(request, &auth.query)?;
        let headers = self.headers(request, &auth)?;
        let basic = auth.basic.filter(|_| options.bearer_token.is_none());
        let policy = &self.inner.retry;
        let max_attempts = options.max_attempts.unwrap_or(policy.max_attempts).max(1);
        let attempt_timeout = options.attempt_timeout.unwrap_or(self.inner.timeout);
        let safe = request.safe_to_resend();
        let resend = policy.may_resend(safe);
        let mut attempt = 1;
        loop {
            let may_retry = attempt < max_attempts;
            let limit = match deadline {
                Some(at) => attempt_timeout.min(at.saturating_duration_since(Instant::now())),
                None => attempt_timeout,
            };
            if limit.is_zero() {
                return Err(Error::Timeout);
            }
            let info = Attempt {
                operation: request.operation,
                method: &request.method,
                path: request.path_template(),
                attempt,
            };
            span.attempt(attempt);
            let started = Instant::now();
            let one = async {
                let _permit = match &self.inner.permits {
                    Some(permits) => Some(permits.acquire().await.expect("never closed")),
                    None => None,
                };
                let mut headers = headers.clone();
                let canned = self
                    .inner
                    .middleware
                    .0
                    .iter()
                    .find_map(|m| m.before_send(&info, &mut headers));
                let response = match canned {
                    Some(canned) => canned.into_response(),
                    None => self.send_once(request, &url, &headers, basic).await?,
                };
                let status = response.status().as_u16();
                let elapsed = started.elapsed();
                span.response(
                    status,
                    crate::error::request_id(response.headers()),
                    elapsed,
                );
                let outcome = Outcome::Response {
                    status,
                    headers: response.headers(),
                };
                for m in self.inner.middleware.0.iter().rev() {
                    m.after_receive(&info, &outcome, elapsed);
                }
                if may_retry && resend && is_retryable_status(status) {
                    // `None`: the server asks for a longer wait than the policy allows.
                    if let Some(wait) = policy.backoff(attempt, Some(response.headers())) {
                        if fits(wait) {
                            return Ok(Step::Retry { wait, status });
                        }
                    }
                }
                read(response).await.map(Step::Done)
            };
            let err = match tokio::time::timeout(limit, one).await {
                Ok(Ok(Step::Done(value))) => return Ok(value),
                Ok(Ok(Step::Retry { wait, status })) => {
                    span.retry(&format!("HTTP {status}"), wait);
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
                Ok(Err(err)) => Error::transport(err, safe),
                Err(_) => Error::Timeout,
            };
            let reached = match &err {
                Error::Transport(e) => e.may_have_reached_server(),
                _ => true,
            };
            let elapsed = started.elapsed();
            let outcome = Outcome::Failed {
                timeout: err.is_timeout(),
                may_have_reached_server: reached,
            };
            for m in self.inner.middleware.0.iter().rev() {
                m.after_receive(&info, &outcome, elapsed);
            }
            let reason = if err.is_timeout() {
                "timeout"
            } else if reached {
                "connection failed after sending"
            } else {
                "connection failed before sending"
            };
            span.failed(reason, elapsed);
            // Nothing was sent: safe for any method. Otherwise only when it may be repeated.
            let wait = policy.backoff(attempt, None).unwrap_or_default();
            if !(may_retry && (!reached || resend) && fits(wait)) {
                return Err(err);
            }
            span.retry(reason, wait);
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt: send, following redirects, and return the response with
    /// its body unread. Credentials go only to the origin they were meant for.
    async fn send_once(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        mut basic: Option<(&str, &Secret)>,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut url = url.clone();
        let mut headers = headers.clone();
        let mut method = request.method.clone();
        let mut body = request.body.as_ref().map(|(body, _)| body.clone());
        let mut hops = 0;
        loop {
            let mut builder = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Some((username, password)) = basic {
                builder = builder.basic_auth(username, Some(password.expose()));
            }
            if let Some(body) = &body {
                builder = builder.body(body.clone());
            }
            let response = builder.send().await?;
            let status = response.status();
            let next = match response.headers().get(LOCATION) {
                Some(location) if status.is_redirection() && hops < MAX_REDIRECTS => location
                    .to_str()
                    .ok()
                    .and_then(|location| url.join(location).ok()),
                _ => None,
            };
            let Some(next) = next.filter(|next| matches!(next.scheme(), "http" | "https")) else {
                return Ok(response);
            };
            if !matches!(
                status,
                StatusCode::MOVED_PERMANENTLY
                    | StatusCode::FOUND
                    | StatusCode::SEE_OTHER
                    | StatusCode::TEMPORARY_REDIRECT
                    | StatusCode::PERMANENT_REDIRECT
            ) {
                return Ok(response);
            }
            // As browsers and reqwest do: 303, and 301/302 after a POST, become a bodiless GET.
            let to_get = status == StatusCode::SEE_OTHER
                || (status != StatusCode::TEMPORARY_REDIRECT
                    && status != StatusCode::PERMANENT_REDIRECT
                    && method != Method::GET
                    && method != Method::HEAD);
            if to_get {
                if method != Method::HEAD {
                    method = Method::GET;
                }
                body = None;
                headers.remove(CONTENT_TYPE);
            }
            if next.origin() != url.origin() {
                self.strip_credentials(&mut headers);
                basic = None;
            }
            url = next;
            hops += 1;
        }
    }

    /// Removes every credential header, before a request leaves the API's origin.
    fn strip_credentials(&self, headers: &mut HeaderMap) {
        headers.remove(AUTHORIZATION);
        headers.remove(COOKIE);
        for name in &self.inner.credential_headers {
            headers.remove(name);
        }
        for credential in self.inner.credentials.values() {
            if let Credential::ApiKey {
                location: ApiKeyLocation::Header,
                name,
                ..
            } = credential
            {
                headers.remove(name.as_str());
            }
        }
    }

    /// The full URL: base URL + path + query (including query API keys).
    fn url<E>(&self, request: &Request, extra_query: &[Pair]) -> Result<Url, Error<E>> {
        if let Some(link) = &request.link {
            return self.link_url(link, extra_query);
        }
        let slash = if request.path.starts_with('/') {
            ""
        } else {
            "/"
        };
        let raw = format!("{}{slash}{}", self.inner.base_url, request.path);
        let mut url = Url::parse(&raw)
            .map_err(|e| Error::InvalidRequest(format!("invalid path {:?}: {e}", request.path)))?;
        let query = request.query_string(extra_query);
        if !query.is_empty() {
            url.set_query(Some(&query));
        }
        Ok(url)
    }

    /// A next-page link from the server: absolute, or relative to the base URL. It carries its
    /// own query; only query credentials are added. A link to another origin is refused, so
    /// credentials never leave for a host the caller did not configure.
    fn link_url<E>(&self, link: &str, extra_query: &[Pair]) -> Result<Url, Error<E>> {
        let base = Url::parse(&format!("{}/", self.inner.base_url))
            .map_err(|e| Error::InvalidRequest(format!("invalid base URL: {e}")))?;
        let mut url = base
            .join(link)
            .map_err(|e| Error::InvalidRequest(format!("invalid next-page link {link:?}: {e}")))?;
        if url.origin() != base.origin() {
            return Err(Error::InvalidRequest(format!(
                "the next-page link points to another origin ({}); not followed",
                url.origin().ascii_serialization()
            )));
        }
        if !extra_query.is_empty() {
            let own = url.query().unwrap_or_default().to_owned();
            let extra = crate::encoding::encode_pairs(extra_query);
            let joined = if own.is_empty() {
                extra
            } else {
                format!("{own}&{extra}")
            };
            url.set_query(Some(&joined));
        }
        Ok(url)
    }

    /// Client-wide headers, then the request's, then the options', then credentials (a
    /// per-request bearer token replacing the client's).
    fn headers<E>(&self, request: &Request, auth: &Auth<'_>) -> Result<HeaderMap, Error<E>> {
        let mut headers = self.inner.headers.clone();
        for (name, value) in request.header_pairs() {
            headers.insert(name.clone(), value.clone());
        }
        let options = &request.options;
        for (name, value) in options.headers.iter().chain(&options.idempotency_key) {
            headers.insert(name.clone(), value.clone());
        }
        for (name, value) in &auth.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(token) = &options.bearer_token {
            let value = token
                .header_value("Bearer ")
                .map_err(|_| Error::InvalidRequest("invalid bearer token".to_owned()))?;
            headers.insert(AUTHORIZATION, value);
        }
        if !auth.cookies.is_empty() {
            let mut cookie = HeaderValue::try_from(auth.cookies.join("; "))
                .map_err(|_| Error::InvalidRequest("invalid cookie credential".to_owned()))?;
            cookie.set_sensitive(true);
            headers.insert(COOKIE, cookie);
        }
        Ok(headers)
    }

    /// Applies the first security alternative whose credentials are all configured.
    fn resolve_auth<E>(
        &self,
        alternatives: &'static [&'static [&'static str]],
    ) -> Result<Auth<'_>, Error<E>> {
        let configured = &self.inner.credentials;
        let Some(chosen) = alternatives
            .iter()
            .find(|keys| keys.iter().all(|k| configured.contains_key(k)))
        else {
            return Ok(Auth::default());
        };
        let mut auth = Auth::default();
        for key in chosen.iter() {
            let invalid = || Error::InvalidRequest(format!("invalid credential for `{key}`"));
            match &configured[key] {
                Credential::Bearer(token) => {
                    let value = token.header_value("Bearer ").map_err(|_| invalid())?;
                    auth.headers.push((AUTHORIZATION, value));
                }
                Credential::Basic { username, password } => auth.basic = Some((username, password)),
                Credential::ApiKey {
                    location,
                    name,
                    value,
                } => match location {
                    ApiKeyLocation::Header => {
                        let name = HeaderName::try_from(name.as_str()).map_err(|_| invalid())?;
                        auth.headers
                            .push((name, value.header_value("").map_err(|_| invalid())?));
                    }
                    ApiKeyLocation::Query => {
                        auth.query
                            .push(crate::encoding::single(name, value.expose().to_owned()));
                    }
                    ApiKeyLocation::Cookie => {
                        auth.cookies.push(format!("{name}={}", value.expose()));
                    }
                },
            }
        }
        Ok(auth)
    }
}
