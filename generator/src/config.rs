//! The generator config file (`oapi.toml` beside the spec, or `--config PATH`): what the user
//! tells the generator that the spec cannot, for specs they cannot edit.
//!
//! Every key is checked: an unknown key, or an operationId the spec does not have, is an error
//! naming the key and the file, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The file name looked for beside the spec.
pub const FILE_NAME: &str = "oapi.toml";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Where it was read from (for error messages); `None` for the built-in default.
    pub path: Option<PathBuf>,
    /// `[crate]`: the generated package's metadata.
    pub package: Package,
    /// `[types]`: Rust types for formats and schemas, extra derives.
    pub types: Types,
    /// `[rename]`: names the spec gets wrong.
    pub rename: Renames,
    /// `[operations]`: which operations to generate.
    pub operations: Selection,
    /// `[pagination]`: per operationId, a declaration or `false` (never paginate).
    pub pagination: BTreeMap<String, PagingSetting>,
    /// `[docs]`: how the spec's prose becomes rustdoc.
    pub docs: DocsSettings,
}

/// `[docs]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocsSettings {
    /// What relative links in the spec's prose (`[guide](/guides/x)`) resolve against
    /// (absolute http(s)); it wins over the spec's `externalDocs` and servers.
    pub base_url: Option<String>,
}

/// `[crate]`: what goes in the generated `Cargo.toml` (the CLI's `--crate-name` wins).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
}

/// `[types]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Types {
    /// Extra derives on every model type (`["Hash", "Eq"]`).
    #[serde(default)]
    pub derives: Vec<String>,
    /// Extra derives on named models: schema name (or Rust name) → derives.
    #[serde(default)]
    pub derive: BTreeMap<String, Vec<String>>,
    /// A `format` (`uuid`, `decimal`, `date-time`, or any custom one) → the Rust type for it.
    #[serde(default)]
    pub format: BTreeMap<String, ExternalType>,
    /// A schema of `components.schemas` → the Rust type used instead of generating one.
    #[serde(default)]
    pub schema: BTreeMap<String, ExternalType>,
}

/// A Rust type from another crate, with the dependency that provides it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalType {
    /// The type's path (`rust_decimal::Decimal`); it must serialize as the spec says.
    #[serde(rename = "type")]
    pub path: String,
    /// The crate to depend on (default: the path's first segment, unless it is `std`).
    #[serde(rename = "crate")]
    pub krate: Option<String>,
    /// Its version requirement (required when the type is not from `std`).
    pub version: Option<String>,
    #[serde(default)]
    pub features: Vec<String>,
}

impl ExternalType {
    /// `(crate, version, features)` to add to the generated `Cargo.toml`, if any.
    pub fn dependency(&self) -> Option<(String, String, Vec<String>)> {
        // A one-segment path (`String`, `u64`) is from the prelude.
        let krate = self.krate.clone().or_else(|| {
            self.path
                .split_once("::")
                .map(|(first, _)| first.trim().to_owned())
        })?;
        if matches!(
            krate.as_str(),
            "std" | "core" | "alloc" | "crate" | "serde" | "serde_json"
        ) {
            return None;
        }
        Some((
            krate,
            self.version.clone().unwrap_or_default(),
            self.features.clone(),
        ))
    }
}

/// `[rename]`: each map from the spec's name to the Rust name to use.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renames {
    /// Schema name (or generated Rust name) → Rust type name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// `Schema.property` (wire name) → Rust field name.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// operationId → client method name.
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
}

/// `[operations]`: `include` keeps only what matches (everything when absent); `exclude` then
/// drops what matches.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub include: Option<Filter>,
    #[serde(default)]
    pub exclude: Filter,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default)]
    pub tags: Vec<String>,
    /// Path prefixes (`/v1/admin`).
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub ids: Vec<String>,
}

impl Filter {
    pub fn matches(&self, id: Option<&str>, path: &str, tags: &[String]) -> bool {
        id.is_some_and(|id| self.ids.iter().any(|i| i == id))
            || self.paths.iter().any(|p| path.starts_with(p.as_str()))
            || tags.iter().any(|t| self.tags.contains(t))
    }
}

impl Selection {
    /// Whether an operation is generated.
    pub fn keeps(&self, id: Option<&str>, path: &str, tags: &[String]) -> bool {
        self.include
            .as_ref()
            .is_none_or(|f| f.matches(id, path, tags))
            && !self.exclude.matches(id, path, tags)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagingSetting {
    Off,
    Declared(PageDeclaration),
}

/// How to page one operation, naming its parts as the spec does (wire names, dotted paths).
/// The same shape carries what the vendor extensions (`x-speakeasy-pagination`, …) declare.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageDeclaration {
    pub style: DeclaredStyle,
    /// The request input the pager sets: a query parameter, or `body.<field>`.
    pub input: Option<String>,
    /// `cursor`: the response field holding the next token (`next_page`, `meta.next_cursor`).
    pub token: Option<String>,
    /// `next_link`: the response field holding the next URL, or `header:Link`.
    pub link: Option<String>,
    /// The response field holding the items (`data`, `result.points`); `""` for a list response.
    pub items: Option<String>,
    /// `keyset`: the field of an item sent back as the input (default `id`).
    pub id: Option<String>,
    /// The input that sets the page size (`limit`).
    pub page_size: Option<String>,
    /// A boolean response field: another page exists.
    pub has_more: Option<String>,
    /// `offset`: total number of items; `page`: total number of pages.
    pub total: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclaredStyle {
    #[default]
    Cursor,
    NextLink,
    Offset,
    Page,
    Keyset,
}

/// The file's top level, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default, rename = "crate")]
    package: Package,
    #[serde(default)]
    types: Types,
    #[serde(default)]
    rename: Renames,
    #[serde(default)]
    operations: Selection,
    #[serde(default)]
    pagination: BTreeMap<String, toml::Value>,
    #[serde(default)]
    docs: DocsSettings,
}

impl Config {
    /// The config beside the spec, if there is one: `<stem>.oapi.toml` (for a directory holding
    /// several specs), else `oapi.toml`.
    pub fn beside(spec: &Path) -> Option<PathBuf> {
        let dir = spec.parent().unwrap_or(Path::new("."));
        let name = spec
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let stem = name.split('.').next().unwrap_or(name);
        [dir.join(format!("{stem}.{FILE_NAME}")), dir.join(FILE_NAME)]
            .into_iter()
            .find(|p| p.is_file())
    }

    /// Reads `explicit` if given (it must exist), else the file beside the spec if any, else the
    /// default (no settings).
    pub fn find(spec: &Path, explicit: Option<&Path>) -> Result<Config> {
        match explicit {
            Some(path) => Config::load(path),
            None => match Config::beside(spec) {
                Some(path) => Config::load(&path),
                None => Ok(Config::default()),
            },
        }
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(format!("cannot read config: {e}")).in_file(path))?;
        Config::parse(&text)
            .map_err(|e| e.in_file(path))
            .map(|mut c| {
                c.path = Some(path.to_path_buf());
                c
            })
    }

    pub fn parse(text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            match e.span().map(|s| line_column(text, s.start)) {
                Some((line, column)) => Error::at(format!("line {line}, column {column}"), message),
                None => Error::new(message),
            }
        })?;
        let mut pagination = BTreeMap::new();
        for (operation, value) in raw.pagination {
            let key = format!("pagination.{operation}");
            let setting = match value {
                toml::Value::Boolean(false) => PagingSetting::Off,
                toml::Value::Table(_) => PageDeclaration::deserialize(value)
                    .map(PagingSetting::Declared)
                    .map_err(|e| Error::at(&key, e.message().to_string()))?,
                _ => {
                    return Err(Error::at(
                        &key,
                        "expected a table declaring the pagination, or `false` to turn it off",
                    ))
                }
            };
            pagination.insert(operation, setting);
        }
        let config = Config {
            path: None,
            package: raw.package,
            types: raw.types,
            rename: raw.rename,
            operations: raw.operations,
            pagination,
            docs: raw.docs,
        };
        config.check_syntax()?;
        Ok(config)
    }

    /// Names and paths that must be valid Rust before they reach generated code.
    fn check_syntax(&self) -> Result<()> {
        if let Some(url) = &self.docs.base_url {
            if !crate::lower::is_absolute_http_url(url) {
                return Err(Error::at(
                    "docs.base_url",
                    format!("`{url}` is not an absolute http(s) URL"),
                ));
            }
        }
        let externals = self
            .types
            .format
            .iter()
            .map(|(k, v)| (format!("types.format.{k}"), v))
            .chain(
                self.types
                    .schema
                    .iter()
                    .map(|(k, v)| (format!("types.schema.{k}"), v)),
            );
        for (key, ty) in externals {
            if syn::parse_str::<syn::Type>(&ty.path).is_err() {
                return Err(Error::at(key, format!("`{}` is not a Rust type", ty.path)));
            }
            if ty.dependency().is_some() && ty.version.is_none() {
                return Err(Error::at(
                    key,
                    "needs `version` for the crate it comes from",
                ));
            }
        }
        let derives =
            self.types
                .derives
                .iter()
                .map(|d| ("types.derives".to_string(), d))
                .chain(
                    self.types.derive.iter().flat_map(|(k, ds)| {
                        ds.iter().map(move |d| (format!("types.derive.{k}"), d))
                    }),
                );
        for (key, derive) in derives {
            if syn::parse_str::<syn::Path>(derive).is_err() {
                return Err(Error::at(key, format!("`{derive}` is not a derive path")));
            }
        }
        let idents = self
            .rename
            .types
            .iter()
            .map(|(k, v)| (format!("rename.types.{k}"), v))
            .chain(
                self.rename
                    .properties
                    .iter()
                    .map(|(k, v)| (format!("rename.properties.\"{k}\""), v)),
            )
            .chain(
                self.rename
                    .operations
                    .iter()
                    .map(|(k, v)| (format!("rename.operations.{k}"), v)),
            );
        for (key, name) in idents {
            if syn::parse_str::<syn::Ident>(name).is_err() {
                return Err(Error::at(key, format!("`{name}` is not a Rust identifier")));
            }
        }
        for key in self.rename.properties.keys() {
            if !key.contains('.') {
                return Err(Error::at(
                    format!("rename.properties.\"{key}\""),
                    "expected `Schema.property`",
                ));
            }
        }
        if let Some(name) = &self.package.name {
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            if !valid {
                return Err(Error::at(
                    "crate.name",
                    format!("`{name}` is not a package name"),
                ));
            }
        }
        Ok(())
    }

    /// An error about `key` of this file.
    pub fn error(&self, key: &str, message: impl Into<String>) -> Error {
        let error = Error::at(key, message);
        match &self.path {
            Some(path) => error.in_file(path),
            None => error,
        }
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declarations_and_switches() {
        let config = Config::parse(
            "[pagination]\nlist_a = false\n[pagination.list_b]\nstyle = \"offset\"\ninput = \"skip\"\n",
        )
        .unwrap();
        assert_eq!(config.pagination["list_a"], PagingSetting::Off);
        let PagingSetting::Declared(d) = &config.pagination["list_b"] else {
            panic!("not declared")
        };
        assert_eq!(d.style, DeclaredStyle::Offset);
        assert_eq!(d.input.as_deref(), Some("skip"));
    }

    #[test]
    fn unknown_keys_are_named() {
        let top = Config::parse("[paginaton]\n").unwrap_err();
        assert!(top.message.contains("paginaton"), "{top}");
        assert_eq!(top.location.as_deref(), Some("line 1, column 2"));
        let inner =
            Config::parse("[pagination.list_b]\nstyle = \"cursor\"\ntokn = \"x\"\n").unwrap_err();
        assert!(inner.message.contains("tokn"), "{inner}");
        assert_eq!(inner.location.as_deref(), Some("pagination.list_b"));
        let on = Config::parse("[pagination]\nlist_a = true\n").unwrap_err();
        assert_eq!(on.location.as_deref(), Some("pagination.list_a"));
    }
}
