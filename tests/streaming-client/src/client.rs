//! The HTTP client: configuration and credentials (`send`: the attempt loop).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::Url;
use tokio::sync::Semaphore;

use crate::error::Error;
use crate::middleware::Middleware;
use crate::retry::RetryPolicy;
use crate::Secret;

mod send;

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
}
