//! The intermediate model: what the generator knows about an API once the document has been
//! loaded, normalized and lowered. Emission and diffing both work from this, never from the raw
//! document, so they agree on what the spec means.
//!
//! Every collection is kept in a deterministic order (types by Rust name, operations by path then
//! method) so the same spec always lowers to the same model.

use serde::Serialize;
use serde_json::Value;

mod messages;
mod pagination;
pub use messages::*;
pub use pagination::*;

/// A whole API, ready to emit or diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub docs: Docs,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Header parameters that every operation requires; they become client settings.
    pub client_headers: Vec<ClientHeader>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// Constructs that could not be typed precisely, each with the pointer it came from.
    pub warnings: Vec<Warning>,
    /// Operations that look paged but got no `pages()`, with the reason (for a declaration).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paging_notes: Vec<PagingNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

/// Human documentation carried from the spec into doc comments.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Docs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server {
    pub url: String,
    /// Rust variant name for the environment enum.
    pub rust_name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityScheme {
    /// Key in `components.securitySchemes`.
    pub key: String,
    /// Snake-case name of the client setting (`bearer_token`, `api_key`, …).
    pub rust_name: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SecurityKind {
    Bearer,
    Basic,
    ApiKey {
        location: ParamLocation,
        name: String,
    },
    /// OAuth2 / OpenID Connect: the caller supplies an access token sent as a bearer.
    OAuth2,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientHeader {
    /// Wire name of the header.
    pub name: String,
    /// Snake-case name of the client setting.
    pub rust_name: String,
    pub docs: Docs,
    /// Credentials are redacted wherever they could be printed.
    pub secret: bool,
}

/// A named Rust type the generator emits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// Unique UpperCamelCase Rust name.
    pub name: String,
    /// JSON pointer of the schema this type comes from (the first, if several were merged).
    pub pointer: String,
    /// Original names in `components.schemas` that map to this type (several when collapsed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schema_names: Vec<String>,
    pub docs: Docs,
    /// Generic parameters (`T`) for families such as `Page[Project]`, `Page[Order]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub generics: Vec<String>,
    pub kind: TypeKind,
    /// Derives the generator config adds (`Hash`, `schemars::JsonSchema`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derives: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// `additionalProperties` beside declared properties, kept in a flattened map.
        #[serde(skip_serializing_if = "Option::is_none")]
        additional: Option<TypeRef>,
    },
    /// A string enum; always open (unknown values are kept, never rejected).
    Enum { values: Vec<EnumValue> },
    /// A union told apart by a property (`__typename`, `type`, …).
    TaggedUnion {
        tag: String,
        variants: Vec<Variant>,
        /// Some member does not require the tag (a `const` with a `default`): an object without
        /// it is valid and is told apart by its shape instead.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        tag_optional: bool,
    },
    /// A union decoded by trying each variant in order.
    UntaggedUnion { variants: Vec<Variant> },
    /// The id of one kind of entity (`CreditBatchId`): a string newtype, so ids of different
    /// entities cannot be swapped. Made only where the spec names the entity (see `lower::ids`).
    Id {
        /// The entity's component (`CreditBatch`).
        entity: String,
    },
    /// Another name for an existing type, with the constraints the spec puts on it.
    Alias {
        target: TypeRef,
        #[serde(skip_serializing_if = "Constraints::is_empty")]
        constraints: Constraints,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Name on the wire.
    pub name: String,
    /// snake_case Rust field name, never a keyword.
    pub rust_name: String,
    pub pointer: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub write_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumValue {
    /// Exact value on the wire.
    pub value: String,
    /// UpperCamelCase variant name, unique within the enum.
    pub rust_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// For tagged unions: the tag value that selects this variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_value: Option<String>,
}

/// Validation keywords that matter to the wire contract (and so to the diff).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_minimum: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_maximum: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique_items: bool,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A reference to a type, as it appears in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "ref", content = "of", rename_all = "snake_case")]
pub enum TypeRef {
    Primitive(Primitive),
    /// A [`TypeDef`] by Rust name.
    Named(String),
    /// A generic [`TypeDef`] applied to arguments: `Page<Project>`.
    Generic {
        name: String,
        args: Vec<TypeRef>,
    },
    /// A generic parameter inside a generic [`TypeDef`].
    Param(String),
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A value that may be JSON `null` where nullability is not carried by a field.
    Nullable(Box<TypeRef>),
    /// Any JSON value.
    Any,
    /// A Rust type from another crate, named by the generator config (`rust_decimal::Decimal`).
    External(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Primitive {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    Date,
    DateTime,
    Uuid,
    /// A decimal number carried as a string; never routed through a float.
    Decimal,
    /// Raw bytes (`format: binary`).
    Binary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// `operationId` as written, or one derived from method and path.
    pub id: String,
    /// snake_case method name on the client.
    pub rust_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub pointer: String,
    pub docs: Docs,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub params: Vec<Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives of security schemes (by key); empty means no auth.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// `"GET /projects/{id}"`, the label used in reports.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// GET, HEAD, PUT, DELETE and OPTIONS may be retried after the request was sent.
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self.method.as_str(),
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    pub name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub pointer: String,
    pub required: bool,
    pub nullable: bool,
    pub ty: TypeRef,
    /// `explode` for query arrays: true sends `k=a&k=b`, false sends `k=a,b`.
    pub explode: bool,
    /// How a query value is laid out; `form` (the default) is left out of snapshots.
    #[serde(skip_serializing_if = "QueryStyle::is_form")]
    pub style: QueryStyle,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    pub docs: Docs,
}

/// The type behind any chain of aliases (`type ProjectsPage = Page<Project>;` → `Page<Project>`).
pub fn resolve_aliases(
    ty: &TypeRef,
    types: &std::collections::BTreeMap<String, TypeDef>,
) -> TypeRef {
    let mut ty = ty.clone();
    // The bound only guards against a malformed alias loop.
    for _ in 0..types.len() {
        let TypeRef::Named(name) = &ty else { break };
        match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias { target, .. }) => ty = target.clone(),
            _ => break,
        }
    }
    ty
}

/// OpenAPI `style` of a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum QueryStyle {
    /// `k=a&k=b` (explode) or `k=a,b`.
    #[default]
    Form,
    /// `k=a%20b`.
    SpaceDelimited,
    /// `k=a|b`.
    PipeDelimited,
    /// `k[x]=1&k[y]=2` for objects.
    DeepObject,
}

impl QueryStyle {
    pub fn is_form(&self) -> bool {
        *self == QueryStyle::Form
    }

    /// The name the spec uses.
    pub fn spec_name(&self) -> &'static str {
        match self {
            QueryStyle::Form => "form",
            QueryStyle::SpaceDelimited => "spaceDelimited",
            QueryStyle::PipeDelimited => "pipeDelimited",
            QueryStyle::DeepObject => "deepObject",
        }
    }
}
