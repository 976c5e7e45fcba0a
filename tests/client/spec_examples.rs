//! Every `example`/`examples` value under `components.schemas` of the spec
//! decodes into the generated type: schema-level examples into the schema's
//! type, property examples into the field (set on an otherwise valid instance
//! of the owning schema, decoded, re-encoded and compared).

use isometric_registry::types::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::fixtures::{self, *};

type Decode = fn(Value) -> Result<Value, String>;

/// Decodes `value` as `T` and encodes it again.
fn round_trip<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// The generated type of a component schema, and a valid instance of it.
fn schema_type(name: &str) -> Option<(Decode, Value)> {
    let cbq = json!({"credit_batch_id": CTB, "credit_quantity_kg": 1000});
    let found: (Decode, Value) = match name {
        "BufferPoolRefund" => (round_trip::<BufferPoolRefund>, fixtures::refund()),
        "CreateDeliveryRequest" => (
            round_trip::<CreateDeliveryRequest>,
            json!({"credit_batch_quantities": [cbq], "order_id": ORD, "notes": null}),
        ),
        "CreateIndividualBeneficiary" => (
            round_trip::<CreateIndividualBeneficiary>,
            json!({"beneficiary_name": "A", "beneficiary_email": "a@example.com"}),
        ),
        "CreateOrganizationBeneficiary" => (
            round_trip::<CreateOrganizationBeneficiary>,
            json!({"beneficiary_name": "A", "beneficiary_domain": "a.example"}),
        ),
        "CreateRetirementByBatchRequest" => (
            round_trip::<CreateRetirementByBatchRequest>,
            json!({
                "owner_organisation_id": ORG, "beneficiary_organisation_id": ORG2,
                "supplier_id": SPL, "retirement_purposes": ["other"], "notes": null,
                "credit_batch_quantities": [cbq]
            }),
        ),
        "CreateRetirementOldestCreditsRequest" => (
            round_trip::<CreateRetirementOldestCreditsRequest>,
            json!({
                "owner_organisation_id": ORG, "beneficiary_organisation_id": ORG2,
                "supplier_id": SPL, "retirement_purposes": ["insetting"], "notes": null,
                "credit_quantity_kg": 5
            }),
        ),
        "CreateStripeCheckoutSessionRequest" => (
            round_trip::<CreateStripeCheckoutSessionRequest>,
            json!({
                "quantity_kg": 1, "frequency": "one_time",
                "isometric_terms_and_conditions_accepted": false,
                "supplier_terms_and_conditions_accepted": false,
                "success_url": "https://s.example", "cancel_url": "https://c.example"
            }),
        ),
        "CreateTransferRequest" => (
            round_trip::<CreateTransferRequest>,
            json!({
                "credit_batch_quantities": [cbq], "from_organisation_id": ORG,
                "to_organisation_id": ORG2, "supplier_id": SPL, "notes": null
            }),
        ),
        "CreditBatch" => (round_trip::<CreditBatch>, fixtures::credit_batch()),
        "CreditBatchQuantity" => (round_trip::<CreditBatchQuantity>, cbq),
        "CreditQuantity" => (round_trip::<CreditQuantity>, fixtures::quantity()),
        "Delivery" => (round_trip::<Delivery>, fixtures::delivery()),
        "Issuance" => (round_trip::<Issuance>, fixtures::issuance()),
        "IssuanceCreditBatches" => (
            round_trip::<IssuanceCreditBatches>,
            fixtures::issuance_credit_batches(),
        ),
        "Order" => (round_trip::<Order>, fixtures::order()),
        "OrderCreditBalance" => (
            round_trip::<OrderCreditBalance>,
            json!({"order_id": ORD, "total": fixtures::balance()}),
        ),
        "Organisation" => (round_trip::<Organisation>, fixtures::organisation()),
        "Project" => (round_trip::<Project>, fixtures::project()),
        "ProjectCreditBalance" => (
            round_trip::<ProjectCreditBalance>,
            json!({"project_id": PRJ, "total": fixtures::balance()}),
        ),
        "ProjectDocument" => (round_trip::<ProjectDocument>, fixtures::project_document()),
        "Retirement" => (round_trip::<Retirement>, fixtures::retirement()),
        "Supplier" => (round_trip::<Supplier>, fixtures::supplier()),
        "SupplierCreditBalance" => (
            round_trip::<SupplierCreditBalance>,
            json!({"supplier_id": SPL, "total": fixtures::balance()}),
        ),
        "SupplierStripeConfiguration" => (
            round_trip::<SupplierStripeConfiguration>,
            fixtures::stripe_configuration(),
        ),
        "Transfer" => (round_trip::<Transfer>, fixtures::transfer()),
        // String aliases: the generated `IsometricId`.
        id if id.starts_with("IsometricID") => (round_trip::<IsometricId>, json!(ORG)),
        _ => return None,
    };
    Some(found)
}

/// An example found in the spec.
#[derive(Debug)]
struct Example {
    /// JSON pointer of the `example`/`examples` keyword.
    pointer: String,
    schema: String,
    /// The property it belongs to, or `None` for a schema-level example.
    property: Option<String>,
    /// Whether it describes an item of an array property.
    item: bool,
    value: Value,
}

fn collect(value: &Value, path: &mut Vec<String>, out: &mut Vec<Example>) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                collect(v, path, out);
                path.pop();
            }
        }
        return;
    };
    // Keys of a `properties` map are names, not keywords.
    let in_properties = path.last().is_some_and(|k| k == "properties");
    for (key, v) in map {
        let keyword = !in_properties && (key == "example" || key == "examples");
        if !keyword {
            path.push(key.clone());
            collect(v, path, out);
            path.pop();
            continue;
        }
        let values: Vec<Value> = match (key.as_str(), v) {
            ("examples", Value::Array(items)) => items.clone(),
            _ => vec![v.clone()],
        };
        let (property, item) = match path.get(1).map(String::as_str) {
            Some("properties") => (path.get(2).cloned(), path[3..].iter().any(|k| k == "items")),
            _ => (None, path[1..].iter().any(|k| k == "items")),
        };
        for (i, value) in values.into_iter().enumerate() {
            out.push(Example {
                pointer: format!("#/components/schemas/{}/{key}/{i}", path.join("/")),
                schema: path[0].clone(),
                property: property.clone(),
                item,
                value,
            });
        }
    }
}

#[test]
fn every_schema_example_in_the_spec_decodes() {
    let spec: Value =
        serde_json::from_str(include_str!("../../spec/isometric-registry.openapi.json")).unwrap();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let mut examples = Vec::new();
    for (name, schema) in schemas {
        collect(schema, &mut vec![name.clone()], &mut examples);
    }
    assert!(!examples.is_empty(), "the spec has examples");

    let mut failures = Vec::new();
    let mut decoded = 0;
    for ex in &examples {
        let Some((decode, base)) = schema_type(&ex.schema) else {
            failures.push(format!("{}: no generated type mapped", ex.pointer));
            continue;
        };
        let wire = if ex.item {
            json!([ex.value])
        } else {
            ex.value.clone()
        };
        let result = match &ex.property {
            None => decode(wire.clone()).map(|back| (back, wire)),
            Some(prop) => {
                let mut instance = base;
                instance[prop.as_str()] = wire.clone();
                decode(instance).map(|back| (back[prop.as_str()].clone(), wire))
            }
        };
        match result {
            Ok((back, wire)) if back == wire => decoded += 1,
            Ok((back, wire)) => {
                failures.push(format!("{}: re-encoded as {back}, not {wire}", ex.pointer))
            }
            Err(e) => failures.push(format!("{}: {e}", ex.pointer)),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    println!(
        "{decoded} spec examples decoded ({} schema-level, {} property-level)",
        examples.iter().filter(|e| e.property.is_none()).count(),
        examples.iter().filter(|e| e.property.is_some()).count(),
    );
    assert_eq!(decoded, examples.len());
    // The spec's count when this test was written; fewer means the walk broke.
    assert!(decoded >= 150, "{decoded}");
}
