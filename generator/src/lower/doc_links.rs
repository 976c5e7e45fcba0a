//! Links in the spec's prose that only work on the vendor's own site (`[guide](/guides/x)`,
//! `![diagram](/images/x.png)`) are made absolute against the config's `[docs] base_url`, else
//! the spec's `externalDocs` URL, else the origin of its first absolute server; with neither, the link is dropped and its text (an
//! image's alt text) kept. Links to a fragment of the vendor's page (`#section`) are dropped the
//! same way: rustdoc pages have other anchors. Code spans and fenced blocks are left alone.

use openapiv3::OpenAPI;

use crate::ir::{Api, Docs};

/// Whether `url` is an absolute http(s) URL with a host.
pub fn is_absolute_http_url(url: &str) -> bool {
    split_absolute(url).is_some()
}

/// The URL relative links in the spec's prose resolve against, if the spec gives one.
pub fn base_url(doc: &OpenAPI) -> Option<String> {
    if let Some(docs) = &doc.external_docs {
        if split_absolute(&docs.url).is_some() {
            return Some(docs.url.clone());
        }
    }
    doc.servers
        .iter()
        .find_map(|s| split_absolute(&s.url).map(|(origin, _)| format!("{origin}/")))
}

/// Rewrite every piece of prose in the IR.
pub fn rewrite_api(api: &mut Api, base: Option<&str>) {
    let fix = |docs: &mut Docs| {
        for text in [&mut docs.summary, &mut docs.description]
            .into_iter()
            .flatten()
        {
            *text = rewrite(text, base);
        }
    };
    fix(&mut api.docs);
    for server in &mut api.servers {
        if let Some(d) = &mut server.description {
            *d = rewrite(d, base);
        }
    }
    for scheme in &mut api.security_schemes {
        if let Some(d) = &mut scheme.description {
            *d = rewrite(d, base);
        }
    }
    for header in &mut api.client_headers {
        fix(&mut header.docs);
    }
    for def in &mut api.types {
        fix(&mut def.docs);
        if let crate::ir::TypeKind::Struct { fields, .. } = &mut def.kind {
            for field in fields {
                fix(&mut field.docs);
            }
        }
    }
    for op in &mut api.operations {
        fix(&mut op.docs);
        for p in &mut op.params {
            fix(&mut p.docs);
        }
        if let Some(body) = &mut op.body {
            fix(&mut body.docs);
        }
        for r in &mut op.responses {
            fix(&mut r.docs);
        }
    }
}

/// `text` with its relative links made absolute against `base` (or dropped, text kept).
pub fn rewrite(text: &str, base: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push_str(line);
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&rewrite_line(line, base));
        }
    }
    out
}

fn rewrite_line(line: &str, base: Option<&str>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = false;
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or_default();
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && (c == '[' || rest.starts_with("![")) {
            if let Some((link, len)) = parse_link(rest) {
                out.push_str(&render_link(&link, base));
                rest = &rest[len..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

struct Link<'a> {
    image: bool,
    text: &'a str,
    target: &'a str,
    /// `"title"` after the target, with its leading space, as written.
    title: &'a str,
}

/// `[text](target "title")` or `![alt](target)` at the start of `s`, and its length.
fn parse_link(s: &str) -> Option<(Link<'_>, usize)> {
    let image = s.starts_with('!');
    let open = usize::from(image);
    let body = &s[open + 1..];
    // Brackets may nest once (`[![badge](x)](y)`): find the matching `]`.
    let mut depth = 0usize;
    let mut close = None;
    for (i, c) in body.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => {
                close = Some(i);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let close = close?;
    let after = &body[close + 1..];
    let inner = after.strip_prefix('(')?;
    let end = inner.find(')')?;
    let dest = &inner[..end];
    let (target, title) = match dest.find(char::is_whitespace) {
        Some(space) => (&dest[..space], &dest[space..]),
        None => (dest, ""),
    };
    let len = open + 1 + close + 1 + 1 + end + 1;
    Some((
        Link {
            image,
            text: &body[..close],
            target: target.trim_start_matches('<').trim_end_matches('>'),
            title,
        },
        len,
    ))
}

fn render_link(link: &Link<'_>, base: Option<&str>) -> String {
    // The text may hold a nested link (a badge image): rewrite it too.
    let text = rewrite_line(link.text, base);
    let target = if split_absolute(link.target).is_some() || has_scheme(link.target) {
        Some(link.target.to_string())
    } else if link.target.starts_with('#') || link.target.is_empty() {
        None
    } else {
        base.map(|b| join(b, link.target))
    };
    match target {
        Some(target) => format!(
            "{}[{text}]({target}{})",
            if link.image { "!" } else { "" },
            link.title
        ),
        None => text,
    }
}

/// `mailto:`, `tel:` and the like: not relative.
fn has_scheme(target: &str) -> bool {
    match target.find(':') {
        Some(i) => {
            i > 0
                && target[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !target[..i].contains('/')
        }
        None => false,
    }
}

/// `(scheme://host[:port], path)` of an absolute http(s) URL.
fn split_absolute(url: &str) -> Option<(&str, &str)> {
    let after_scheme = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    if host_end == 0 {
        return None;
    }
    let origin_len = url.len() - after_scheme.len() + host_end;
    Some((&url[..origin_len], &url[origin_len..]))
}

/// `target` resolved against `base` as a browser would (RFC 3986 §5.2, `..` included).
fn join(base: &str, target: &str) -> String {
    let Some((origin, path)) = split_absolute(base) else {
        return target.to_string();
    };
    if let Some(rest) = target.strip_prefix("//") {
        let scheme = &origin[..origin.find("//").unwrap_or(0)];
        return format!("{scheme}//{rest}");
    }
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let (target_path, suffix) = match target.find(['?', '#']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    let merged = if target_path.starts_with('/') {
        target_path.to_string()
    } else if target_path.is_empty() {
        path.to_string()
    } else {
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{dir}{target_path}")
    };
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = merged.split('/').skip(1).collect();
    for (i, segment) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *segment {
            "." if last => segments.push(""),
            "." => {}
            ".." => {
                segments.pop();
                if last {
                    segments.push("");
                }
            }
            s => segments.push(s),
        }
    }
    format!("{origin}/{}{suffix}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Option<&str> = Some("https://docs.example.com/api/v1/intro");

    #[test]
    fn relative_links_and_images_become_absolute() {
        assert_eq!(
            rewrite(
                "See [the guide](/guides/start#auth) and ![flow](images/flow.png \"Flow\").",
                BASE
            ),
            "See [the guide](https://docs.example.com/guides/start#auth) and \
             ![flow](https://docs.example.com/api/v1/images/flow.png \"Flow\")."
        );
        assert_eq!(
            rewrite(
                "[up](../v0/x) [query](?page=2) [proto](//cdn.example.com/a.png)",
                BASE
            ),
            "[up](https://docs.example.com/api/v0/x) \
             [query](https://docs.example.com/api/v1/intro?page=2) \
             [proto](https://cdn.example.com/a.png)"
        );
    }

    #[test]
    fn absolute_links_code_and_fences_are_left_alone() {
        let text = "[a](https://x.io/a) [m](mailto:a@b.c) `[c](/c)`\n```\n[d](/d)\n```\n[e](/e)";
        assert_eq!(
            rewrite(text, BASE),
            "[a](https://x.io/a) [m](mailto:a@b.c) `[c](/c)`\n```\n[d](/d)\n```\n\
             [e](https://docs.example.com/e)"
        );
    }

    #[test]
    fn without_a_base_links_are_dropped_keeping_their_text() {
        assert_eq!(
            rewrite(
                "Read [concepts](/user-guides/concepts#removals), ![journey](/img/j.png), \
                 [below](#pagination) and [Relay](https://relay.dev/).",
                None
            ),
            "Read concepts, journey, below and [Relay](https://relay.dev/)."
        );
        // A fragment of the vendor's page is dropped even with a base.
        assert_eq!(rewrite("[below](#pagination)", BASE), "below");
        // A badge: the image inside the link is rewritten too.
        assert_eq!(rewrite("[![ci](/badge.svg)](/ci)", None), "ci");
        assert_eq!(
            rewrite("[![ci](/badge.svg)](/ci)", BASE),
            "[![ci](https://docs.example.com/badge.svg)](https://docs.example.com/ci)"
        );
        // Brackets that are not links stay as written (rustdoc escaping comes later).
        assert_eq!(
            rewrite("a [note] and [x] (y)", None),
            "a [note] and [x] (y)"
        );
    }

    #[test]
    fn base_is_external_docs_else_the_first_absolute_servers_origin() {
        let spec = |extra: &str| -> OpenAPI {
            serde_json::from_str(&format!(
                r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}{extra}}}"#
            ))
            .unwrap()
        };
        assert_eq!(base_url(&spec("")), None);
        assert_eq!(
            base_url(&spec(
                r#", "servers": [{"url": "/v1"}, {"url": "https://api.example.com:8443/registry/v0"}]"#
            ))
            .as_deref(),
            Some("https://api.example.com:8443/")
        );
        assert_eq!(
            base_url(&spec(
                r#", "servers": [{"url": "https://api.example.com/v0"}], "externalDocs": {"url": "https://docs.example.com/api/"}"#
            ))
            .as_deref(),
            Some("https://docs.example.com/api/")
        );
    }
}
