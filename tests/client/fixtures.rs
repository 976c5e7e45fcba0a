//! Valid JSON instances of the spec's schemas (every required property
//! present, nullable ones `null` or set), built from the spec's own example ids.

use serde_json::{json, Value};

pub const ORG: &str = "org_1GB56M1ST1S0GVNA";
pub const ORG2: &str = "org_1CP8EQDNQSBXTMR2";
pub const SPL: &str = "spl_1CC712KFS1S0YKPS";
pub const PRJ: &str = "prj_1CTWZQGKE1S0VAXA";
pub const CTB: &str = "ctb_1DRBTYA8Q1S07CBY";
pub const DLV: &str = "dlv_1C454ZXA61S03Z9T";
pub const ISS: &str = "iss_1EWT8R5FY1S0GFCY";
pub const ORD: &str = "ord_1FAN3S3WV1S0B842";
pub const RET: &str = "ret_1FYBH4QDT1S0SVKF";
pub const TFR: &str = "tfr_1FJGWSY271S0QSMR";
pub const BPR: &str = "bpr_1E5BH6AG21S0SKTW";
pub const PJD: &str = "pjd_1ESC3V76T1S0S6J3";
pub const SSC: &str = "ssc_1EFF4PWKE1S0TF1S";
pub const RMV: &str = "rmv_1EEM6NJXX1S0EXKD";

const AT: &str = "2024-05-01T12:30:00Z";

pub fn quantity() -> Value {
    json!({"credit_kgs": 125632, "credits": 125.632})
}

pub fn balance() -> Value {
    json!({"active_credits_total": quantity(), "retired_credits_total": quantity()})
}

pub fn organisation() -> Value {
    json!({"id": ORG, "name": "Isometric", "domain": "isometric.com"})
}

pub fn location() -> Value {
    json!({
        "country_code": "GBR", "country_name": "United Kingdom",
        "description": null, "latitude": 51.5, "longitude": -0.12
    })
}

pub fn supplier() -> Value {
    json!({
        "id": SPL, "short_description": "Short", "long_description": null,
        "organisation": organisation(), "location": location()
    })
}

pub fn project() -> Value {
    json!({
        "id": PRJ, "name": "Project", "supplier": supplier(), "status": "validated",
        "short_code": "F5X7", "url": "https://registry.isometric.com/project/f5x7",
        "process_key": "bstore", "pathway": "biomass_carbon_removal_and_storage",
        "protocol_slug": "bio-oil", "country_code": "GBR", "validator_name": null,
        "current_verifier_name": "Verifier", "crediting_period_start": "2024-01-01",
        "crediting_period_end": null, "issued_credits_total": quantity(),
        "retired_credits_total": quantity(), "issued_buffer_pool_credits_total": quantity(),
        "retired_buffer_pool_credits_total": quantity(), "location": null
    })
}

pub fn credit_batch() -> Value {
    json!({
        "id": CTB, "serial_number": "ISO-1-BSTORE-GBR-F5X7-2024-78177-81177",
        "status": "active", "size": quantity(), "issued_at": AT, "retired_at": null,
        "delivered_at": AT, "sequestered_on": "2024-04-01", "country_of_issue": "GBR",
        "supplier_id": SPL, "parent_id": null, "left_child_id": null, "right_child_id": null,
        "issuance_id": ISS, "delivery_id": DLV, "beneficiary": null, "retirement_id": null,
        "removal_id": RMV, "owner": organisation(), "project_id": PRJ,
        "carbon_removal_data": {
            "gross_carbon_removed_kg": 10, "net_carbon_removed_kg": 7,
            "emissions_kg": 2, "counterfactuals_kg": 0, "losses_kg": 1
        },
        "ccp_approved": true
    })
}

pub fn delivery() -> Value {
    json!({
        "id": DLV, "delivered_at": AT, "order_id": ORD, "from_supplier": supplier(),
        "to_organisation": organisation(), "credit_batch_size_total": quantity(),
        "url": "https://registry.isometric.com/delivery/1", "notes": "Delivered with care."
    })
}

pub fn issuance() -> Value {
    json!({
        "id": ISS, "issued_at": AT, "supplier": supplier(), "project_id": PRJ,
        "reporting_period_start_at": "2024-01-01", "reporting_period_end_at": "2024-03-31",
        "supplier_credit_batch_size_total": quantity(),
        "buffer_pool_credit_batch_size_total": quantity(),
        "credit_batch_size_total": quantity()
    })
}

pub fn issuance_credit_batches() -> Value {
    json!({
        "issuance_id": ISS, "supplier_credit_batches": [credit_batch()],
        "supplier_credit_batch_size_total": quantity(), "buffer_pool_credit_batches": [],
        "buffer_pool_credit_batch_size_total": quantity(), "credit_batch_size_total": quantity()
    })
}

pub fn order() -> Value {
    json!({
        "id": ORD, "effective_contract_date": "2024-02-29", "fulfilled_at": null,
        "buyer_organisation": organisation(), "supplier": supplier(), "status": "in_progress",
        "credits_ordered": quantity(), "credits_delivered": quantity()
    })
}

pub fn organisation_credit_balance() -> Value {
    json!({
        "total": balance(),
        "supplier_balances": [{"supplier_id": SPL, "total": balance()}],
        "project_balances": [{"project_id": PRJ, "total": balance()}],
        "order_balances": [{"order_id": ORD, "total": balance()}]
    })
}

pub fn project_document() -> Value {
    json!({
        "id": PJD, "display_name": "PDD", "project_id": PRJ,
        "url": "https://registry.isometric.com/doc/1"
    })
}

pub fn refund() -> Value {
    json!({
        "id": BPR, "refunded_at": AT, "from_buffer_pool_organisation": organisation(),
        "to_organisation": organisation(), "credit_batch_size_total": quantity(), "notes": "n"
    })
}

pub fn retirement() -> Value {
    json!({
        "id": RET, "retired_at": AT, "purposes": ["corporate_targets"],
        "beneficiary": organisation(), "owner": organisation(),
        "credit_batch_size_total": quantity(),
        "url": "https://registry.isometric.com/retirement/1", "notes": null
    })
}

pub fn stripe_configuration() -> Value {
    json!({
        "id": SSC, "account_id": "acct_1", "credit_product_price_per_tonne": "450.00",
        "verification_product_price_per_tonne": null, "currency": "usd",
        "isometric_terms_and_conditions_url": "https://isometric.com/terms"
    })
}

pub fn transfer() -> Value {
    json!({
        "id": TFR, "transferred_at": AT, "from_organisation": organisation(),
        "to_organisation": organisation(), "credit_batch_size_total": quantity(), "notes": null
    })
}

pub fn page_info(end_cursor: Option<&str>, has_next_page: bool) -> Value {
    json!({
        "has_previous_page": false, "start_cursor": null,
        "has_next_page": has_next_page, "end_cursor": end_cursor
    })
}

/// A `PaginatedListResource` with one page.
pub fn page(node: Value) -> Value {
    json!({"nodes": [node], "total_count": 1, "page_info": page_info(Some("c1"), false)})
}

/// A `ListResource`.
pub fn list(node: Value) -> Value {
    json!({"nodes": [node], "total_count": 1})
}
