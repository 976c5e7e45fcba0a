//! What the diff reports: one [`Change`] per difference, classified for the wire and for the
//! generated Rust API.

use serde::{Serialize, Serializer};

/// Wire compatibility, judged by the Isometric compatibility policy (new endpoints, new optional
/// query parameters, new response properties and reordering are not breaking).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    Breaking,
    NonBreaking,
}

impl Class {
    pub fn breaking_if(cond: bool) -> Class {
        if cond {
            Class::Breaking
        } else {
            Class::NonBreaking
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::NonBreaking => "non-breaking",
        }
    }
}

macro_rules! kinds {
    ($($variant:ident => $id:literal),* $(,)?) => {
        /// Stable machine id of a change (`"operation-removed"`, `"schema-renamed"`, …).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant),* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $(Kind::$variant => $id),* }
            }
        }
    };
}

kinds! {
    OperationAdded => "operation-added",
    OperationRemoved => "operation-removed",
    OperationDeprecated => "operation-deprecated",
    MethodRenamed => "method-renamed",
    PaginationAdded => "pagination-added",
    PaginationRemoved => "pagination-removed",
    SecurityChanged => "security-changed",
    RequiredParamAdded => "required-param-added",
    OptionalParamAdded => "optional-param-added",
    ParamRemoved => "param-removed",
    ParamBecameRequired => "param-became-required",
    ParamBecameOptional => "param-became-optional",
    PathParamRenamed => "path-param-renamed",
    ArgumentOrderChanged => "argument-order-changed",
    ParamTypeChanged => "param-type-changed",
    ParamNullabilityChanged => "param-nullability-changed",
    ParamStyleChanged => "param-style-changed",
    RequestBodyAdded => "request-body-added",
    RequestBodyRemoved => "request-body-removed",
    RequestBodyBecameRequired => "request-body-became-required",
    RequestBodyBecameOptional => "request-body-became-optional",
    RequestContentTypeAdded => "request-content-type-added",
    RequestContentTypeRemoved => "request-content-type-removed",
    RequestBodyTypeChanged => "request-body-type-changed",
    ResponseStatusAdded => "response-status-added",
    ResponseStatusRemoved => "response-status-removed",
    ResponseContentTypeAdded => "response-content-type-added",
    ResponseContentTypeRemoved => "response-content-type-removed",
    ResponseTypeChanged => "response-type-changed",
    SchemaRenamed => "schema-renamed",
    SchemaRemoved => "schema-removed",
    TypeReplaced => "type-replaced",
    TypeKindChanged => "type-kind-changed",
    AliasTypeChanged => "alias-type-changed",
    OptionalPropertyAdded => "optional-property-added",
    RequiredPropertyAdded => "required-property-added",
    PropertyRemoved => "property-removed",
    PropertyBecameRequired => "property-became-required",
    PropertyBecameOptional => "property-became-optional",
    PropertyBecameNullable => "property-became-nullable",
    PropertyBecameNonNullable => "property-became-non-nullable",
    PropertyTypeChanged => "property-type-changed",
    AdditionalPropertiesChanged => "additional-properties-changed",
    DefaultChanged => "default-changed",
    ConstraintNarrowed => "constraint-narrowed",
    ConstraintWidened => "constraint-widened",
    EnumValueAdded => "enum-value-added",
    EnumValueRemoved => "enum-value-removed",
    UnionVariantAdded => "union-variant-added",
    UnionVariantRemoved => "union-variant-removed",
    UnionVariantChanged => "union-variant-changed",
    UnionTagChanged => "union-tag-changed",
    ClientHeaderAdded => "client-header-added",
    ClientHeaderRemoved => "client-header-removed",
    ServerAdded => "server-added",
    ServerRemoved => "server-removed",
    ServerRenamed => "server-renamed",
    ServerUrlChanged => "server-url-changed",
    DefaultServerChanged => "default-server-changed",
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One difference between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    /// Would code written against the old generated crate stop compiling?
    pub rust_api_breaking: bool,
    pub kind: Kind,
    /// Every affected operation as `"METHOD /path"` (path as in the new spec), sorted.
    pub operations: Vec<String>,
    /// JSON pointer into the new spec, or into the old one for removals.
    pub location: String,
    pub message: String,
}

impl Change {
    pub fn new(
        kind: Kind,
        class: Class,
        rust_api_breaking: bool,
        location: &str,
        message: String,
    ) -> Change {
        Change {
            class,
            rust_api_breaking,
            kind,
            operations: Vec::new(),
            location: location.to_string(),
            message,
        }
    }

    pub fn with_ops(mut self, ops: impl IntoIterator<Item = String>) -> Change {
        self.operations = ops.into_iter().collect();
        self.operations.sort();
        self.operations.dedup();
        self
    }

    pub fn is_breaking(&self) -> bool {
        self.class == Class::Breaking
    }
}

/// Where a type (or field) travels: in requests the client sends, in responses it reads, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ctx {
    pub request: bool,
    pub response: bool,
}

impl Ctx {
    pub const BOTH: Ctx = Ctx {
        request: true,
        response: true,
    };

    /// A type no operation uses is judged conservatively, as if it travelled both ways.
    pub fn or_both(self) -> Ctx {
        if self.request || self.response {
            self
        } else {
            Ctx::BOTH
        }
    }

    pub fn union(self, other: Ctx) -> Ctx {
        Ctx {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }
}

/// `--fail-on`: which findings make the command exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any wire-breaking change.
    Breaking,
    /// Any change at all.
    Any,
}

impl std::str::FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "breaking" => Ok(FailOn::Breaking),
            "any" => Ok(FailOn::Any),
            other => Err(format!(
                "unknown --fail-on value `{other}` (expected breaking|any)"
            )),
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown --format value `{other}` (expected text|markdown|json)"
            )),
        }
    }
}
