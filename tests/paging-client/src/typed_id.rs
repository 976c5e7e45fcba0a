//! The conversions every typed id shares. The generator declares each id newtype itself (its
//! docs and derives are the spec's) and asks this macro for the rest, so a spec with many
//! entities does not repeat the same sixty lines per id.

/// Conversions for a `pub struct $name(String)` id: built from any string (`"ctb_…".into()`),
/// shown and compared as its text, and never mistaken for another entity's id.
#[allow(unused_macros)] // a spec without typed ids never invokes it
macro_rules! impl_typed_id {
    ($name:ident) => {
        impl $name {
            /// An id from its text (the server's format is not checked here).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The id's text, owned.
            pub fn into_inner(self) -> String {
                self.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self(s.to_owned()))
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }
        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}
#[allow(unused_imports)] // a spec without typed ids never invokes it
pub(crate) use impl_typed_id;
