//! The HTTP client: configuration, credentials and the send/retry loop.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use std::future::Future;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};

use crate::encoding::Pair;
use crate::error::Error;
use crate::retry::{is_retryable_status, RetryPolicy};
use crate::{ByteStream, Request, Response, Secret};

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
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    header_credentials: Vec<(&'static str, Secret)>,
    credentials: BTreeMap<&'static str, Credential>,
    /// Credentials without which no operation can succeed: `build` fails naming the setter.
    needed: &'static [&'static [Needed]],
}

/// One way to satisfy a credential every operation needs (any one of a group does):
/// `("header", wire name, setter)` or `("scheme", security scheme key, setter)`.
pub(crate) type Needed = (&'static str, &'static str, &'static str);

/// A client for the API. Cloning is cheap (the state is shared).
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    base_url: String,
    http: reqwest::Client,
    timeout: Duration,
    headers: HeaderMap,
    /// Names of the client-wide secret headers in `headers`.
    credential_headers: Vec<HeaderName>,
    retry: RetryPolicy,
    credentials: BTreeMap<&'static str, Credential>,
}

/// How long one attempt may take.
#[derive(Clone, Copy)]
enum Deadline {
    /// From sending to the end of the body (buffered responses).
    WholeBody(Duration),
    /// From sending to the response head (streamed responses).
    Head(Duration),
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
            http: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            header_credentials: Vec::new(),
            credentials: BTreeMap::new(),
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

    /// Uses a caller-built HTTP client (proxies, custom TLS, connection pool
    /// settings). Its own timeouts still apply; [`connect_timeout`](Self::connect_timeout)
    /// is then ignored.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())` so that this
    /// client follows redirects itself: it drops every credential (bearer, basic,
    /// API-key headers and cookies, secret headers) when a redirect leaves the
    /// origin, where reqwest's own policy drops only `Authorization` and `Cookie`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Timeout of each attempt, from sending to reading the whole body. Default 30 s.
    /// Streamed responses (`stream()`) have no overall deadline: the timeout
    /// applies to receiving the response head, then to each wait for the next chunk.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout for establishing a connection. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
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
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                // Redirects are followed in `send_once`, which knows every credential.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(Error::transport)?,
        };
        let inner = Inner {
            base_url,
            http,
            timeout: self.timeout,
            headers,
            credential_headers,
            retry: self.retry,
            credentials: self.credentials,
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
    /// response. Every status is returned as a [`Response`]; only failures to
    /// get one are errors.
    pub async fn execute<E>(&self, request: Request) -> Result<Response<E>, Error<E>> {
        let deadline = Deadline::WholeBody(self.inner.timeout);
        self.with_retries(&request, deadline, |mut response| async move {
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await?;
            Ok(Response::new(status, headers, body))
        })
        .await
    }

    /// Sends `request` like [`execute`](Self::execute) but returns once the
    /// response head has arrived, with the body still to be read: retries happen
    /// only before that point. Every status is returned as a [`ByteStream`].
    pub async fn execute_streaming<E: Send + 'static>(
        &self,
        request: Request,
    ) -> Result<ByteStream<E>, Error<E>> {
        let idle = self.inner.timeout;
        self.with_retries(&request, Deadline::Head(idle), |response| async move {
            Ok(ByteStream::new(response, idle))
        })
        .await
    }

    /// The retry loop: `read` turns the final response into the result; a
    /// transport error from it is retried like one from sending.
    async fn with_retries<E, T, F, Fut>(
        &self,
        request: &Request,
        deadline: Deadline,
        read: F,
    ) -> Result<T, Error<E>>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<T, reqwest::Error>>,
    {
        if let Some(message) = &request.error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let auth = self.resolve_auth(request.security)?;
        let url = self.url(request, &auth.query)?;
        let headers = self.headers(request, &auth)?;
        let policy = &self.inner.retry;
        let mut attempt = 1;
        loop {
            let may_retry = attempt < policy.max_attempts;
            let sent = self.send_once(request, &url, &headers, auth.basic, deadline);
            let sent = match deadline {
                Deadline::WholeBody(_) => sent.await,
                Deadline::Head(limit) => tokio::time::timeout(limit, sent)
                    .await
                    .map_err(|_| Error::Timeout)?,
            };
            let result = match sent {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry = may_retry
                        && is_retryable_status(status)
                        && policy.may_resend(request.idempotent);
                    match retry
                        .then(|| policy.backoff(attempt, Some(response.headers())))
                        .flatten()
                    {
                        Some(wait) => {
                            drop(response);
                            tokio::time::sleep(wait).await;
                            attempt += 1;
                            continue;
                        }
                        None => read(response).await,
                    }
                }
                Err(err) => Err(err),
            };
            let err = match result {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            // A connect error means nothing was sent: safe for any method.
            let retry = may_retry && (err.is_connect() || policy.may_resend(request.idempotent));
            if !retry {
                return Err(Error::transport(err));
            }
            let wait = policy.backoff(attempt, None).unwrap_or_default();
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
        deadline: Deadline,
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
            if let Deadline::WholeBody(limit) = deadline {
                builder = builder.timeout(limit);
            }
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

    /// Client-wide headers, then the request's, then credentials.
    fn headers<E>(&self, request: &Request, auth: &Auth<'_>) -> Result<HeaderMap, Error<E>> {
        let mut headers = self.inner.headers.clone();
        for (name, value) in request.header_pairs() {
            headers.insert(name.clone(), value.clone());
        }
        for (name, value) in &auth.headers {
            headers.insert(name.clone(), value.clone());
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
