//! Servers and security schemes → client configuration.

use heck::ToUpperCamelCase;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme as OaScheme};

use super::names::{snake_name, type_name, NameScope};
use crate::ir::{ParamLocation, SecurityKind, SecurityScheme, Server};

/// Servers with variables replaced by their defaults, each named as an environment.
pub fn servers(doc: &OpenAPI) -> Vec<Server> {
    let mut scope = NameScope::new();
    // Name by the first word of the description when those are distinct (`Sandbox …`,
    // `Production …`), else by position.
    let first_words: Vec<Option<String>> = doc
        .servers
        .iter()
        .map(|s| {
            s.description
                .as_deref()
                .and_then(|d| d.split_whitespace().next())
                .map(|w| w.to_upper_camel_case())
        })
        .collect();
    let distinct = first_words.iter().all(Option::is_some)
        && first_words
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            == first_words.len();
    doc.servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut url = s.url.clone();
            for (name, var) in s.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &var.default);
            }
            let base = if distinct {
                type_name(first_words[i].as_deref().unwrap_or(""))
            } else if i == 0 {
                "Default".to_string()
            } else {
                format!("Server{}", i + 1)
            };
            Server {
                url,
                rust_name: scope.claim(&base),
                description: s.description.clone(),
            }
        })
        .collect()
}

pub fn schemes(doc: &OpenAPI) -> Vec<SecurityScheme> {
    let Some(components) = &doc.components else {
        return Vec::new();
    };
    let mut scope = NameScope::new();
    let mut out = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let (kind, description, default_name) = match scheme {
            OaScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (
                SecurityKind::Bearer,
                description,
                "bearer_token".to_string(),
            ),
            OaScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => {
                (SecurityKind::Basic, description, "basic_auth".to_string())
            }
            OaScheme::HTTP { description, .. } => {
                (SecurityKind::Bearer, description, snake_name(key))
            }
            OaScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    APIKeyLocation::Query => ParamLocation::Query,
                    APIKeyLocation::Header => ParamLocation::Header,
                    APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                (
                    SecurityKind::ApiKey {
                        location,
                        name: name.clone(),
                    },
                    description,
                    snake_name(key),
                )
            }
            OaScheme::OAuth2 { description, .. } | OaScheme::OpenIDConnect { description, .. } => (
                SecurityKind::OAuth2,
                description,
                "access_token".to_string(),
            ),
        };
        let mut rust_name = default_name;
        if scope.is_taken(&rust_name) {
            rust_name = snake_name(key);
        }
        out.push(SecurityScheme {
            key: key.clone(),
            rust_name: scope.claim(&rust_name),
            kind,
            description: description.clone(),
        });
    }
    out
}
