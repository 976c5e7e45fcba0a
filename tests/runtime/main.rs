//! Tests of the hand-written runtime of the generated client crate, driven
//! through its public API against an in-process mock HTTP server.

mod auth;
mod decode_paths;
mod errors;
#[allow(dead_code)] // Shared with the client tests and the load benchmark.
mod load_server;
mod mock_server;
mod pagination;
mod params;
mod pool;
mod redirects;
mod retry;
mod streaming;

use std::time::Duration;

use isometric_registry::{ClientBuilder, RetryPolicy};

/// A builder pointed at `base` that retries fast (tests measure waits).
pub fn builder(base: &str) -> ClientBuilder {
    ClientBuilder::new(base).retry_policy(
        RetryPolicy::default()
            .initial_backoff(Duration::from_millis(5))
            .max_backoff(Duration::from_secs(3)),
    )
}
