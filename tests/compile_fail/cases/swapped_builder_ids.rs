// A credit batch's id given as the owner organisation of a retirement.
use isometric_registry::types::{CreateRetirementByBatchRequest, CreditBatchId};

fn main() {
    let batch = CreditBatchId::new("ctb_1DRBTYA8Q1S07CBY");
    let _ = CreateRetirementByBatchRequest::builder().owner_organisation_id(batch);
}
