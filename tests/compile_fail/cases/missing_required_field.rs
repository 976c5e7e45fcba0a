// A retirement request without its beneficiary, purposes or supplier.
use isometric_registry::types::{CreateRetirementByBatchRequest, CreditBatchQuantity};

fn main() {
    let _ = CreateRetirementByBatchRequest::builder()
        .owner_organisation_id("org_1GB56M1ST1S0GVNA")
        .credit_batch_quantities(vec![CreditBatchQuantity::builder()
            .credit_batch_id("ctb_1DRBTYA8Q1S07CBY")
            .credit_quantity_kg(1000)
            .build()])
        .build();
}
