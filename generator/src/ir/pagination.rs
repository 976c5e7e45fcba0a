//! How an operation's pages are followed, in the intermediate model: the style, where the
//! items are, which request inputs the pager sets, and the notes on operations that look paged
//! but are not.

use serde::Serialize;

use super::TypeRef;

/// How an operation's pages are followed: `pages()` / `items()` on its builder.
///
/// Paths (`FieldPath`) walk the decoded response by field; each step says whether the field is
/// an `Option` in the generated struct, so emission can write the access without looking types up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    pub style: PageStyle,
    /// Where the items are in the response (no steps: the response is the list).
    pub items: FieldPath,
    /// Type of one item.
    pub item: TypeRef,
    /// The input that sets the page size (`limit`, `first`, `PageSize`…), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<PageInput>,
    /// Largest page size the spec allows, if it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<u64>,
    /// A boolean saying whether another page exists (`has_more`, `page_info.has_next_page`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_more: Option<FieldPath>,
    /// Query parameters that page backwards (Relay's `last`, `before`): cleared while paging
    /// forwards, and `last` may not be sent with the page size.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backward: Vec<String>,
    /// What declared it: `detected`, `x-dropshot-pagination`, `oapi.toml`, ….
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageStyle {
    /// A token from the response (`next_page`, `end_cursor`, `next_page_offset`) sent back in a
    /// request input; stops when the token is absent.
    Cursor {
        input: PageInput,
        token: FieldPath,
        /// The token's type, to copy it into the input.
        token_ty: TypeRef,
        convert: TokenConversion,
    },
    /// A URL to the next page, in the body or in an RFC 8288 `Link` header.
    NextLink { link: LinkSource },
    /// An item offset advanced by the number of items received; stops at `total`.
    Offset {
        input: PageInput,
        #[serde(skip_serializing_if = "Option::is_none")]
        total: Option<FieldPath>,
    },
    /// A page number advanced by one, starting at `first`; stops at `total_pages`.
    PageNumber {
        input: PageInput,
        first: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        total_pages: Option<FieldPath>,
    },
    /// The last item's id sent back as `after` / `since` / `before` (keyset pagination).
    Keyset {
        input: PageInput,
        /// Path to the id within one item.
        id: FieldPath,
        id_ty: TypeRef,
    },
}

/// How a cursor token becomes the input's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenConversion {
    /// One type: copied.
    Same,
    /// A number or id sent as a string input: its text.
    Text,
    /// Two types of one JSON shape: through JSON.
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum LinkSource {
    Body { path: FieldPath },
    Header,
}

/// A request input the pager reads or sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageInput {
    /// Name on the wire.
    pub name: String,
    /// Rust name: the builder field (query) or the body struct's field (body).
    pub rust_name: String,
    pub location: InputLocation,
    /// The value's type, without the `Option`s around it.
    pub ty: TypeRef,
    /// How many `Option`s wrap the value where it is stored.
    pub options: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputLocation {
    Query,
    /// A top-level field of the JSON body; `optional_body` when the builder holds `Option<Body>`.
    Body {
        optional_body: bool,
    },
}

/// A walk through the fields of a decoded value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FieldPath {
    /// The value at the start of the walk is itself an `Option` (a nullable list response).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub root_optional: bool,
    pub steps: Vec<FieldStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldStep {
    /// Name on the wire.
    pub name: String,
    pub rust_name: String,
    /// The field is an `Option` in the generated struct.
    pub optional: bool,
}

impl FieldPath {
    /// `meta.next_page_url`, as the wire names it.
    pub fn wire(&self) -> String {
        let names: Vec<&str> = self.steps.iter().map(|s| s.name.as_str()).collect();
        if names.is_empty() {
            "(the response)".into()
        } else {
            names.join(".")
        }
    }
}

/// An operation where paging signals were found but no `pages()` was generated, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PagingNote {
    pub operation: String,
    pub label: String,
    pub reason: String,
}
