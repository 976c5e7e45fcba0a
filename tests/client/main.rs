//! The generated Isometric Registry client, driven through its generated
//! operations against an in-process mock server on 127.0.0.1.

#[allow(dead_code)] // Each test target uses a different part of the mock.
#[path = "../runtime/mock_server.rs"]
mod mock_server;

#[allow(dead_code)]
#[path = "../runtime/load_server.rs"]
mod load_server;

#[allow(dead_code)]
#[path = "../bench/scenario.rs"]
mod scenario;

mod fixtures;
mod operations;

mod faults;

mod actionable_errors;
mod observability;
mod request_options;
mod testing_users_code;

mod every_operation;
mod models;
mod pagination;
mod params;
mod resilience;
mod secrets;
mod spec_examples;
mod status_errors;

use std::time::Duration;

use isometric_registry::{Client, ClientBuilder, Environment, RetryPolicy};

pub const CLIENT_SECRET: &str = "cs-1f9e77-generated-client-secret";
pub const ACCESS_TOKEN: &str = "jwt-8d2c40-generated-access-token";

/// Path prefix of the base URL: operation paths are appended to it.
pub const BASE_PATH: &str = "/registry/v0";

/// A builder of the generated client pointed at `server_url` + [`BASE_PATH`],
/// with both credentials and fast retries.
pub fn builder(server_url: &str) -> ClientBuilder {
    Client::builder()
        .environment(Environment::Sandbox)
        .base_url(format!("{server_url}{BASE_PATH}"))
        .client_secret(CLIENT_SECRET)
        .bearer_token(ACCESS_TOKEN)
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_secs(3)),
        )
}

pub fn client(server_url: &str) -> Client {
    builder(server_url).build().expect("client builds")
}
