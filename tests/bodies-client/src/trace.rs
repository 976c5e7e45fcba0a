//! `tracing` spans and events for each request (the default `tracing` feature); without the
//! feature every call here compiles to nothing. With the feature but no subscriber, each
//! macro costs one cached check.
//!
//! Recorded: operation, method, path template, attempt, status, duration, request id, and
//! each retry with its reason and delay. Never a header value, a query string or a body.

use std::future::Future;
use std::time::Duration;

use crate::raw::Request;

/// The span of one call (all its attempts).
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    pub(crate) fn new(request: &Request) -> Self {
        #[cfg(feature = "tracing")]
        {
            let span = tracing::debug_span!(
                "request",
                operation = request.operation.unwrap_or("-"),
                method = %request.method,
                path = request.path_template(),
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            CallSpan { span }
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = request;
            CallSpan {}
        }
    }

    /// Runs `fut` inside the span.
    pub(crate) async fn run<F: Future>(&self, fut: F) -> F::Output {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(fut, self.span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            fut.await
        }
    }

    pub(crate) fn attempt(&self, attempt: u32) {
        #[cfg(feature = "tracing")]
        self.span.record("attempt", attempt);
        #[cfg(not(feature = "tracing"))]
        let _ = attempt;
    }

    /// A response head arrived.
    pub(crate) fn response(&self, status: u16, request_id: Option<&str>, elapsed: Duration) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("status", status);
            if let Some(id) = request_id {
                self.span.record("request_id", id);
            }
            tracing::debug!(
                status,
                request_id,
                duration_ms = elapsed.as_millis() as u64,
                "response"
            );
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (status, request_id, elapsed);
    }

    /// An attempt failed without a response.
    pub(crate) fn failed(&self, reason: &str, elapsed: Duration) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            reason,
            duration_ms = elapsed.as_millis() as u64,
            "attempt failed"
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (reason, elapsed);
    }

    /// Another attempt follows after `delay`.
    pub(crate) fn retry(&self, reason: &str, delay: Duration) {
        #[cfg(feature = "tracing")]
        tracing::info!(reason, delay_ms = delay.as_millis() as u64, "retrying");
        #[cfg(not(feature = "tracing"))]
        let _ = (reason, delay);
    }
}
