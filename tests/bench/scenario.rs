//! The load and fault scenario shared by `tests/client/faults.rs` (invariants, asserted) and
//! the `load` benchmark (figures, reported): one shared `Client`, many concurrent GETs and
//! POSTs against the keep-alive server of `tests/runtime/load_server.rs`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use isometric_registry::{
    types::{CreateRetirementByBatchRequest, CreditBatchQuantity, RetirementPurpose},
    Client, Error,
};
use serde_json::{json, Value};

use super::load_server::{LoadServer, Reply, Seen};

pub const PRJ: &str = "prj_1CTWZQGKE1S0VAXA";
pub const BASE_PATH: &str = "/registry/v0";

/// Injected faults, each a share of requests (by arrival order, so the mix is exact).
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// Every n-th answer is `503` with `Retry-After: 0`.
    pub unavailable_every: usize,
    /// Every n-th request is read and then its connection reset.
    pub reset_every: usize,
    /// Every n-th answer comes after `slow_by` (past the client's deadline).
    pub slow_every: usize,
    pub slow_by: Duration,
}

impl Faults {
    /// 10% 503, 5% resets, 2% slower than a 1 s deadline.
    pub fn standard() -> Self {
        Faults {
            unavailable_every: 10,
            reset_every: 20,
            slow_every: 50,
            slow_by: Duration::from_secs(3),
        }
    }
}

fn organisation() -> Value {
    json!({"id": "org_1GB56M1ST1S0GVNA", "name": "Isometric", "domain": "isometric.com"})
}

fn quantity() -> Value {
    json!({"credit_kgs": 125632, "credits": 125.632})
}

fn project() -> Value {
    let supplier = json!({
        "id": "spl_1CC712KFS1S0YKPS", "short_description": "Short", "long_description": null,
        "organisation": organisation(),
        "location": {"country_code": "GBR", "country_name": "United Kingdom",
                     "description": null, "latitude": 51.5, "longitude": -0.12}
    });
    json!({
        "id": PRJ, "name": "Project", "supplier": supplier, "status": "validated",
        "short_code": "F5X7", "url": "https://registry.isometric.com/project/f5x7",
        "process_key": "bstore", "pathway": "biomass_carbon_removal_and_storage",
        "protocol_slug": "bio-oil", "country_code": "GBR", "validator_name": null,
        "current_verifier_name": "Verifier", "crediting_period_start": "2024-01-01",
        "crediting_period_end": null, "issued_credits_total": quantity(),
        "retired_credits_total": quantity(), "issued_buffer_pool_credits_total": quantity(),
        "retired_buffer_pool_credits_total": quantity(), "location": null
    })
}

fn retirement() -> Value {
    json!({
        "id": "ret_1FYBH4QDT1S0SVKF", "retired_at": "2024-05-01T12:30:00Z",
        "purposes": ["corporate_targets"], "beneficiary": organisation(), "owner": organisation(),
        "credit_batch_size_total": quantity(),
        "url": "https://registry.isometric.com/retirement/1", "notes": null
    })
}

/// A server answering `GET /projects/{id}` and `POST /retirements`, with `faults` if any.
pub async fn server(faults: Option<Faults>) -> LoadServer {
    let project = project().to_string();
    let retirement = retirement().to_string();
    LoadServer::start(move |n, seen: &Seen| {
        if let Some(f) = faults {
            if n % f.reset_every == f.reset_every / 2 {
                return Reply::Reset;
            }
            if n % f.unavailable_every == 1 {
                return Reply::json(503, "{}").header("retry-after", "0");
            }
            if n % f.slow_every == 7 {
                return Reply::json(200, project.clone()).delay(f.slow_by);
            }
        }
        let body = if seen.method == "POST" {
            &retirement
        } else {
            &project
        };
        Reply::json(200, body.clone()).header("x-request-id", format!("req_{n}"))
    })
    .await
}

/// How one request ended.
pub fn kind<E>(result: &Result<(), Error<E>>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(Error::Api(_)) => "api (status)",
        Err(Error::Timeout) => "timeout",
        Err(Error::Transport(t)) if t.may_have_reached_server() => "transport (may have reached)",
        Err(Error::Transport(_)) => "transport (not sent)",
        Err(Error::Decode(_)) => "decode",
        Err(_) => "other",
    }
}

/// One finished request.
pub struct Done {
    pub post: bool,
    pub kind: &'static str,
    pub latency: Duration,
}

/// `n` concurrent requests through one shared client, every `post_every`-th a POST whose
/// body carries its index in `notes`.
pub async fn run(client: &Client, n: usize, post_every: usize) -> Vec<Done> {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let client = client.clone();
        tasks.spawn(async move {
            let started = Instant::now();
            let post = post_every > 0 && i % post_every == 0;
            let kind = if post {
                let request = CreateRetirementByBatchRequest::builder()
                    .beneficiary_organisation_id("org_1CP8EQDNQSBXTMR2")
                    .credit_batch_quantities(vec![CreditBatchQuantity::builder()
                        .credit_batch_id("ctb_1DRBTYA8Q1S07CBY")
                        .credit_quantity_kg(1000)
                        .build()])
                    .owner_organisation_id("org_1GB56M1ST1S0GVNA")
                    .retirement_purposes(vec![RetirementPurpose::CorporateTargets])
                    .supplier_id("spl_1CC712KFS1S0YKPS")
                    .build()
                    .with_notes(format!("load-{i}"));
                kind(&client.create_retirement(request).send().await.map(drop))
            } else {
                kind(&client.get_project(PRJ).send().await.map(drop))
            };
            Done {
                post,
                kind,
                latency: started.elapsed(),
            }
        });
    }
    let mut done = Vec::with_capacity(n);
    while let Some(result) = tasks.join_next().await {
        done.push(result.expect("no request panics"));
    }
    done
}

/// How many times the server received each POST (by its `notes` index).
pub fn post_receipts(seen: &[Seen]) -> BTreeMap<String, usize> {
    let mut receipts = BTreeMap::new();
    for request in seen.iter().filter(|r| r.method == "POST") {
        let body: Value = serde_json::from_slice(&request.body).expect("JSON body");
        let notes = body["notes"].as_str().expect("notes").to_owned();
        *receipts.entry(notes).or_insert(0) += 1;
    }
    receipts
}

/// Outcomes counted by kind.
pub fn by_kind(done: &[Done]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for d in done {
        *counts.entry(d.kind).or_insert(0) += 1;
    }
    counts
}
