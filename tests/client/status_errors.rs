//! Declared error statuses decode into the per-operation error enums.

use isometric_registry::{
    operations::{GetStripeConfigurationError, ListProjectsError},
    types::ValidationErrorLocItem,
    Error, ErrorBody, RetryPolicy,
};

use crate::builder;
use crate::mock_server::{MockResponse, MockServer};

const VALIDATION: &str = r#"{
  "detail": [
    {"loc": ["query", "first"], "msg": "Input should be less than or equal to 50",
     "type": "less_than_equal", "input": "99", "ctx": {"le": 50}},
    {"loc": ["body", "credit_batch_quantities", 0, "credit_quantity_kg"],
     "msg": "Input should be greater than 0", "type": "greater_than", "input": -5}
  ]
}"#;

#[tokio::test]
async fn unprocessable_entity_decodes_into_http_validation_error() {
    let server = MockServer::start(vec![
        MockResponse::json(422, VALIDATION).header("x-request-id", "req-422")
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    let err = client.list_projects().first(10).send().await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-422"));
    let Error::Api(api) = err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 422);
    let ErrorBody::Typed(ListProjectsError::UnprocessableEntity(validation)) = api.body else {
        panic!("{:?}", api.body)
    };
    let detail = validation.detail.expect("detail");
    assert_eq!(detail.len(), 2);
    assert_eq!(
        detail[0].loc,
        [
            ValidationErrorLocItem::String("query".into()),
            ValidationErrorLocItem::String("first".into()),
        ]
    );
    assert_eq!(detail[0].type_, "less_than_equal");
    assert_eq!(detail[0].input, serde_json::json!("99"));
    assert_eq!(
        detail[0].ctx.as_ref().and_then(|c| c.get("le")),
        Some(&serde_json::json!(50))
    );
    // A location mixing field names and a list index.
    assert_eq!(
        detail[1].loc,
        [
            ValidationErrorLocItem::String("body".into()),
            ValidationErrorLocItem::String("credit_batch_quantities".into()),
            ValidationErrorLocItem::Integer(0),
            ValidationErrorLocItem::String("credit_quantity_kg".into()),
        ]
    );
    assert_eq!(detail[1].msg, "Input should be greater than 0");
    assert_eq!(server.requests().len(), 1, "422 is not retried");
}

#[tokio::test]
async fn not_found_on_stripe_configuration_is_typed() {
    // The spec declares 404 without content: typed whether or not a body comes.
    let server = MockServer::start(vec![
        MockResponse::status(404),
        MockResponse::json(404, r#"{"detail":"Not Found"}"#),
    ])
    .await;
    let client = builder(&server.url()).build().unwrap();
    for _ in 0..2 {
        let err = client.get_stripe_configuration().send().await.unwrap_err();
        assert_eq!(err.status(), Some(404));
        let Error::Api(api) = &err else {
            panic!("{err:?}")
        };
        assert!(
            matches!(
                api.body,
                ErrorBody::Typed(GetStripeConfigurationError::NotFound)
            ),
            "{:?}",
            api.body
        );
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn undeclared_status_keeps_the_body_as_text() {
    let server = MockServer::start(vec![MockResponse::status(500).body("upstream exploded")]).await;
    let client = builder(&server.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.get_current_supplier().send().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 500);
    assert!(matches!(&api.body, ErrorBody::Raw(text) if text == "upstream exploded"));
    assert!(err.to_string().contains("upstream exploded"));
}

#[tokio::test]
async fn malformed_success_body_is_a_decode_error_with_a_path() {
    let mut project = crate::fixtures::project();
    project["issued_credits_total"]["credit_kgs"] = serde_json::json!("lots");
    let server = MockServer::start(vec![MockResponse::json(200, &project.to_string())]).await;
    let client = builder(&server.url()).build().unwrap();
    let err = client
        .get_project(crate::fixtures::PRJ)
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.status, 200);
    assert!(
        decode.path.contains("issued_credits_total.credit_kgs"),
        "{}",
        decode.path
    );
}
