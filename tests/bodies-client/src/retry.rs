//! When and how long to wait before retrying a request.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How failed requests are retried.
///
/// Retried: connection failures (the request was never sent, so this is safe
/// for any method), and — for idempotent requests only, unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) — timeouts, other
/// transport errors and the statuses 408, 429 and 5xx (except 501).
/// Waits use exponential backoff with full jitter (capped at `max_backoff`),
/// or the server's `Retry-After` (seconds or HTTP date). When the server asks
/// for longer than `max_backoff`, the response is returned instead of retried.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Total attempts including the first (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// Upper bound of the first wait; doubles per attempt. Default 200 ms.
    pub initial_backoff: Duration,
    /// Upper bound of any backoff, and the longest `Retry-After` the client
    /// will wait for before retrying. Default 20 s.
    pub max_backoff: Duration,
    /// Also retry non-idempotent requests after they may have reached the
    /// server. Default false.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the total number of attempts (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the upper bound of the first wait.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the upper bound of every wait.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Allows retrying non-idempotent requests that may have been received.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// Whether a request that may have reached the server can be retried.
    pub(crate) fn may_resend(&self, idempotent: bool) -> bool {
        idempotent || self.retry_non_idempotent
    }

    /// The wait before retry number `retry` (1 for the first retry), or `None`
    /// when the server's `Retry-After` asks for longer than `max_backoff`:
    /// retrying sooner than asked would only be refused again, so the
    /// response is handed back instead.
    pub(crate) fn backoff(&self, retry: u32, headers: Option<&HeaderMap>) -> Option<Duration> {
        if let Some(wait) = headers.and_then(|h| retry_after(h, SystemTime::now())) {
            return (wait <= self.max_backoff).then_some(wait);
        }
        Some(self.ceiling(retry).mul_f64(jitter()))
    }

    /// The upper bound of the jittered wait before retry number `retry`:
    /// `initial_backoff` doubled per retry, capped at `max_backoff`.
    fn ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Whether a response status is worth retrying.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429) || (500..600).contains(&status) && status != 501
}

/// A uniform random number in `[0, 1)`, from std's randomly keyed hasher.
fn jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    // 53 random bits fill an f64 mantissa exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait requested by a `Retry-After` header (delay-seconds or HTTP date).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        let later = headers("Sun, 06 Nov 1994 08:50:07 GMT");
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(30)));
        let past = headers("Sun, 06 Nov 1994 08:49:00 GMT");
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy::default().max_backoff(Duration::from_secs(2));
        let ceilings: Vec<u128> = (1..=6).map(|r| policy.ceiling(r).as_millis()).collect();
        assert_eq!(ceilings, [200, 400, 800, 1600, 2000, 2000]);
        for retry in 1..40 {
            let wait = policy.backoff(retry, None).unwrap();
            assert!(wait <= policy.ceiling(retry), "retry {retry}: {wait:?}");
        }
        let distinct: std::collections::HashSet<_> =
            (0..20).map(|_| policy.backoff(5, None)).collect();
        assert!(distinct.len() > 1);
    }

    #[test]
    fn retry_after_within_the_cap_is_waited_beyond_it_is_not_retried() {
        let policy = RetryPolicy::default().max_backoff(Duration::from_secs(2));
        let soon = headers("1");
        assert_eq!(policy.backoff(1, Some(&soon)), Some(Duration::from_secs(1)));
        let far = headers("3600");
        assert_eq!(policy.backoff(1, Some(&far)), None);
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 401, 404, 422, 501] {
            assert!(!is_retryable_status(s));
        }
    }
}
