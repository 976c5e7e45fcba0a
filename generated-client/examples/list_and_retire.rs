//! Lists every project (following pages) and retires credits from one batch.
//!
//! ```sh
//! ISOMETRIC_CLIENT_SECRET=... ISOMETRIC_ACCESS_TOKEN=... \
//! RETIRE_OWNER_ORG_ID=org_... RETIRE_BENEFICIARY_ORG_ID=org_... \
//! RETIRE_SUPPLIER_ID=spl_... RETIRE_CREDIT_BATCH_ID=ctb_... \
//!     cargo run -p isometric-registry --example list_and_retire
//! ```
//!
//! `ISOMETRIC_BASE_URL` overrides the sandbox base URL (e.g. a local mock).
//! Without the `RETIRE_*` variables the example only lists projects. Each request is
//! logged through `tracing_subscriber` (to stderr); a retirement of 0 kg then shows the
//! server's 422 as one line: operation, status, request id, each field's location and message.

use std::env;
use std::error::Error as StdError;

use isometric_registry::{
    operations::CreateRetirementError,
    types::{CreateRetirementByBatchRequest, CreditBatchQuantity, RetirementPurpose},
    Client, Environment, StreamExt,
};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

fn required(name: &str) -> Result<String, String> {
    env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn StdError>> {
    // One line per request from this crate (operation, method, path template, attempt,
    // status, duration, request id), never a secret; retries at INFO with reason and delay.
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(Targets::new().with_target("isometric_registry", LevelFilter::DEBUG))
        .init();

    let mut builder = Client::builder()
        .environment(Environment::Sandbox)
        .client_secret(required("ISOMETRIC_CLIENT_SECRET")?)
        .bearer_token(required("ISOMETRIC_ACCESS_TOKEN")?);
    if let Ok(url) = env::var("ISOMETRIC_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // Every project, 50 per request; `items()` follows `end_cursor` for us.
    let mut projects = client.list_projects().page_size(50).items();
    let mut count = 0;
    while let Some(project) = projects.next().await {
        let project = project?;
        count += 1;
        println!(
            "{:<24} {:<10} {:<24} {} ({} credits issued)",
            project.id,
            project.short_code,
            project.status.as_str(),
            project.name,
            project.issued_credits_total.credits
        );
    }
    println!("{count} projects");

    let (Ok(owner), Ok(beneficiary), Ok(supplier), Ok(batch)) = (
        env::var("RETIRE_OWNER_ORG_ID"),
        env::var("RETIRE_BENEFICIARY_ORG_ID"),
        env::var("RETIRE_SUPPLIER_ID"),
        env::var("RETIRE_CREDIT_BATCH_ID"),
    ) else {
        println!("RETIRE_* not set: not retiring anything");
        return Ok(());
    };
    let kilograms: i64 = env::var("RETIRE_KG").map_or(Ok(1000), |kg| kg.parse())?;
    let request = |kilograms: i64| {
        CreateRetirementByBatchRequest::builder()
            .beneficiary_organisation_id(beneficiary.as_str())
            .credit_batch_quantities(vec![CreditBatchQuantity::builder()
                .credit_batch_id(batch.as_str())
                .credit_quantity_kg(kilograms)
                .build()])
            .owner_organisation_id(owner.as_str())
            .retirement_purposes(vec![RetirementPurpose::CorporateTargets])
            .supplier_id(supplier.as_str())
            .build()
            .with_notes("Retired by the oapi-rs list_and_retire example.")
    };

    let retirement = client.create_retirement(request(kilograms)).send().await?;
    println!(
        "retired {} kg as {} on behalf of {}: {}",
        retirement.credit_batch_size_total.credit_kgs,
        retirement.id,
        retirement.beneficiary.name,
        retirement.url
    );

    // The server checks what the types cannot: 0 kg is refused with a 422, and the error's
    // `Display` is the line to log. The typed body is one call away, no nested matches.
    match client.create_retirement(request(0)).send().await {
        Err(err) if err.status() == Some(422) => {
            println!("{err}");
            if let Some(CreateRetirementError::UnprocessableEntity(invalid)) = err.body() {
                println!(
                    "{} field(s) refused",
                    invalid.detail.iter().flatten().count()
                );
            }
            Ok(())
        }
        Err(err) => Err(err.into()),
        Ok(retirement) => Err(format!("0 kg was accepted as {}", retirement.id).into()),
    }
}
