//! One uniform view of a schema, whichever of `openapiv3`'s shapes (`Type::*`, `Any`, …) it was
//! parsed into, so lowering reads each keyword in one place.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::ir::Constraints;

type Props = IndexMap<String, ReferenceOr<Box<Schema>>>;

pub struct View<'a> {
    pub data: &'a SchemaData,
    /// JSON type named by `type`, if any.
    pub ty: Option<&'a str>,
    pub format: Option<String>,
    pub enum_values: Vec<Value>,
    pub properties: Option<&'a Props>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub not: bool,
    pub constraints: Constraints,
}

fn format_name<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> View<'a> {
        let mut view = View {
            data: &schema.schema_data,
            ty: None,
            format: None,
            enum_values: Vec::new(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: false,
            constraints: Constraints::default(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.ty = Some("string");
                view.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                view.enum_values = s
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::String(v.clone()))
                    .collect();
                view.constraints.min_length = s.min_length.map(|v| v as u64);
                view.constraints.max_length = s.max_length.map(|v| v as u64);
                view.constraints.pattern = s.pattern.clone();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.ty = Some("number");
                view.format = format_name(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                view.enum_values = n
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::from(*v))
                    .collect();
                view.constraints.minimum = n.minimum;
                view.constraints.maximum = n.maximum;
                view.constraints.exclusive_minimum = n.exclusive_minimum;
                view.constraints.exclusive_maximum = n.exclusive_maximum;
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.ty = Some("integer");
                view.format = format_name(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                view.enum_values = i
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::from(*v))
                    .collect();
                view.constraints.minimum = i.minimum.map(|v| v as f64);
                view.constraints.maximum = i.maximum.map(|v| v as f64);
                view.constraints.exclusive_minimum = i.exclusive_minimum;
                view.constraints.exclusive_maximum = i.exclusive_maximum;
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.ty = Some("boolean");
                view.enum_values = b
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::Bool(*v))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.ty = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.ty = Some("array");
                view.items = a.items.as_ref();
                view.constraints.min_items = a.min_items.map(|v| v as u64);
                view.constraints.max_items = a.max_items.map(|v| v as u64);
                view.constraints.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::Not { .. } => view.not = true,
            SchemaKind::Any(a) => {
                view.ty = a.typ.as_deref();
                view.format = a.format.clone();
                view.enum_values = a
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_null())
                    .cloned()
                    .collect();
                if !a.properties.is_empty() || view.ty == Some("object") {
                    view.properties = Some(&a.properties);
                }
                view.required = &a.required;
                view.additional = a.additional_properties.as_ref();
                view.items = a.items.as_ref();
                view.one_of = &a.one_of;
                view.any_of = &a.any_of;
                view.all_of = &a.all_of;
                view.not = a.not.is_some();
                view.constraints = Constraints {
                    min_length: a.min_length.map(|v| v as u64),
                    max_length: a.max_length.map(|v| v as u64),
                    pattern: a.pattern.clone(),
                    minimum: a.minimum,
                    maximum: a.maximum,
                    exclusive_minimum: a.exclusive_minimum.unwrap_or(false),
                    exclusive_maximum: a.exclusive_maximum.unwrap_or(false),
                    min_items: a.min_items.map(|v| v as u64),
                    max_items: a.max_items.map(|v| v as u64),
                    unique_items: a.unique_items.unwrap_or(false),
                };
                // Keywords of one type without `type` imply it.
                if view.ty.is_none() {
                    if view.properties.is_some() || view.additional.is_some() {
                        view.ty = Some("object");
                    } else if view.items.is_some() {
                        view.ty = Some("array");
                    }
                }
            }
        }
        view
    }

    /// `examples` of the schema: all of `x-examples` (3.1 `examples`), else `example`.
    pub fn examples(&self) -> Vec<Value> {
        match self.data.extensions.get("x-examples") {
            Some(Value::Array(all)) => all.clone(),
            _ => self.data.example.iter().cloned().collect(),
        }
    }
}
