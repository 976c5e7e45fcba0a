//! Model decoding: unknown enum values, unknown properties, omitted lists,
//! nullable responses and the `__typename`-tagged request union (tag optional: shape decides).

use isometric_registry::types::{
    CreateBeneficiaryRequest, CreateOrganizationBeneficiary, Organisation, Pathway, Project,
    ProjectStatus, RetirementPurpose,
};
use serde_json::{json, Value};

use crate::client;
use crate::fixtures::{self, ORG, PRJ, RET};
use crate::mock_server::{MockResponse, MockServer};
use crate::operations::beneficiary_request;

#[tokio::test]
async fn unknown_enum_values_round_trip() {
    let mut body = fixtures::project();
    body["status"] = json!("suspended_pending_review");
    body["pathway"] = json!("ocean_alkalinity_enhancement");
    let server = MockServer::start(vec![MockResponse::json(200, &body.to_string())]).await;
    let project = client(&server.url())
        .get_project(PRJ)
        .send()
        .await
        .unwrap()
        .expect("project");
    assert_eq!(
        project.status,
        ProjectStatus::Unknown("suspended_pending_review".into())
    );
    assert_eq!(
        project.pathway,
        Pathway::Unknown("ocean_alkalinity_enhancement".into())
    );
    assert_eq!(project.status.as_str(), "suspended_pending_review");
    let again = serde_json::to_value(&project).unwrap();
    assert_eq!(again["status"], "suspended_pending_review");
    assert_eq!(again["pathway"], "ocean_alkalinity_enhancement");
    let back: Project = serde_json::from_value(again).unwrap();
    assert_eq!(back, project);
    // Known values still map to their variants.
    assert_eq!(
        serde_json::from_value::<ProjectStatus>(json!("under_validation")).unwrap(),
        ProjectStatus::UnderValidation
    );
}

#[tokio::test]
async fn unknown_properties_are_ignored() {
    let mut body = fixtures::project();
    body["added_in_v1"] = json!({"nested": [1, 2, 3]});
    body["supplier"]["organisation"]["tier"] = json!("gold");
    body["issued_credits_total"]["credit_tonnes"] = json!(0.5);
    let server = MockServer::start(vec![MockResponse::json(200, &body.to_string())]).await;
    let project = client(&server.url())
        .get_project(PRJ)
        .send()
        .await
        .unwrap()
        .expect("project");
    assert_eq!(project.id, PRJ);
    assert_eq!(project.supplier.organisation.id, ORG);
    assert_eq!(project.issued_credits_total.credit_kgs, 125632);
    let again = serde_json::to_value(&project).unwrap();
    assert!(again.get("added_in_v1").is_none());
}

#[tokio::test]
async fn required_lists_omitted_by_the_server_decode_as_empty() {
    let mut retirement = fixtures::retirement();
    retirement.as_object_mut().unwrap().remove("purposes");
    let mut balance = fixtures::organisation_credit_balance();
    for list in ["supplier_balances", "project_balances", "order_balances"] {
        balance.as_object_mut().unwrap().remove(list);
    }
    let mut page = fixtures::page(fixtures::project());
    page.as_object_mut().unwrap().remove("nodes");
    let server = MockServer::start(vec![
        MockResponse::json(200, &retirement.to_string()),
        MockResponse::json(200, &balance.to_string()),
        MockResponse::json(200, &page.to_string()),
    ])
    .await;
    let client = client(&server.url());
    let retirement = client.get_retirement(RET).send().await.unwrap();
    assert!(retirement.purposes.is_empty());
    let balance = client
        .get_organisation_credit_balance(ORG)
        .send()
        .await
        .unwrap();
    assert!(balance.supplier_balances.is_empty());
    assert!(balance.project_balances.is_empty());
    assert!(balance.order_balances.is_empty());
    let page = client.list_projects().send().await.unwrap();
    assert!(page.nodes.is_empty());
    assert_eq!(page.total_count, 1);
}

#[tokio::test]
async fn present_lists_and_nullable_responses_decode() {
    let server = MockServer::start(vec![
        MockResponse::json(200, &fixtures::retirement().to_string()),
        MockResponse::json(200, "null"),
        MockResponse::json(200, &fixtures::organisation().to_string()),
    ])
    .await;
    let client = client(&server.url());
    let retirement = client.get_retirement(RET).send().await.unwrap();
    assert_eq!(retirement.purposes, [RetirementPurpose::CorporateTargets]);
    assert_eq!(retirement.notes, None);
    // `GET /organisations/{id}` may answer `null`.
    assert_eq!(client.get_organisation(ORG).send().await.unwrap(), None);
    let organisation: Option<Organisation> = client.get_organisation(ORG).send().await.unwrap();
    assert_eq!(
        organisation.unwrap().domain.as_deref(),
        Some("isometric.com")
    );
}

#[tokio::test]
async fn beneficiary_body_is_tagged_with_typename_and_round_trips() {
    let server = MockServer::start(vec![
        MockResponse::json(200, &fixtures::organisation().to_string()),
        MockResponse::json(200, &fixtures::organisation().to_string()),
    ])
    .await;
    let client = client(&server.url());
    let individual = beneficiary_request();
    let organisation = CreateBeneficiaryRequest::CreateOrganizationBeneficiary(
        CreateOrganizationBeneficiary::builder()
            .beneficiary_domain("acme.com")
            .beneficiary_name("Acme Corporation")
            .build(),
    );
    for body in [individual.clone(), organisation.clone()] {
        client.create_beneficiary(body).send().await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].target, "/registry/v0/beneficiary");
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        sent,
        json!({
            "__typename": "CreateIndividualBeneficiary",
            "beneficiary_email": "john.smith@example.com",
            "beneficiary_name": "John Smith"
        })
    );
    let sent_org: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(
        sent_org,
        json!({
            "__typename": "CreateOrganizationBeneficiary",
            "beneficiary_domain": "acme.com",
            "beneficiary_name": "Acme Corporation"
        })
    );
    // Round trip through the wire form.
    let back: CreateBeneficiaryRequest = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(back, individual);
    let back: CreateBeneficiaryRequest = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(back, organisation);
}

/// `__typename` is a `const` with a `default` that the beneficiary schemas do not require, so an
/// object without it is valid: the tag decides when present, the object's shape when absent,
/// and a shape that fits no variant or several is a decode error saying so.
#[test]
fn beneficiary_union_decodes_without_its_optional_tag() {
    use isometric_registry::types::CreateIndividualBeneficiary;
    let decode = |value: Value| serde_json::from_value::<CreateBeneficiaryRequest>(value);
    let individual = decode(json!({"beneficiary_email": "a@b.c", "beneficiary_name": "A"}));
    assert_eq!(
        individual.unwrap(),
        CreateBeneficiaryRequest::CreateIndividualBeneficiary(
            CreateIndividualBeneficiary::builder()
                .beneficiary_email("a@b.c")
                .beneficiary_name("A")
                .build()
        )
    );
    let organisation =
        decode(json!({"beneficiary_domain": "acme.com", "beneficiary_name": "Acme"}));
    assert_eq!(
        organisation.unwrap(),
        CreateBeneficiaryRequest::CreateOrganizationBeneficiary(
            CreateOrganizationBeneficiary::builder()
                .beneficiary_domain("acme.com")
                .beneficiary_name("Acme")
                .build()
        )
    );
    // The tag wins over the shape: the e-mail is ignored, the domain is missing.
    let err = decode(json!({
        "__typename": "CreateOrganizationBeneficiary",
        "beneficiary_email": "a@b.c", "beneficiary_name": "A"
    }))
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing field `beneficiary_domain`"), "{err}");
    let err = decode(json!({"__typename": "Robot", "beneficiary_name": "A"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown variant `Robot`"), "{err}");
    let err = decode(json!({"beneficiary_name": "A"}))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "no `__typename`, and the object has the shape of none of \
         CreateOrganizationBeneficiary, CreateIndividualBeneficiary"
    );
    let err = decode(json!({
        "beneficiary_name": "A", "beneficiary_email": "a@b.c", "beneficiary_domain": "b.c"
    }))
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "no `__typename`, and the object has the shape of several variants: \
         CreateOrganizationBeneficiary, CreateIndividualBeneficiary"
    );
}

/// Required-but-nullable fields are always sent (explicit `null` when unset); optional fields are
/// left out until set.
#[test]
fn required_nullable_serializes_null_and_optional_is_omitted() {
    use isometric_registry::types::CreateRetirementOldestCreditsRequest;
    let request = CreateRetirementOldestCreditsRequest::builder()
        .beneficiary_organisation_id(ORG)
        .credit_quantity_kg(1000)
        .owner_organisation_id(ORG)
        .retirement_purposes(vec![RetirementPurpose::from("voluntary_compensation")])
        .supplier_id("spl_1CC712KFS1S0YKPS")
        .build();
    let value = serde_json::to_value(&request).unwrap();
    assert_eq!(value["notes"], Value::Null);
    assert!(value.as_object().unwrap().contains_key("notes"), "{value}");
    assert!(
        !value.as_object().unwrap().contains_key("order_id"),
        "{value}"
    );
    assert!(
        !value.as_object().unwrap().contains_key("vintage"),
        "{value}"
    );
    let with_order = serde_json::to_value(request.with_order_id("ord_1")).unwrap();
    assert_eq!(with_order["order_id"], "ord_1");
}

/// Decimal strings keep their exact text through decoding and encoding: `450.00` is neither
/// `450` nor `450.0000000001`, and a value beyond `f64` precision survives.
#[tokio::test]
async fn decimal_strings_keep_their_text() {
    let mut body = fixtures::stripe_configuration();
    body["verification_product_price_per_tonne"] = json!("12345678901234567890.123456789");
    let server = MockServer::start(vec![MockResponse::json(200, &body.to_string())]).await;
    let configuration = client(&server.url())
        .get_stripe_configuration()
        .send()
        .await
        .unwrap();
    let price = configuration
        .credit_product_price_per_tonne
        .as_ref()
        .unwrap();
    assert_eq!(price.as_str(), "450.00");
    let verification = configuration
        .verification_product_price_per_tonne
        .as_ref()
        .unwrap();
    assert_eq!(verification.as_str(), "12345678901234567890.123456789");
    let encoded = serde_json::to_value(&configuration).unwrap();
    assert_eq!(encoded["credit_product_price_per_tonne"], "450.00");
    assert_eq!(
        encoded["verification_product_price_per_tonne"],
        "12345678901234567890.123456789"
    );
}
