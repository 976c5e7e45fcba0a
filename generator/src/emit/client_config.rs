//! Client configuration derived from the spec: environments from `servers`, credential setters
//! from security schemes and from headers every operation requires.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, render, sanitize};
use crate::ir::{Api, ParamLocation, SecurityKind};

pub fn emit(api: &Api) -> TokenStream {
    let default_url = api
        .servers
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_default();
    let environment = emit_environment(api);
    let header_setters = api.client_headers.iter().map(|h| {
        let ident = format_ident!("{}", h.rust_name);
        let wire = &h.name;
        let text = format!(
            "{}\n\nSent as the `{wire}` header on every request.",
            render(&h.docs)
        );
        let docs = doc_attrs(text.trim_start());
        quote! {
            #docs
            pub fn #ident(self, value: impl Into<crate::Secret>) -> Self {
                self.header_credential(#wire, value)
            }
        }
    });
    let scheme_setters = api.security_schemes.iter().map(|s| {
        let ident = format_ident!("{}", s.rust_name);
        let key = &s.key;
        let description = s.description.as_deref().map(sanitize).unwrap_or_default();
        match &s.kind {
            SecurityKind::Bearer | SecurityKind::OAuth2 => {
                let docs = doc_attrs(format!("{description}\n\nSent as `Authorization: Bearer …` where the spec asks for `{key}`.").trim_start());
                quote! {
                    #docs
                    pub fn #ident(self, token: impl Into<crate::Secret>) -> Self {
                        self.credential(#key, crate::Credential::Bearer(token.into()))
                    }
                }
            }
            SecurityKind::Basic => {
                let docs = doc_attrs(format!("{description}\n\nHTTP basic authentication where the spec asks for `{key}`.").trim_start());
                quote! {
                    #docs
                    pub fn #ident(self, username: impl Into<String>, password: impl Into<crate::Secret>) -> Self {
                        self.credential(#key, crate::Credential::Basic { username: username.into(), password: password.into() })
                    }
                }
            }
            SecurityKind::ApiKey { location, name } => {
                let (variant, place) = match location {
                    ParamLocation::Query => (quote! { Query }, "query parameter"),
                    ParamLocation::Cookie => (quote! { Cookie }, "cookie"),
                    _ => (quote! { Header }, "header"),
                };
                let docs = doc_attrs(format!("{description}\n\nSent as the `{name}` {place} where the spec asks for `{key}`.").trim_start());
                quote! {
                    #docs
                    pub fn #ident(self, value: impl Into<crate::Secret>) -> Self {
                        self.credential(#key, crate::Credential::ApiKey {
                            location: crate::ApiKeyLocation::#variant,
                            name: #name.into(),
                            value: value.into(),
                        })
                    }
                }
            }
        }
    });
    let title = api.title.replace('`', "'");
    let builder_doc = if default_url.is_empty() {
        format!("A builder for a client of {title}. The spec names no server: set one with [`crate::ClientBuilder::base_url`].")
    } else {
        format!("A builder for a client of {title}, starting from `{default_url}`.")
    };
    let needed = needed_credentials(api);
    let mut builder_doc = builder_doc;
    if !needed.is_empty() {
        let setters: Vec<String> = needed
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|n| format!("[`{0}`](crate::ClientBuilder::{0})", n.setter))
                    .collect::<Vec<_>>()
                    .join(" or ")
            })
            .collect();
        builder_doc.push_str(&format!(
            "\n\nEvery operation needs credentials: [`build`](crate::ClientBuilder::build) fails \
             unless you call {}.",
            setters.join(" and ")
        ));
    }
    let builder_doc = doc_attrs(builder_doc.trim_start());
    let groups = needed.iter().map(|group| {
        let members = group.iter().map(|n| {
            let (kind, key, setter) = (n.kind, &n.key, &n.setter);
            quote! { (#kind, #key, #setter) }
        });
        quote! { &[#(#members),*] }
    });
    quote! {
        #environment
        impl crate::Client {
            #builder_doc
            pub fn builder() -> crate::ClientBuilder {
                crate::ClientBuilder::new(#default_url).needs(&[#(#groups),*])
            }
        }
        impl crate::ClientBuilder {
            #(#header_setters)*
            #(#scheme_setters)*
        }
    }
}

/// One way to give a credential every operation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Needed {
    /// `"header"` (a secret header every operation requires) or `"scheme"` (a security scheme).
    kind: &'static str,
    /// The header's wire name or the scheme's key.
    key: String,
    /// The `ClientBuilder` setter.
    setter: String,
}

/// Credentials without which no operation can succeed, as groups of which one member must be
/// set: each secret header every operation requires; each security scheme every alternative of
/// every operation names; else, when no operation is public (`security: []`) and none accepts
/// an anonymous alternative (`{}`), one of all the schemes the operations name.
fn needed_credentials(api: &Api) -> Vec<Vec<Needed>> {
    if api.operations.is_empty() {
        return Vec::new();
    }
    let mut groups: Vec<Vec<Needed>> = api
        .client_headers
        .iter()
        .filter(|h| h.secret)
        .map(|h| {
            vec![Needed {
                kind: "header",
                key: h.name.clone(),
                setter: h.rust_name.clone(),
            }]
        })
        .collect();
    let setter = |key: &str| {
        api.security_schemes
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.rust_name.clone())
    };
    let alternatives: Vec<&Vec<String>> = api.operations.iter().flat_map(|o| &o.security).collect();
    let anonymous = api.operations.iter().any(|o| o.security.is_empty())
        || alternatives.iter().any(|alt| alt.is_empty())
        // A scheme without a setter cannot be given, so nothing can be demanded.
        || alternatives.iter().flat_map(|alt| alt.iter()).any(|k| setter(k).is_none());
    if anonymous {
        return groups;
    }
    let scheme = |key: &String| Needed {
        kind: "scheme",
        key: key.clone(),
        setter: setter(key).unwrap_or_default(),
    };
    let all: std::collections::BTreeSet<&String> =
        alternatives.iter().flat_map(|alt| alt.iter()).collect();
    let in_every: Vec<&String> = all
        .iter()
        .copied()
        .filter(|k| alternatives.iter().all(|alt| alt.contains(k)))
        .collect();
    if in_every.is_empty() {
        groups.push(all.into_iter().map(scheme).collect());
    } else {
        groups.extend(in_every.into_iter().map(|k| vec![scheme(k)]));
    }
    groups
}

fn emit_environment(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return quote! {};
    }
    let variants: Vec<_> = api
        .servers
        .iter()
        .map(|s| format_ident!("{}", s.rust_name))
        .collect();
    let urls: Vec<&String> = api.servers.iter().map(|s| &s.url).collect();
    let defaults = (0..api.servers.len()).map(|i| (i == 0).then(|| quote! { #[default] }));
    let docs = api.servers.iter().map(|s| {
        let text = match &s.description {
            Some(d) => format!("{}: `{}`", sanitize(d), s.url),
            None => format!("`{}`", s.url),
        };
        doc_attrs(&text)
    });
    quote! {
        /// The servers the spec lists; pick one with [`ClientBuilder::environment`](crate::ClientBuilder::environment).
        ///
        /// A later version of the spec may list more servers, so matches need a `_` arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Environment {
            #(#docs #defaults #variants,)*
        }
        impl Environment {
            /// Base URL of this environment.
            pub fn base_url(self) -> &'static str {
                match self {
                    #(Self::#variants => #urls,)*
                }
            }
        }
        impl crate::ClientBuilder {
            /// Send requests to one of the spec's servers.
            pub fn environment(self, environment: Environment) -> Self {
                self.base_url(environment.base_url())
            }
        }
    }
}
