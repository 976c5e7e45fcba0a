//! Servers, compared as the generated `Environment` enum. No request or response changes with
//! the server list, so nothing here breaks the wire; a variant that disappears or is renamed
//! breaks callers that name it, and a new one breaks nobody (the enum is `#[non_exhaustive]`).

use std::collections::BTreeSet;

use super::model::{Change, Class, Kind};
use crate::ir::{Api, Server};

/// Every change of the server list; `all` labels every operation (a server reaches them all).
pub fn diff_servers(old: &Api, new: &Api, all: &[String], out: &mut Vec<Change>) {
    let mut push = |kind: Kind, rust: bool, pointer: String, message: String| {
        out.push(
            Change::new(kind, Class::NonBreaking, rust, &pointer, message).with_ops(all.to_vec()),
        )
    };
    let named = |api: &Api, name: &str| api.servers.iter().any(|s| s.rust_name == name);
    let mut renamed_to: BTreeSet<&str> = BTreeSet::new();
    for (i, s) in old.servers.iter().enumerate() {
        if named(new, &s.rust_name) {
            continue;
        }
        // The same URL under a name the old crate did not have: a rename.
        let successor = new
            .servers
            .iter()
            .enumerate()
            .find(|(_, t)| t.url == s.url && !named(old, &t.rust_name));
        match successor {
            Some((j, t)) => {
                renamed_to.insert(&t.rust_name);
                push(
                    Kind::ServerRenamed,
                    true,
                    format!("#/servers/{j}"),
                    format!(
                        "environment `{}` was renamed to `{}` (server `{}`)",
                        s.rust_name, t.rust_name, t.url
                    ),
                );
            }
            None => push(
                Kind::ServerRemoved,
                true,
                format!("#/servers/{i}"),
                format!(
                    "server `{}` was removed (environment `{}` is gone)",
                    s.url, s.rust_name
                ),
            ),
        }
    }
    for (j, t) in new.servers.iter().enumerate() {
        match old.servers.iter().find(|s| s.rust_name == t.rust_name) {
            None if !renamed_to.contains(t.rust_name.as_str()) => push(
                Kind::ServerAdded,
                false,
                format!("#/servers/{j}"),
                format!(
                    "server `{}` was added (environment `{}`)",
                    t.url, t.rust_name
                ),
            ),
            Some(s) if s.url != t.url => push(
                Kind::ServerUrlChanged,
                false,
                format!("#/servers/{j}"),
                format!(
                    "environment `{}` now sends requests to `{}` instead of `{}`",
                    t.rust_name, t.url, s.url
                ),
            ),
            _ => {}
        }
    }
    if let (Some(before), Some(after)) = (old.servers.first(), new.servers.first()) {
        if before.url != after.url {
            push(
                Kind::DefaultServerChanged,
                false,
                "#/servers/0".into(),
                default_message(before, after),
            );
        }
    }
}

fn default_message(before: &Server, after: &Server) -> String {
    format!(
        "a client that picks no environment now sends requests to `{}` (`{}`) instead of `{}` (`{}`)",
        after.url, after.rust_name, before.url, before.rust_name
    )
}
