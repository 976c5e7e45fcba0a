//! A credential that never prints itself.

use std::fmt;

/// A secret string (token, password, API key).
///
/// `Debug` and `Display` print `***`; the only way to read the value is
/// [`Secret::expose`]. Header values built from a secret are marked sensitive.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Returns the secret value. Don't log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A sensitive header value holding `prefix` followed by the secret.
    #[cfg(feature = "client")]
    pub(crate) fn header_value(
        &self,
        prefix: &str,
    ) -> Result<reqwest::header::HeaderValue, reqwest::header::InvalidHeaderValue> {
        let mut value = reqwest::header::HeaderValue::try_from(format!("{prefix}{}", self.0))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}
