//! Load and fault benchmark: one shared `Client`, 1,000 concurrent requests against a
//! keep-alive mock on 127.0.0.1. Reports requests/s, p50/p99 latency, connections the server
//! accepted, outcomes by kind and peak memory; under faults, also POSTs received twice.
//!
//! `cargo bench -p oapi-tests --bench load` (or `cargo xtask bench-load`). Figures only; the
//! invariants are asserted by `tests/client/faults.rs`.

#[allow(dead_code)]
#[path = "../runtime/load_server.rs"]
mod load_server;
#[allow(dead_code)]
mod scenario;

use std::time::{Duration, Instant};

use isometric_registry::{Client, ClientBuilder, RetryPolicy};
use scenario::{Done, Faults, BASE_PATH};

const REQUESTS: usize = 1000;

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{url}{BASE_PATH}"))
        .bearer_token("bench-token")
        .client_secret("test-client-secret")
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

async fn case(
    name: &str,
    faults: Option<Faults>,
    post_every: usize,
    configure: fn(ClientBuilder) -> ClientBuilder,
) {
    let server = scenario::server(faults).await;
    let client = configure(builder(&server.url())).build().expect("client");
    let started = Instant::now();
    let done: Vec<Done> = scenario::run(&client, REQUESTS, post_every).await;
    let wall = started.elapsed();
    let mut latencies: Vec<Duration> = done.iter().map(|d| d.latency).collect();
    latencies.sort();
    let seen = server.requests();
    let twice = scenario::post_receipts(&seen)
        .values()
        .filter(|count| **count > 1)
        .count();
    println!("{name}");
    println!(
        "  {REQUESTS} requests in {:.0} ms: {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms",
        wall.as_secs_f64() * 1e3,
        REQUESTS as f64 / wall.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    println!(
        "  server: {} connections accepted, {} requests received; POSTs received twice: {twice}",
        server.connections(),
        seen.len()
    );
    println!("  outcomes: {:?}", scenario::by_kind(&done));
    if let Some(rss) = peak_rss_mib() {
        println!("  peak RSS so far: {rss:.1} MiB");
    }
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else is read.
    case("GET, default client (no concurrency limit)", None, 0, |b| b).await;
    case("GET, max_concurrent_requests(64)", None, 0, |b| {
        b.max_concurrent_requests(64)
    })
    .await;
    case(
        "GET + 25% POST, max_concurrent_requests(64), deadline 1 s, faults: 10% 503 Retry-After: 0, 5% resets, 2% slow 3 s",
        Some(Faults::standard()),
        4,
        |b| b.max_concurrent_requests(64).deadline(Duration::from_secs(1)),
    )
    .await;
}
