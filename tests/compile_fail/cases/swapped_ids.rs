// An organisation's id passed where a credit batch's is expected.
use isometric_registry::types::OrganisationId;

fn main() {
    let client = isometric_registry::Client::builder()
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    let organisation = OrganisationId::new("org_1GB56M1ST1S0GVNA");
    let _ = client.get_credit_batch(organisation);
}
