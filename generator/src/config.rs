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
    /// `[pagination]`: per operationId, a declaration or `false` (never paginate).
    pub pagination: BTreeMap<String, PagingSetting>,
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
    #[serde(default)]
    pagination: BTreeMap<String, toml::Value>,
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
        Ok(Config {
            path: None,
            pagination,
        })
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
