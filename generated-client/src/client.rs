//! The HTTP client: configuration, credentials and the send/retry loop.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE, USER_AGENT};
use reqwest::Url;

use crate::encoding::Pair;
use crate::error::Error;
use crate::retry::{is_retryable_status, RetryPolicy};
use crate::{Request, Response, Secret};

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
}

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
    retry: RetryPolicy,
    credentials: BTreeMap<&'static str, Credential>,
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
        }
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
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Timeout of each attempt, from sending to reading the whole body. Default 30 s.
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
    pub fn build(self) -> Result<Client, Error> {
        let base_url = validate_base_url(&self.base_url)?;
        let mut headers = HeaderMap::new();
        let agent = HeaderValue::try_from(self.user_agent)
            .map_err(|_| Error::InvalidRequest("invalid user agent".to_owned()))?;
        headers.insert(USER_AGENT, agent);
        for (name, secret) in &self.header_credentials {
            let invalid = || Error::InvalidRequest(format!("invalid credential header `{name}`"));
            let name = HeaderName::try_from(*name).map_err(|_| invalid())?;
            headers.append(name, secret.header_value("").map_err(|_| invalid())?);
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(Error::transport)?,
        };
        let inner = Inner {
            base_url,
            http,
            timeout: self.timeout,
            headers,
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
        if let Some(message) = &request.error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let auth = self.resolve_auth(request.security)?;
        let url = self.url(&request, &auth.query)?;
        let headers = self.headers(&request, &auth)?;
        let policy = &self.inner.retry;
        let mut attempt = 1;
        loop {
            let may_retry = attempt < policy.max_attempts;
            match self.send_once(&request, &url, &headers, auth.basic).await {
                Ok((status, headers, body)) => {
                    let retry = may_retry
                        && is_retryable_status(status)
                        && policy.may_resend(request.idempotent);
                    match retry
                        .then(|| policy.backoff(attempt, Some(&headers)))
                        .flatten()
                    {
                        Some(wait) => tokio::time::sleep(wait).await,
                        None => return Ok(Response::new(status, headers, body)),
                    }
                }
                Err(err) => {
                    // A connect error means nothing was sent: safe for any method.
                    let retry =
                        may_retry && (err.is_connect() || policy.may_resend(request.idempotent));
                    if !retry {
                        return Err(Error::transport(err));
                    }
                    let wait = policy.backoff(attempt, None).unwrap_or_default();
                    tokio::time::sleep(wait).await;
                }
            }
            attempt += 1;
        }
    }

    /// One attempt: send and read the whole body.
    async fn send_once(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        basic: Option<(&str, &Secret)>,
    ) -> Result<(u16, HeaderMap, bytes::Bytes), reqwest::Error> {
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .timeout(self.inner.timeout)
            .headers(headers.clone());
        if let Some((username, password)) = basic {
            builder = builder.basic_auth(username, Some(password.expose()));
        }
        if let Some((body, _)) = &request.body {
            builder = builder.body(body.clone());
        }
        let mut response = builder.send().await?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok((status, headers, body))
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
