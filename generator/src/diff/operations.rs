//! Operations: matched by method and path template with parameter names normalised to `{}`.
//! Also the API-wide settings that reach every operation (client headers, servers).

use std::collections::{BTreeSet, HashMap};

use super::bodies::{diff_body, diff_responses, OpSink};
use super::model::{Change, Class, Kind};
use super::params::diff_params;
use super::retype::Env;
use crate::ir::{Api, Operation};

/// `GET /projects/{id}` and `GET /projects/{project_id}` are the same operation.
pub fn op_key(op: &Operation) -> (String, String) {
    let mut path = String::with_capacity(op.path.len());
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                path.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            c => path.push(c),
        }
    }
    (op.method.clone(), path)
}

pub struct OpMatch<'a> {
    pub pairs: Vec<(&'a Operation, &'a Operation)>,
    pub removed: Vec<&'a Operation>,
    pub added: Vec<&'a Operation>,
    /// Old operation pointer → label in the new spec, for matched operations.
    pub old_labels: HashMap<String, String>,
}

pub fn match_ops<'a>(old: &'a Api, new: &'a Api) -> OpMatch<'a> {
    let new_by_key: HashMap<(String, String), &Operation> =
        new.operations.iter().map(|o| (op_key(o), o)).collect();
    let old_keys: BTreeSet<(String, String)> = old.operations.iter().map(op_key).collect();
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    let mut old_labels = HashMap::new();
    for o in &old.operations {
        match new_by_key.get(&op_key(o)) {
            Some(n) => {
                old_labels.insert(o.pointer.clone(), n.label());
                pairs.push((o, *n));
            }
            None => removed.push(o),
        }
    }
    let added = new
        .operations
        .iter()
        .filter(|n| !old_keys.contains(&op_key(n)))
        .collect();
    OpMatch {
        pairs,
        removed,
        added,
        old_labels,
    }
}

pub fn diff_operations(m: &OpMatch, env: &Env, out: &mut Vec<Change>) {
    for o in &m.removed {
        let msg = format!(
            "operation `{}` (method `{}`) was removed",
            o.label(),
            o.rust_name
        );
        out.push(
            Change::new(
                Kind::OperationRemoved,
                Class::Breaking,
                true,
                &o.pointer,
                msg,
            )
            .with_ops([o.label()]),
        );
    }
    for n in &m.added {
        let msg = format!(
            "operation `{}` was added (method `{}`)",
            n.label(),
            n.rust_name
        );
        out.push(
            Change::new(
                Kind::OperationAdded,
                Class::NonBreaking,
                false,
                &n.pointer,
                msg,
            )
            .with_ops([n.label()]),
        );
    }
    for (o, n) in &m.pairs {
        let mut sink = OpSink {
            label: n.label(),
            out,
        };
        if o.rust_name != n.rust_name {
            let msg = format!("client method `{}` is now `{}`", o.rust_name, n.rust_name);
            sink.push(
                Kind::MethodRenamed,
                Class::NonBreaking,
                true,
                &n.pointer,
                msg,
            );
        }
        if !o.docs.deprecated && n.docs.deprecated {
            let msg = format!("`{}` is now deprecated", n.label());
            sink.push(
                Kind::OperationDeprecated,
                Class::NonBreaking,
                false,
                &n.pointer,
                msg,
            );
        }
        match (&o.pagination, &n.pagination) {
            (Some(_), None) => {
                let msg =
                    "no longer paginated: the `pages()`/`items()` helpers are gone".to_string();
                sink.push(
                    Kind::PaginationRemoved,
                    Class::NonBreaking,
                    true,
                    &n.pointer,
                    msg,
                );
            }
            (None, Some(_)) => {
                let msg = "now paginated: `pages()`/`items()` helpers were added".to_string();
                sink.push(
                    Kind::PaginationAdded,
                    Class::NonBreaking,
                    false,
                    &n.pointer,
                    msg,
                );
            }
            _ => {}
        }
        diff_security(o, n, &mut sink);
        diff_body(o, n, env, &mut sink);
        diff_responses(o, n, env, &mut sink);
        diff_params(o, n, env.renames, &sink.label.clone(), sink.out);
    }
}

/// Security alternatives: a caller satisfying an old alternative must still satisfy a new one.
fn diff_security(o: &Operation, n: &Operation, sink: &mut OpSink) {
    let norm = |s: &[Vec<String>]| -> BTreeSet<BTreeSet<String>> {
        if s.is_empty() {
            return [BTreeSet::new()].into();
        }
        s.iter().map(|alt| alt.iter().cloned().collect()).collect()
    };
    let (a, b) = (norm(&o.security), norm(&n.security));
    if a == b {
        return;
    }
    // An old alternative still works if some new alternative asks for a subset of it.
    let still_ok = a.iter().all(|alt| b.iter().any(|nalt| nalt.is_subset(alt)));
    let show = |s: &BTreeSet<BTreeSet<String>>| {
        s.iter()
            .map(|alt| {
                if alt.is_empty() {
                    "none".to_string()
                } else {
                    alt.iter().cloned().collect::<Vec<_>>().join(" + ")
                }
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let msg = format!(
        "authentication changed from [{}] to [{}]",
        show(&a),
        show(&b)
    );
    sink.push(
        Kind::SecurityChanged,
        Class::breaking_if(!still_ok),
        false,
        &n.pointer,
        msg,
    );
}

/// Client-wide headers and servers: they reach every operation.
pub fn diff_api(old: &Api, new: &Api, m: &OpMatch, out: &mut Vec<Change>) {
    let all: Vec<String> = m.pairs.iter().map(|(_, n)| n.label()).collect();
    let has = |api: &Api, name: &str| {
        api.client_headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(name))
    };
    for h in new.client_headers.iter().filter(|h| !has(old, &h.name)) {
        let msg = format!(
            "every operation now requires the `{}` header (client setting `{}`)",
            h.name, h.rust_name
        );
        out.push(
            Change::new(
                Kind::ClientHeaderAdded,
                Class::Breaking,
                false,
                "#/paths",
                msg,
            )
            .with_ops(all.clone()),
        );
    }
    for h in old.client_headers.iter().filter(|h| !has(new, &h.name)) {
        let msg = format!(
            "the `{}` header is no longer required everywhere (client setting `{}` is gone)",
            h.name, h.rust_name
        );
        out.push(
            Change::new(
                Kind::ClientHeaderRemoved,
                Class::NonBreaking,
                true,
                "#/paths",
                msg,
            )
            .with_ops(all.clone()),
        );
    }
    super::servers::diff_servers(old, new, &all, out);
}
