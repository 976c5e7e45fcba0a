//! Servers → the `Environment` enum. Each variant is named from its own server, never from its
//! position, so adding or reordering servers renames nothing: the first word of the
//! description (`Sandbox …` → `Sandbox`), else the URL (`https://api.example.com/v1` →
//! `ApiExample`, `/registry/v0` → `RegistryV0`). Only servers whose names would clash take a
//! longer one (the whole description, then the URL with its path).

use openapiv3::OpenAPI;

use super::names::{type_name, NameScope};
use crate::ir::Server;

/// Servers with variables replaced by their defaults, each named as an environment.
pub fn servers(doc: &OpenAPI) -> Vec<Server> {
    let candidates: Vec<Vec<String>> = doc.servers.iter().map(candidate_names).collect();
    // Every server starts at its shortest name; those that clash move to their next one until
    // no two agree (or they run out of longer names; the scope then numbers them).
    let mut level = vec![0; candidates.len()];
    let pick = |i: usize, level: &[usize]| &candidates[i][level[i].min(candidates[i].len() - 1)];
    loop {
        let clashing: Vec<usize> = (0..candidates.len())
            .filter(|&i| {
                level[i] + 1 < candidates[i].len()
                    && (0..candidates.len()).any(|j| j != i && pick(j, &level) == pick(i, &level))
            })
            .collect();
        if clashing.is_empty() {
            break;
        }
        for i in clashing {
            level[i] += 1;
        }
    }
    let mut scope = NameScope::new();
    doc.servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut url = s.url.clone();
            for (name, var) in s.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &var.default);
            }
            Server {
                url,
                rust_name: scope.claim(pick(i, &level)),
                description: s.description.clone(),
            }
        })
        .collect()
}

/// Names for one server, shortest first, each derived from the server alone.
fn candidate_names(server: &openapiv3::Server) -> Vec<String> {
    let mut names = Vec::new();
    let description = server.description.as_deref().map(words).unwrap_or_default();
    if let Some(first) = description.first() {
        names.push(type_name(first));
        names.push(type_name(&description.join(" ")));
    }
    let (host, path) = split_url(&server.url);
    match host {
        Some(host) => {
            names.push(type_name(&host.join(" ")));
            names.push(type_name(&[host, path].concat().join(" ")));
        }
        None if path.is_empty() => names.push("Relative".into()),
        None => names.push(type_name(&path.join(" "))),
    }
    names.dedup();
    names
}

/// Words of the host (without scheme, port and top-level domain) and of the path; templated
/// parts keep their variable name (`{region}.example.com` → [region, example]).
fn split_url(url: &str) -> (Option<Vec<String>>, Vec<String>) {
    let (host, path) = match url.split_once("://") {
        Some((_, rest)) => {
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            (Some(host), path)
        }
        None => (None, url),
    };
    let host = host.map(|h| {
        let h = h.rsplit_once('@').map_or(h, |(_, h)| h);
        let h = h.split(':').next().unwrap_or(h);
        let mut labels: Vec<&str> = h.split('.').collect();
        if labels.len() > 1 {
            labels.pop();
        }
        words(&labels.join(" "))
    });
    (host, words(path))
}

/// Alphanumeric runs of `text`.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[(&str, Option<&str>)]) -> Vec<String> {
        let mut doc: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}
        }))
        .unwrap();
        doc.servers = list
            .iter()
            .map(|(url, description)| openapiv3::Server {
                url: url.to_string(),
                description: description.map(str::to_string),
                ..Default::default()
            })
            .collect();
        servers(&doc).into_iter().map(|s| s.rust_name).collect()
    }

    #[test]
    fn a_new_server_renames_none_of_the_others() {
        let sandbox = ("https://api.sandbox.example.com/v0", Some("Sandbox API"));
        let production = ("https://api.example.com/v0", Some("Production API"));
        assert_eq!(names(&[sandbox, production]), ["Sandbox", "Production"]);
        assert_eq!(
            names(&[("/registry/v0", None), sandbox, production]),
            ["RegistryV0", "Sandbox", "Production"]
        );
        assert_eq!(
            names(&[production, ("/", None), sandbox]),
            ["Production", "Relative", "Sandbox"]
        );
    }

    #[test]
    fn urls_name_servers_without_descriptions() {
        assert_eq!(
            names(&[
                ("https://discord.com/api/v10", None),
                ("{protocol}://{hostname}:{port}", None),
                ("https://{region}.example.com/v1", None),
            ]),
            ["Discord", "Hostname", "RegionExample"]
        );
    }

    #[test]
    fn only_clashing_servers_take_longer_names() {
        assert_eq!(
            names(&[
                ("https://eu.example.com", Some("Production (EU)")),
                ("https://us.example.com", Some("Production (US)")),
                ("https://example.com/v1", None),
                ("https://example.com/v2", None),
                ("https://sandbox.example.com", Some("Sandbox")),
            ]),
            [
                "ProductionEu",
                "ProductionUs",
                "ExampleV1",
                "ExampleV2",
                "Sandbox"
            ]
        );
    }
}
