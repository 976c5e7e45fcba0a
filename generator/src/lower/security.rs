//! Security schemes → credential setters on the client builder.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme as OaScheme};

use super::names::{snake_name, NameScope};
use crate::ir::{ParamLocation, SecurityKind, SecurityScheme};

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
