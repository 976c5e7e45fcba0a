//! Sending: the attempt loop (retries, deadlines, middleware, redirects without credentials
//! across origins) and what each attempt is built from (URL, headers, credentials).

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION,
};
use reqwest::{Method, StatusCode, Url};
use tokio::time::Instant;

use super::{ApiKeyLocation, Client, Credential, MAX_REDIRECTS};
use crate::encoding::Pair;
use crate::error::Error;
use crate::middleware::{Attempt, Outcome};
use crate::raw::{Request, Response};
use crate::retry::is_retryable_status;
use crate::trace::CallSpan;
use crate::{ByteStream, Secret};

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

impl Client {
    /// Sends `request`, retrying per the [`RetryPolicy`](crate::RetryPolicy), and reads the whole
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
        // A streamed body is read while it is sent: one attempt, and it is taken now.
        let mut stream = match request.streamed_body() {
            Some(body) => Some(body.take_stream().ok_or_else(|| {
                Error::InvalidRequest(
                    "the streamed request body was already sent by a copy of this request"
                        .to_owned(),
                )
            })?),
            None => None,
        };
        let max_attempts = match stream {
            Some(_) => 1,
            None => options.max_attempts.unwrap_or(policy.max_attempts).max(1),
        };
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
                    None => {
                        self.send_once(request, &url, &headers, basic, stream.take())
                            .await?
                    }
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
            let reason = match (err.is_timeout(), reached) {
                (true, true) => "timeout",
                (true, false) => "connect timeout",
                (false, true) => "connection failed after sending",
                (false, false) => "connection failed before sending",
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
        mut stream: Option<reqwest::Body>,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut url = url.clone();
        let mut headers = headers.clone();
        let mut method = request.method.clone();
        let streamed = stream.is_some();
        let mut body = request.body.as_ref().and_then(|(body, _)| body.in_memory());
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
            if let Some(stream) = stream.take() {
                builder = builder.body(stream);
            } else if let Some(body) = &body {
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
            if !to_get && streamed {
                // A 307/308 asks for the body again, and a streamed one is gone.
                return Ok(response);
            }
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
