//! Every operation of the generated Isometric client, called once with valid
//! arguments. Shared by the mock-server tests (`client`) and the Prism
//! conformance test (`conformance`).

use std::fmt::Debug;

use chrono::{TimeZone, Utc};
use isometric_registry::{
    types::{
        CreateBeneficiaryRequest, CreateDeliveryRequest, CreateIndividualBeneficiary,
        CreateRetirementByBatchRequest, CreateRetirementOldestCreditsRequest,
        CreateStripeCheckoutSessionRequest, CreateTransferRequest, CreditBatchQuantity,
        CreditBatchSortField, CreditBatchStatus, RetirementPurpose, SortDirection,
        StripeSubscriptionFrequency,
    },
    Client, Error,
};
use serde_json::Value;

use crate::fixtures::*;

/// Number of operations in the spec.
pub const OPERATION_COUNT: usize = 41;

/// One call: what should go over the wire, and a valid 200 body for mocks.
#[derive(Debug, Clone)]
pub struct Op {
    /// The generated method's name.
    pub name: &'static str,
    pub method: &'static str,
    /// Path relative to the base URL, percent-encoded as sent.
    pub path: String,
    /// Expected query string without `?` (empty for none).
    pub query: String,
    /// A valid body of the operation's 200 response.
    pub response: Value,
}

impl Op {
    /// Path and query as the server sees them (base path `base` in front).
    pub fn target(&self, base: &str) -> String {
        if self.query.is_empty() {
            format!("{base}{}", self.path)
        } else {
            format!("{base}{}?{}", self.path, self.query)
        }
    }
}

/// How a call ended (details are read through `Debug`).
#[derive(Debug)]
#[allow(dead_code)]
pub enum Outcome {
    /// 2xx, and the body decoded into the generated type.
    Decoded,
    /// 2xx, but the body didn't decode.
    DecodeFailed(String),
    /// A non-success status.
    Api(u16, String),
    /// Anything else (transport, timeout, invalid request).
    Other(String),
}

fn classify<T, E: Debug>(result: Result<T, Error<E>>) -> Outcome {
    match result {
        Ok(_) => Outcome::Decoded,
        Err(Error::Decode(e)) => Outcome::DecodeFailed(format!(
            "at `{}`: {} (body: {})",
            e.path, e.message, e.snippet
        )),
        Err(Error::Api(e)) => Outcome::Api(e.status, format!("{:?}", e.body)),
        Err(other) => Outcome::Other(format!("{other} / {other:?}")),
    }
}

fn quantities() -> Vec<CreditBatchQuantity> {
    vec![CreditBatchQuantity::builder()
        .credit_batch_id(CTB)
        .credit_quantity_kg(1000)
        .build()]
}

fn purposes() -> Vec<RetirementPurpose> {
    vec![RetirementPurpose::CorporateTargets]
}

/// The body `create_beneficiary` sends.
pub fn beneficiary_request() -> CreateBeneficiaryRequest {
    CreateBeneficiaryRequest::CreateIndividualBeneficiary(
        CreateIndividualBeneficiary::builder()
            .beneficiary_email("john.smith@example.com")
            .beneficiary_name("John Smith")
            .build(),
    )
}

/// Calls every operation once, in a fixed order. `before` sees each call's
/// [`Op`] just before it is sent (mocks script the response there).
pub async fn call_all(client: &Client, before: &mut dyn FnMut(&Op)) -> Vec<(Op, Outcome)> {
    let mut out = Vec::new();
    macro_rules! call {
        ($name:literal, $method:literal, $path:expr, $query:expr, $response:expr, $call:expr) => {{
            let op = Op {
                name: $name,
                method: $method,
                path: $path.to_string(),
                query: $query.to_string(),
                response: $response,
            };
            before(&op);
            let outcome = classify($call.send().await);
            out.push((op, outcome));
        }};
    }
    let issued_after = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();

    call!(
        "list_beneficiaries",
        "GET",
        "/beneficiaries",
        "first=5",
        page(organisation()),
        client.list_beneficiaries().page_size(5)
    );
    call!(
        "create_beneficiary",
        "POST",
        "/beneficiary",
        "",
        organisation(),
        client.create_beneficiary(beneficiary_request())
    );
    call!(
        "get_credit_batch",
        "GET",
        format!("/credit_batches/{CTB}"),
        "",
        credit_batch(),
        client.get_credit_batch(CTB)
    );
    call!(
        "list_deliveries",
        "GET",
        "/deliveries",
        format!("from_supplier_id={SPL}&to_organisation_id={ORG}&first=5"),
        page(delivery()),
        client
            .list_deliveries()
            .from_supplier_id(SPL)
            .to_organisation_id(ORG)
            .page_size(5)
    );
    call!(
        "create_delivery",
        "POST",
        "/deliveries",
        "",
        delivery(),
        client.create_delivery(
            CreateDeliveryRequest::builder()
                .credit_batch_quantities(quantities())
                .order_id(ORD)
                .build()
                .with_notes("Delivered with care.")
        )
    );
    call!(
        "get_delivery",
        "GET",
        format!("/deliveries/{DLV}"),
        "",
        delivery(),
        client.get_delivery(DLV)
    );
    call!(
        "list_delivery_credit_batches",
        "GET",
        format!("/deliveries/{DLV}/credit_batches"),
        "",
        list(credit_batch()),
        client.list_delivery_credit_batches(DLV)
    );
    call!(
        "list_issuances",
        "GET",
        "/issuances",
        "",
        page(issuance()),
        client.list_issuances()
    );
    call!(
        "get_issuance",
        "GET",
        format!("/issuances/{ISS}"),
        "",
        issuance(),
        client.get_issuance(ISS)
    );
    call!(
        "list_issuance_credit_batches",
        "GET",
        format!("/issuances/{ISS}/credit_batches"),
        "",
        issuance_credit_batches(),
        client.list_issuance_credit_batches(ISS)
    );
    call!(
        "get_order",
        "GET",
        format!("/orders/{ORD}"),
        "",
        order(),
        client.get_order(ORD)
    );
    call!(
        "list_order_deliveries",
        "GET",
        format!("/orders/{ORD}/deliveries"),
        "",
        page(delivery()),
        client.list_order_deliveries(ORD)
    );
    call!(
        "get_current_organisation",
        "GET",
        "/organisation",
        "",
        organisation(),
        client.get_current_organisation()
    );
    call!(
        "get_organisation",
        "GET",
        format!("/organisations/{ORG}"),
        "",
        organisation(),
        client.get_organisation(ORG)
    );
    call!(
        "get_organisation_credit_balance",
        "GET",
        format!("/organisations/{ORG}/credit_balance"),
        "",
        organisation_credit_balance(),
        client.get_organisation_credit_balance(ORG)
    );
    call!(
        "list_organisation_credit_batches",
        "GET",
        format!("/organisations/{ORG}/credit_batches"),
        format!(
            "supplier_id={SPL}&status=active&status=retired&issued_after=2021-01-01T00%3A00%3A00Z\
             &first=10&sort_field=issued_at&sort_direction=desc"
        ),
        page(credit_batch()),
        client
            .list_organisation_credit_batches(ORG)
            .supplier_id(SPL)
            .status(vec![CreditBatchStatus::Active, CreditBatchStatus::Retired])
            .issued_after(issued_after)
            .first(10)
            .sort_field(CreditBatchSortField::IssuedAt)
            .sort_direction(SortDirection::Desc)
    );
    call!(
        "list_organisation_orders",
        "GET",
        format!("/organisations/{ORG}/orders"),
        "",
        page(order()),
        client.list_organisation_orders(ORG)
    );
    call!(
        "list_projects",
        "GET",
        "/projects",
        "first=10",
        page(project()),
        client.list_projects().first(10)
    );
    call!(
        "get_project",
        "GET",
        format!("/projects/{PRJ}"),
        "",
        project(),
        client.get_project(PRJ)
    );
    call!(
        "list_project_documents",
        "GET",
        format!("/projects/{PRJ}/documents"),
        "",
        page(project_document()),
        client.list_project_documents(PRJ)
    );
    call!(
        "get_refund",
        "GET",
        format!("/refunds/{BPR}"),
        "",
        refund(),
        client.get_refund(BPR)
    );
    call!(
        "list_refund_credit_batches",
        "GET",
        format!("/refunds/{BPR}/credit_batches"),
        "",
        list(credit_batch()),
        client.list_refund_credit_batches(BPR)
    );
    call!(
        "list_retirements",
        "GET",
        "/retirements",
        format!("beneficiary_org_id={ORG2}&owner_org_id={ORG}"),
        page(retirement()),
        client
            .list_retirements()
            .beneficiary_org_id(ORG2)
            .owner_org_id(ORG)
    );
    call!(
        "create_retirement",
        "POST",
        "/retirements",
        "",
        retirement(),
        client.create_retirement(
            CreateRetirementByBatchRequest::builder()
                .beneficiary_organisation_id(ORG2)
                .credit_batch_quantities(quantities())
                .owner_organisation_id(ORG)
                .retirement_purposes(purposes())
                .supplier_id(SPL)
                .build()
        )
    );
    call!(
        "create_retirement_from_oldest_credits",
        "POST",
        "/retirements/from_oldest_credits",
        "",
        retirement(),
        client.create_retirement_from_oldest_credits(
            CreateRetirementOldestCreditsRequest::builder()
                .beneficiary_organisation_id(ORG2)
                .credit_quantity_kg(1000)
                .owner_organisation_id(ORG)
                .retirement_purposes(purposes())
                .supplier_id(SPL)
                .build()
                .with_vintage(2022)
                .with_order_id(ORD)
        )
    );
    call!(
        "get_retirement",
        "GET",
        format!("/retirements/{RET}"),
        "",
        retirement(),
        client.get_retirement(RET)
    );
    call!(
        "list_retirement_credit_batches",
        "GET",
        format!("/retirements/{RET}/credit_batches"),
        "",
        list(credit_batch()),
        client.list_retirement_credit_batches(RET)
    );
    call!(
        "create_stripe_checkout_session",
        "POST",
        "/stripe/checkout",
        "",
        serde_json::json!({"redirect_url": "https://checkout.stripe.com/c/1"}),
        client.create_stripe_checkout_session(
            CreateStripeCheckoutSessionRequest::builder()
                .cancel_url("https://example.com/cancel")
                .frequency(StripeSubscriptionFrequency::Monthly)
                .isometric_terms_and_conditions_accepted(true)
                .quantity_kg(1000)
                .success_url("https://example.com/success")
                .supplier_terms_and_conditions_accepted(true)
                .build()
                .with_customer_email("test@example.com")
        )
    );
    call!(
        "get_stripe_configuration",
        "GET",
        "/stripe/configuration",
        "",
        stripe_configuration(),
        client.get_stripe_configuration()
    );
    call!(
        "get_current_supplier",
        "GET",
        "/supplier",
        "",
        supplier(),
        client.get_current_supplier()
    );
    call!(
        "list_suppliers",
        "GET",
        "/suppliers",
        "",
        page(supplier()),
        client.list_suppliers()
    );
    call!(
        "get_supplier",
        "GET",
        format!("/suppliers/{SPL}"),
        "",
        supplier(),
        client.get_supplier(SPL)
    );
    call!(
        "list_supplier_deliveries",
        "GET",
        format!("/suppliers/{SPL}/deliveries"),
        "",
        page(delivery()),
        client.list_supplier_deliveries(SPL)
    );
    call!(
        "list_supplier_issuances",
        "GET",
        format!("/suppliers/{SPL}/issuances"),
        "",
        page(issuance()),
        client.list_supplier_issuances(SPL)
    );
    call!(
        "list_supplier_orders",
        "GET",
        format!("/suppliers/{SPL}/orders"),
        "",
        page(order()),
        client.list_supplier_orders(SPL)
    );
    call!(
        "list_supplier_projects",
        "GET",
        format!("/suppliers/{SPL}/projects"),
        "",
        page(project()),
        client.list_supplier_projects(SPL)
    );
    call!(
        "list_transferees",
        "GET",
        "/transferees",
        "",
        page(organisation()),
        client.list_transferees()
    );
    call!(
        "list_transfers",
        "GET",
        "/transfers",
        format!("from_organisation_id={ORG}&to_organisation_id={ORG2}"),
        page(transfer()),
        client
            .list_transfers()
            .from_organisation_id(ORG)
            .to_organisation_id(ORG2)
    );
    call!(
        "create_transfer",
        "POST",
        "/transfers",
        "",
        transfer(),
        client.create_transfer(
            CreateTransferRequest::builder()
                .credit_batch_quantities(quantities())
                .from_organisation_id(ORG)
                .supplier_id(SPL)
                .to_organisation_id(ORG2)
                .build()
                .with_notes("Transferred with care.")
        )
    );
    call!(
        "get_transfer",
        "GET",
        format!("/transfers/{TFR}"),
        "",
        transfer(),
        client.get_transfer(TFR)
    );
    call!(
        "list_transfer_credit_batches",
        "GET",
        format!("/transfers/{TFR}/credit_batches"),
        "",
        list(credit_batch()),
        client.list_transfer_credit_batches(TFR)
    );
    out
}
